"""Start, run, preview and confirm imports; every entry point (command, admin, API) calls these."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import File
from django.db import DatabaseError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Operator
from .errors import FileProblem
from .models import ImportRun
from .pipeline import Importer, ImportOptions, Report


def file_sha256(binary: IO[bytes]) -> str:
    digest = hashlib.sha256()
    binary.seek(0)
    while chunk := binary.read(1 << 20):
        digest.update(chunk)
    binary.seek(0)
    return digest.hexdigest()


def import_run_create(
    *,
    operator: Operator,
    user: Any,
    source: str,
    binary: IO[bytes],
    file_name: str,
    options: ImportOptions,
    keep_file: bool,
) -> ImportRun:
    """Record an import before it runs (committed on its own, so a crashed run is still on record)."""
    run = ImportRun(
        operator=operator,
        user=user if getattr(user, "pk", None) else None,
        source=source,
        file_name=file_name[:255],
        sha256=file_sha256(binary),
        options=options.as_dict(),
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
    )
    if keep_file:
        # Default storage, not /tmp: the confirm may reach another app server.
        run.file.save(file_name.rsplit("/", 1)[-1][:100] or "import", File(binary), save=False)
        binary.seek(0)
    run.save()
    return run


def _status_for(report: Report, options: ImportOptions, *, preview: bool) -> str:
    if preview:
        return ImportRun.Status.PREVIEWED
    if options.dry_run:
        return ImportRun.Status.DRY_RUN
    return ImportRun.Status.SUCCEEDED if report.written else ImportRun.Status.REJECTED


def import_run_execute(
    *,
    run: ImportRun,
    binary: IO[bytes],
    options: ImportOptions,
    preview: bool = False,
    progress: Callable[[int], None] | None = None,
    geocoding_progress: Callable[[int], None] | None = None,
) -> Report:
    """Run the pipeline for a recorded import and store its outcome; re-raise FileProblem."""
    run.options = options.as_dict()
    importer = Importer(
        operator=run.operator,
        options=options,
        run_id=run.pk,
        actor=run.user,
        progress=progress,
        geocoding_progress=geocoding_progress,
    )
    try:
        report = importer.run(binary, name=run.file_name)
    except FileProblem as exc:
        run.status = ImportRun.Status.FAILED
        run.message = str(exc)
        run.finished_at = timezone.now()
        run.save(update_fields=["options", "status", "message", "finished_at"])
        raise
    except DatabaseError as exc:
        run.status = ImportRun.Status.FAILED
        run.message = str(exc)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["options", "status", "message", "finished_at"])
        raise
    run.status = _status_for(report, options, preview=preview)
    run.counts = {"rows": report.rows, **report.counts}
    run.report = report.as_dict()
    run.message = ""
    run.finished_at = timezone.now()
    run.save(update_fields=["options", "status", "counts", "report", "message", "finished_at"])
    return report


def import_preview(
    *, operator: Operator, user: Any, source: str, binary: IO[bytes], file_name: str, options: ImportOptions
) -> tuple[ImportRun, Report]:
    """Keep the file, check it without writing, and leave the run awaiting confirmation."""
    run = import_run_create(
        operator=operator, user=user, source=source, binary=binary, file_name=file_name, options=options, keep_file=True
    )
    checking = ImportOptions(**{**options.as_dict(), "dry_run": True})
    report = import_run_execute(run=run, binary=binary, options=checking, preview=True)
    return run, report


class PreviewExpired(Exception):
    """The kept file of a preview is gone or no longer matches what was previewed."""


def import_confirm(*, run: ImportRun, user: Any, skip_invalid: bool, overwrite_conflicts: bool) -> Report:
    """Import a previewed file for real, validating it again against the database as it is now."""
    if run.status != ImportRun.Status.PREVIEWED or not run.file:
        raise PreviewExpired("This import is not awaiting confirmation.")
    options = ImportOptions(
        **{
            **run.options,
            "dry_run": False,
            "skip_invalid": skip_invalid,
            "overwrite_conflicts": overwrite_conflicts,
        }
    )
    if getattr(user, "pk", None):
        run.user = user
        run.save(update_fields=["user"])
    with run.file.open("rb") as binary:
        if file_sha256(binary) != run.sha256:
            raise PreviewExpired("The stored file changed since the preview.")
        run.status = ImportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
        return import_run_execute(run=run, binary=binary, options=options)


# An import still "running" this long after it started was killed or crashed: its transaction
# rolled back, so nothing it did was kept. (A live one would be geocoding some 86,000 new
# addresses at Nominatim's one request a second.)
STALE_RUNNING = dt.timedelta(hours=24)


@dataclass(frozen=True)
class PruneResult:
    files_deleted: int
    runs_interrupted: int


def import_runs_prune(*, keep_days: int, now: dt.datetime | None = None, dry_run: bool = False) -> PruneResult:
    """Delete import files older than `keep_days` and close the records of imports that died.

    The records themselves (who, when, file name and hash, counts, errors) are kept for good.
    A preview whose file is deleted can no longer be confirmed; the user uploads it again.
    """
    now = now or timezone.now()
    running = Q(status=ImportRun.Status.RUNNING)
    started = Coalesce("started_at", "created_at")
    dead = ImportRun.objects.annotate(began=started).filter(running, began__lt=now - STALE_RUNNING)
    # A running import keeps its file however old the upload is (a preview confirmed weeks later).
    old = ImportRun.objects.filter(created_at__lt=now - dt.timedelta(days=keep_days)).exclude(file="")
    if dry_run:
        # What the real run would delete: old files of runs not running, or running but dead.
        doomed = old.filter(~running | Q(pk__in=dead.values("pk")))
        return PruneResult(files_deleted=doomed.count(), runs_interrupted=dead.count())
    interrupted = ImportRun.objects.filter(pk__in=list(dead.values_list("pk", flat=True))).update(
        status=ImportRun.Status.FAILED,
        finished_at=now,
        message=_("Interrupted before it finished (the process stopped); nothing was written."),
    )
    deleted = 0
    for run in old.exclude(running).only("pk", "file").iterator():
        run.file.delete(save=False)  # a file already missing from storage is no error
        ImportRun.objects.filter(pk=run.pk).update(file="")
        deleted += 1
    return PruneResult(files_deleted=deleted, runs_interrupted=interrupted)
