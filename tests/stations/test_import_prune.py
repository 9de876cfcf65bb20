"""Old import files are deleted, killed imports are closed, and every import record stays."""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from stations.importing.models import ImportRun
from stations.importing.pipeline import ImportOptions
from stations.importing.services import PreviewExpired, import_confirm, import_preview
from tests.factories import OperatorFactory

from .importing_support import csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def preview(operator, *, days_ago: int) -> ImportRun:
    run, _report = import_preview(
        operator=operator,
        user=None,
        source=ImportRun.Source.ADMIN,
        binary=io.BytesIO(csv_bytes([row("A1")])),
        file_name="门店.csv",
        options=ImportOptions(),
    )
    then = timezone.now() - dt.timedelta(days=days_ago)
    ImportRun.objects.filter(pk=run.pk).update(created_at=then, started_at=then)
    run.refresh_from_db()
    return run


def test_files_older_than_the_limit_are_deleted_and_their_records_kept():
    operator = OperatorFactory(code="fm")
    old, recent = preview(operator, days_ago=40), preview(operator, days_ago=2)
    old_path, recent_path = old.file.name, recent.file.name
    assert default_storage.exists(old_path) and default_storage.exists(recent_path)

    out = StringIO()
    call_command("prune_imports", "--days", "30", stdout=out)

    assert "Deleted 1 import file(s)" in out.getvalue()
    assert not default_storage.exists(old_path)
    assert default_storage.exists(recent_path)
    old.refresh_from_db()
    assert (old.file.name, old.file_name, old.status) == ("", "门店.csv", ImportRun.Status.PREVIEWED)
    assert len(old.sha256) == 64  # the record still says exactly which file it was
    # A preview whose file is gone cannot be confirmed; the recent one still can.
    with pytest.raises(PreviewExpired, match="not awaiting confirmation"):
        import_confirm(run=old, user=None, skip_invalid=False, overwrite_conflicts=False)
    assert import_confirm(run=recent, user=None, skip_invalid=False, overwrite_conflicts=False).written


def test_dry_run_counts_and_changes_nothing():
    operator = OperatorFactory(code="fm")
    old = preview(operator, days_ago=40)
    out = StringIO()
    call_command("prune_imports", "--days", "30", "--dry-run", stdout=out)
    assert "Would delete 1 import file(s)" in out.getvalue()
    old.refresh_from_db()
    assert old.file and default_storage.exists(old.file.name)


def test_imports_left_running_by_a_dead_process_are_marked_failed():
    operator = OperatorFactory(code="fm")
    now = timezone.now()
    dead = ImportRun.objects.create(
        operator=operator, source="command", file_name="a.csv", sha256="0" * 64, started_at=now - dt.timedelta(hours=25)
    )
    live = ImportRun.objects.create(operator=operator, source="command", file_name="b.csv", sha256="0" * 64)
    ImportRun.objects.filter(pk=live.pk).update(started_at=now - dt.timedelta(hours=1))

    call_command("prune_imports", stdout=StringIO())

    dead.refresh_from_db()
    live.refresh_from_db()
    assert dead.status == ImportRun.Status.FAILED and dead.finished_at is not None and dead.message
    assert live.status == ImportRun.Status.RUNNING and live.finished_at is None


def test_a_preview_confirmed_long_after_upload_is_neither_interrupted_nor_robbed_of_its_file():
    """Age for a running import counts from its confirm, and a running import keeps its file."""
    operator = OperatorFactory(code="fm")
    run = preview(operator, days_ago=40)  # uploaded 40 days ago…
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, started_at=timezone.now())  # …running

    out = StringIO()
    call_command("prune_imports", "--days", "30", stdout=out)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING
    assert run.file and default_storage.exists(run.file.name)
    assert "Deleted 0 import file(s)" in out.getvalue()


def test_confirming_records_when_the_import_started():
    operator = OperatorFactory(code="fm")
    run = preview(operator, days_ago=3)
    assert run.started_at < timezone.now() - dt.timedelta(days=2)  # set when the preview ran
    import_confirm(run=run, user=None, skip_invalid=False, overwrite_conflicts=False)
    run.refresh_from_db()
    assert run.started_at > timezone.now() - dt.timedelta(minutes=1)


def test_days_must_be_positive():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_imports", "--days", "0")
