"""Delete old import files and close the records of imports that were killed."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stations.importing.services import import_runs_prune


class Command(BaseCommand):
    help = (
        "Delete uploaded import files older than --days (default WAYSTATION_IMPORT_FILE_DAYS) and mark "
        "imports still 'running' a day after they started as failed. Import records are kept. "
        "Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Keep files this many days (at least 1).")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be done.")

    def handle(self, *args, days: int | None, dry_run: bool, verbosity: int, **options) -> None:
        keep = settings.WAYSTATION_IMPORT_FILE_DAYS if days is None else days
        if keep < 1:
            raise CommandError("--days must be at least 1.")
        result = import_runs_prune(keep_days=keep, dry_run=dry_run)
        if verbosity:
            verb = "Would delete" if dry_run else "Deleted"
            self.stdout.write(
                f"{verb} {result.files_deleted} import file(s) older than {keep} days; "
                f"{'would mark' if dry_run else 'marked'} {result.runs_interrupted} interrupted import(s) as failed."
            )
