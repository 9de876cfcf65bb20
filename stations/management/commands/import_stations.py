"""Import an operator's outlets from a CSV or XLSX file (see docs/importing.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from stations.crs import CRS_CHOICES
from stations.importing.errors import FileProblem
from stations.importing.pipeline import MODES, ImportOptions, Report
from stations.importing.reading import ENCODINGS
from stations.importing.services import import_run_create, import_run_execute
from stations.models import Operator


class Command(BaseCommand):
    help = "Import or re-sync an operator's stations from a CSV (UTF-8/GBK) or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file; the first row holds the column headers.")
        parser.add_argument("--operator", required=True, help="Operator code, e.g. familymart-sh.")
        parser.add_argument("--create-operator", metavar="NAME", help="Create the operator with this name if missing.")
        parser.add_argument("--crs", choices=CRS_CHOICES, default="wgs84", help="Coordinate system of the file.")
        parser.add_argument("--encoding", choices=ENCODINGS, default="auto", help="CSV text encoding.")
        parser.add_argument(
            "--mode",
            choices=MODES,
            default="upsert",
            help="upsert: add and update; sync: also close the operator's stations the file no longer lists.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the valid rows even if some are invalid."
        )
        parser.add_argument(
            "--overwrite-conflicts",
            action="store_true",
            help="Let the file win over fields staff edited since the last import (default: keep staff edits).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        operator = self._operator(options["operator"], options.get("create_operator"))
        import_options = ImportOptions(
            crs=options["crs"],
            encoding=options["encoding"],
            mode=options["mode"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            overwrite_conflicts=options["overwrite_conflicts"],
        )
        verbosity = int(options["verbosity"])
        with path.open("rb") as binary:
            run = import_run_create(
                operator=operator,
                user=None,
                source="command",
                binary=binary,
                file_name=path.name,
                options=import_options,
                keep_file=False,
            )
            progress, close = self._progress(verbosity)
            geocoded, close_geocoded = self._progress(verbosity, geocoding=True)
            try:
                report = import_run_execute(
                    run=run, binary=binary, options=import_options, progress=progress, geocoding_progress=geocoded
                )
            except FileProblem as exc:
                raise CommandError(str(exc)) from exc
            finally:
                close_geocoded()
                close()
        self._print(report, import_options, verbosity)
        if report.counts["invalid"] and not import_options.skip_invalid:
            raise CommandError(
                _("%(count)s invalid rows: nothing was imported. Fix them, or use --skip-invalid.")
                % {"count": report.counts["invalid"]}
            )

    def _operator(self, code: str, create_name: str | None) -> Operator:
        operator = Operator.objects.filter(code=code).first()
        if operator is not None:
            return operator
        if not create_name:
            raise CommandError(
                _('Unknown operator “%(code)s”. Give --create-operator "NAME" to create it.') % {"code": code}
            )
        with transaction.atomic():
            operator = Operator(code=code, name=create_name, kind=Operator.Kind.CHAIN)
            try:
                operator.full_clean()
            except ValidationError as exc:
                raise CommandError(_("Cannot create the operator: %(reason)s") % {"reason": exc}) from exc
            operator.save()
        return operator

    def _progress(self, verbosity: int, *, geocoding: bool = False):
        """A tqdm bar on a terminal; lines with -v 2 elsewhere (logs, CI); else nothing.

        Rows are counted per chunk; addresses looked up before the import (a request a second
        under Nominatim's policy) get a bar of their own, or a line every 100.
        """
        if geocoding:
            desc, unit, every, text = _("Geocoding"), " addresses", 100, _("%(count)s addresses looked up")
        else:
            desc, unit, every, text = _("Importing"), " rows", 1, _("%(count)s rows read")
        if verbosity >= 1 and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True, delay=0.5 if geocoding else 0)
            return bar.update, bar.close
        if verbosity >= 2:
            done = [0, 0]  # counted, calls

            def line(count: int) -> None:
                done[0] += count
                done[1] += 1
                if done[1] % every == 0:
                    self.stdout.write(text % {"count": done[0]})
                    self.stdout.flush()

            return line, lambda: None
        return None, lambda: None

    def _print(self, report: Report, options: ImportOptions, verbosity: int) -> None:
        if verbosity < 1:
            return
        counts = report.counts
        self.stdout.write(
            _(
                "%(format)s, %(rows)s rows: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, "
                "%(to_close)s to close, %(conflicts)s with conflicts, %(invalid)s invalid, %(warnings)s with warnings."
            )
            % {"format": report.format, "rows": report.rows, **counts}
        )
        for problem in report.errors:
            self.stderr.write(_("Row %(row)s, column %(column)s: %(message)s") % problem)
        for problem in report.warnings:
            self.stdout.write(_("Warning: row %(row)s, column %(column)s: %(message)s") % problem)
        if verbosity >= 2:
            for change in report.changes:
                fields = "; ".join(f"{k}: {v['old']!r} → {v['new']!r}" for k, v in change["fields"].items())
                self.stdout.write(f"~ {change['row']} {change['store_code']}: {fields}")
        for conflict in report.conflicts:
            fields = "; ".join(
                _("%(field)s: staff set %(current)r, file says %(file)r (%(resolution)s)")
                % {"field": k, **v, "resolution": _("kept") if v["resolution"] == "kept" else _("overwritten")}
                for k, v in conflict["fields"].items()
            )
            self.stdout.write(
                _("Conflict on row %(row)s (%(code)s): %(fields)s")
                % {"row": conflict["row"], "code": conflict["store_code"], "fields": fields}
            )
        if report.truncated:
            self.stdout.write(_("(Only the first entries of each list are shown; the counts are complete.)"))
        if options.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif report.written:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
