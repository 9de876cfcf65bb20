from __future__ import annotations

import io

import pytest

from stations.importing.errors import FileProblem
from stations.importing.pipeline import ImportOptions
from stations.importing.services import import_run_create, import_run_execute
from stations.models import Station
from tests.factories import OperatorFactory

from .importing_support import csv_bytes, row

pytestmark = pytest.mark.django_db


def import_as(user, operator, data: bytes, **options):
    """Import through the same service the command, admin and API use; return the report and run."""
    opts = ImportOptions(**options)
    run = import_run_create(
        operator=operator,
        user=user,
        source="command",
        binary=io.BytesIO(data),
        file_name="stores.csv",
        options=opts,
        keep_file=False,
    )
    try:
        return import_run_execute(run=run, binary=io.BytesIO(data), options=opts), run
    except FileProblem:  # pragma: no cover - the files here are readable
        raise


def test_imports_leave_a_history_entry_per_station_naming_the_user_and_the_run(django_user_model):
    chain_staff = django_user_model.objects.create_user("fm-staff", password="x")
    operator = OperatorFactory(code="familymart-sh")
    _r, first_run = import_as(chain_staff, operator, csv_bytes([row("A1"), row("A2"), row("A3")]))
    _r, second_run = import_as(
        chain_staff, operator, csv_bytes([row("A1", phone="021-87654321"), row("A2"), row("A3")])
    )
    _r, sync_run = import_as(
        chain_staff, operator, csv_bytes([row("A1", phone="021-87654321"), row("A2")]), mode="sync"
    )
    import_as(chain_staff, operator, csv_bytes([row("A1", phone="021-87654321"), row("A2")]))  # unchanged

    def entries(code):
        station = Station.objects.get(store_code=code)
        return [
            (h.history_type, h.history_user_id, h.history_change_reason, h.phone, h.status)
            for h in station.history.order_by("history_id")
        ]

    first = ("+", chain_staff.pk, f"import #{first_run.pk}", "021-12345678", "open")
    changed = ("~", chain_staff.pk, f"import #{second_run.pk}", "021-87654321", "open")
    closed = ("~", chain_staff.pk, f"import #{sync_run.pk}", "021-12345678", "permanently_closed")
    assert entries("A1") == [first, changed]
    assert entries("A2") == [first]  # unchanged rows leave no history
    assert entries("A3") == [first, closed]
    # The history diff shows what the import changed, as for any admin edit.
    latest = Station.objects.get(store_code="A1").history.order_by("-history_id").first()
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["phone"]


def test_a_rejected_import_leaves_no_history(django_user_model):
    user = django_user_model.objects.create_user("someone", password="x")
    operator = OperatorFactory()
    report, _run = import_as(user, operator, csv_bytes([row("A1"), row("A2", lng="not a number")]))
    assert report.written is False
    assert not Station.history.model.objects.exists()
