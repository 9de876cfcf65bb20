"""Idempotency, partial updates, sync closures and conflicts with staff edits."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations.importing.models import StationImportState
from stations.models import Station
from tests.factories import OperatorFactory, StationFactory

from .importing_support import csv_bytes, row, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return OperatorFactory(code="familymart-sh", name="全家 上海")


def snapshot_of_table(operator) -> list[tuple]:
    return list(
        Station.objects.filter(operator=operator)
        .order_by("store_code")
        .values_list("store_code", "name", "address", "lat", "lng", "opening_hours", "status", "phone", "updated_at")
    )


def test_reimporting_the_same_file_writes_nothing(operator):
    data = csv_bytes([row(f"A{i}") for i in range(50)])
    run_import(operator, data)
    before = snapshot_of_table(operator)

    with CaptureQueriesContext(connection) as queries:
        report = run_import(operator, data)

    assert report.counts["unchanged"] == 50
    assert report.counts["new"] == report.counts["changed"] == 0
    # Django logs an executemany() as "N times: <sql>"; the import's own temporary table of
    # codes read so far is scratch space, not stored data.
    statements = [re.sub(r"^\d+ times: ", "", q["sql"].lstrip()) for q in queries.captured_queries]
    writes = [
        sql
        for sql in statements
        if sql.upper().startswith(("INSERT", "UPDATE", "DELETE")) and "import_seen_" not in sql
    ]
    assert writes == []
    assert snapshot_of_table(operator) == before  # updated_at included


def test_a_changed_row_updates_only_the_fields_that_changed(operator):
    run_import(operator, csv_bytes([row("A1"), row("A2")]))
    Station.objects.filter(store_code="A1").update(notes="员工备注")
    a2_before = Station.objects.get(store_code="A2").updated_at

    report = run_import(operator, csv_bytes([row("A1", phone="021-87654321", amenities="热水"), row("A2")]))

    assert report.counts["changed"] == 1
    assert report.changes == [
        {
            "row": 2,
            "store_code": "A1",
            "fields": {
                "amenity_mask": {"old": 12, "new": 4},
                "phone": {"old": "021-12345678", "new": "021-87654321"},
            },
        }
    ]
    a1 = Station.objects.get(store_code="A1")
    assert (a1.phone, a1.amenities, a1.notes) == ("021-87654321", ["hot_water"], "员工备注")
    assert Station.objects.get(store_code="A2").updated_at == a2_before


def test_dry_run_reports_the_diff_and_writes_nothing(operator):
    run_import(operator, csv_bytes([row("A1")]))
    before = snapshot_of_table(operator)

    report = run_import(operator, csv_bytes([row("A1", name="改名"), row("A2")]), dry_run=True)

    assert (report.counts["new"], report.counts["changed"]) == (1, 1)
    assert report.changes[0]["fields"]["name"] == {"old": "全家 A1 店", "new": "改名"}
    assert snapshot_of_table(operator) == before


def test_sync_closes_stations_missing_from_the_file_and_never_deletes(operator):
    other = StationFactory(store_code="B1")  # another operator's station is none of our business
    run_import(operator, csv_bytes([row("A1"), row("A2"), row("A3")]))

    report = run_import(operator, csv_bytes([row("A1")]), mode="sync")

    assert report.counts["to_close"] == 2
    assert sorted(report.to_close) == ["A2", "A3"]
    statuses = dict(Station.objects.filter(operator=operator).values_list("store_code", "status"))
    assert statuses == {"A1": "open", "A2": "permanently_closed", "A3": "permanently_closed"}
    other.refresh_from_db()
    assert other.status == "open"


def test_upsert_mode_leaves_missing_stations_alone(operator):
    run_import(operator, csv_bytes([row("A1"), row("A2")]))
    report = run_import(operator, csv_bytes([row("A1")]))
    assert report.counts["to_close"] == 0
    assert set(Station.objects.values_list("status", flat=True)) == {"open"}


def test_a_station_closed_by_sync_reopens_when_the_file_lists_it_again(operator):
    run_import(operator, csv_bytes([row("A1"), row("A2")]))
    run_import(operator, csv_bytes([row("A1")]), mode="sync")

    report = run_import(operator, csv_bytes([row("A1"), row("A2")]), mode="sync")

    assert report.counts["changed"] == 1
    assert Station.objects.get(store_code="A2").status == "open"


def test_staff_edits_since_the_last_import_are_conflicts_and_kept_by_default(operator):
    run_import(operator, csv_bytes([row("A1"), row("A2")]))
    Station.objects.filter(store_code="A1").update(name="员工改的名字", status="temporarily_closed")

    report = run_import(operator, csv_bytes([row("A1", name="总部的新名字"), row("A2", name="A2 新名")]))

    assert report.counts["conflicts"] == 1
    assert report.conflicts == [
        {
            "row": 2,
            "store_code": "A1",
            "fields": {
                "name": {
                    "imported": "全家 A1 店",
                    "current": "员工改的名字",
                    "file": "总部的新名字",
                    "resolution": "kept",
                },
                "status": {
                    "imported": "open",
                    "current": "temporarily_closed",
                    "file": "open",
                    "resolution": "kept",
                },
            },
        }
    ]
    a1 = Station.objects.get(store_code="A1")
    assert (a1.name, a1.status) == ("员工改的名字", "temporarily_closed")
    assert Station.objects.get(store_code="A2").name == "A2 新名"
    # Still a conflict next time: kept staff edits are not silently forgotten.
    again = run_import(operator, csv_bytes([row("A1", name="总部的新名字"), row("A2", name="A2 新名")]))
    assert again.counts["conflicts"] == 1


def test_overwrite_conflicts_lets_the_file_win(operator):
    run_import(operator, csv_bytes([row("A1")]))
    Station.objects.filter(store_code="A1").update(
        name="员工改的名字", status="temporarily_closed", closed_until=dt.date(2030, 1, 1)
    )

    report = run_import(operator, csv_bytes([row("A1", name="总部的新名字")]), overwrite_conflicts=True)

    assert report.conflicts[0]["fields"]["name"]["resolution"] == "overwritten"
    a1 = Station.objects.get(store_code="A1")
    assert (a1.name, a1.status, a1.closed_until) == ("总部的新名字", "open", None)
    assert StationImportState.objects.get(station=a1).snapshot["name"] == "总部的新名字"
    assert run_import(operator, csv_bytes([row("A1", name="总部的新名字")])).counts["conflicts"] == 0


def test_a_staff_created_station_is_updated_by_its_first_import_without_conflicts(operator):
    StationFactory(operator=operator, store_code="A1", name="员工录入")
    report = run_import(operator, csv_bytes([row("A1")]))
    assert (report.counts["changed"], report.counts["conflicts"]) == (1, 0)
    assert Station.objects.get(store_code="A1").name == "全家 A1 店"
    assert StationImportState.objects.filter(station__store_code="A1").exists()


def test_command_runs_a_dry_run_and_reports_counts(operator, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "stores.csv"
    path.write_bytes(csv_bytes([row("A1"), row("A2")]))
    out = StringIO()
    call_command("import_stations", str(path), operator="familymart-sh", dry_run=True, stdout=out)
    assert "2" in out.getvalue()
    assert not Station.objects.exists()

    call_command("import_stations", str(path), "--operator=new-chain", "--create-operator=新连锁", stdout=StringIO())
    assert Station.objects.filter(operator__code="new-chain").count() == 2

    with pytest.raises(CommandError, match="unknown-chain"):
        call_command("import_stations", str(path), operator="unknown-chain", stdout=StringIO())
    path.write_bytes(csv_bytes([row("A1", lat="x")]))
    with pytest.raises(CommandError, match="--skip-invalid"):
        call_command("import_stations", str(path), operator="familymart-sh", stdout=StringIO(), stderr=StringIO())


def test_import_queries_grow_with_chunks_not_with_rows(operator):
    def queries_for(rows: int, *, name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            run_import(operator, csv_bytes([row(f"A{i}", name=f"{name}{i}") for i in range(rows)]))
        return len(captured.captured_queries)

    fresh_small, fresh_large = queries_for(20, name="a"), queries_for(400, name="a")
    # The second call re-imported the first 20 unchanged and added 380: still one chunk, same queries.
    assert fresh_small == fresh_large
    assert queries_for(400, name="a") <= fresh_small  # all unchanged: no writes at all
    changed = queries_for(400, name="b")  # every row's name changed: grouped UPDATEs, not one per row
    assert changed <= fresh_small + 3


def test_a_station_as_its_import_created_it_needs_no_state_row_and_staff_edits_still_conflict(
    operator, django_user_model
):
    """New stations' snapshots are their creation records in the history; later records are staff's."""
    from stations.services import station_update

    staffer = django_user_model.objects.create_user(username="putuo-staff", password="x", is_staff=True)
    run_import(operator, csv_bytes([row("A1"), row("A2")]))
    assert not StationImportState.objects.exists()  # nothing written twice for 2 new stations
    station_update(station=Station.objects.get(store_code="A1"), actor=staffer, phone="021-99999999")

    report = run_import(operator, csv_bytes([row("A1", phone="021-11111111"), row("A2", phone="021-22222222")]))

    assert report.counts["changed"] == 1 and report.counts["conflicts"] == 1
    assert report.conflicts[0]["fields"] == {
        "phone": {"imported": "021-12345678", "current": "021-99999999", "file": "021-11111111", "resolution": "kept"}
    }
    assert Station.objects.get(store_code="A1").phone == "021-99999999"
    assert Station.objects.get(store_code="A2").phone == "021-22222222"
    # A2 now has a state row holding what this import wrote; A1 (nothing written) still has none,
    # and its staff edit is flagged again by the next import.
    assert StationImportState.objects.get(station__store_code="A2").snapshot["phone"] == "021-22222222"
    again = run_import(operator, csv_bytes([row("A1", phone="021-11111111"), row("A2", phone="021-22222222")]))
    assert (again.counts["conflicts"], again.counts["changed"], again.counts["unchanged"]) == (1, 0, 2)


def test_staff_edits_stay_conflicts_after_the_operator_code_is_renamed(operator):
    run_import(operator, csv_bytes([row("A1"), row("A2")]))
    Station.objects.filter(store_code="A1").update(phone="021-99999999")
    operator.code = "familymart-shanghai"  # renamed in the admin; its stations keep source import:familymart-sh
    operator.save()

    report = run_import(operator, csv_bytes([row("A1", phone="021-11111111"), row("A2")]), mode="sync")

    assert report.counts["conflicts"] == 1
    assert Station.objects.get(store_code="A1").phone == "021-99999999"
    # A closure by sync is recorded as the import's too, so listing the station again is no conflict.
    run_import(operator, csv_bytes([row("A1", phone="021-99999999")]), mode="sync")
    assert Station.objects.get(store_code="A2").status == "permanently_closed"
    again = run_import(operator, csv_bytes([row("A1", phone="021-99999999"), row("A2")]), mode="sync")
    assert (again.counts["conflicts"], again.counts["changed"]) == (0, 1)
    assert Station.objects.get(store_code="A2").status == "open"
