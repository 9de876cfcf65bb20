"""Read → validate → diff → write, in chunks, inside one transaction.

Memory stays flat in the file's size: rows are handled CHUNK at a time, the existing
stations of each chunk are fetched by natural key in one query, and writes are
set-based (COPY / executemany). The store codes already read (to catch repeats and, in
sync mode, to find the stations the file no longer lists) go to a temporary table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from .. import geocoding
from ..models import Operator, Station
from .columns import map_headers
from .errors import FileProblem
from .readahead import read_ahead
from .reading import read_rows
from .seen import SeenCodes
from .snapshots import fetch as fetch_snapshots
from .sql import CODE_ARRAY, codes_condition, join_codes
from .validate import CheckedRow, GeocodedAhead, RowProblem, RowValidator
from .writing import Writer

CHUNK = 2_000
# The report lists this many details of each kind; the counts are always complete.
MAX_PROBLEMS = 1_000
MAX_DIFFS = 500

IMPORTED_FIELDS = ("name", "address", "district_id", "lat", "lng", "opening_hours", "amenity_mask", "phone", "status")
MODES = ("upsert", "sync")
# Positions in a row from _fetch_existing: id, store code, the imported fields, then these.
_FIELD_AT = {name: index for index, name in enumerate(IMPORTED_FIELDS, start=2)}
_CLOSED_UNTIL = 2 + len(IMPORTED_FIELDS)


@dataclass(frozen=True)
class ImportOptions:
    crs: str = "wgs84"
    encoding: str = "auto"
    mode: str = "upsert"
    dry_run: bool = False
    skip_invalid: bool = False
    overwrite_conflicts: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Report:
    format: str = ""
    rows: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("new", "changed", "unchanged", "conflicts", "to_close", "invalid", "warnings"), 0
        )
    )
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    to_close: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False
    truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def _add(self, bucket: list[dict[str, Any]], item: dict[str, Any], limit: int) -> None:
        if len(bucket) < limit:
            bucket.append(item)
        else:
            self.truncated = True


class _Rollback(Exception):
    """Leave the transaction without writing anything."""


def _batched(iterator: Iterator[tuple[int, list[str]]], size: int) -> Iterator[list[tuple[int, list[str]]]]:
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _fetch_existing(operator_id: int, codes: list[str]) -> dict[str, tuple[Any, ...]]:
    """Current imported fields of these store codes, by store code."""
    if not codes:
        return {}
    table = Station._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f) for f in IMPORTED_FIELDS)
    if connection.vendor == "postgresql":
        # One unique-key probe per code whatever the statistics say: inside an import's own
        # transaction they describe the table before the import, and a plan chosen for a few
        # rows of this operator scanned all of them for every chunk.
        sql = (
            f"SELECT s.* FROM unnest({CODE_ARRAY}) AS c(code) CROSS JOIN LATERAL ("  # noqa: S608
            f"SELECT id, store_code, {columns}, closed_until FROM {table} "
            "WHERE operator_id = %s AND store_code = c.code LIMIT 1) AS s"
        )
        params = [join_codes(codes), operator_id]
    else:
        condition, codes_params = codes_condition("store_code", codes)
        sql = (
            f"SELECT id, store_code, {columns}, closed_until FROM {table} "  # noqa: S608
            f"WHERE operator_id = %s AND {condition}"
        )
        params = [operator_id, *codes_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[1]: row for row in cursor.fetchall()}


def _checked_chunks(
    rows: Iterator[tuple[int, list[str]]], validator: RowValidator
) -> Iterator[tuple[dict[int, CheckedRow], list[tuple[str, int]], int]]:
    """Validate CHUNK rows at a time: (checked rows by row number, (store code, row) pairs, rows read).

    Pure Python with no database access, so it can run ahead in a worker thread.
    """
    code_index = validator.positions["store_code"]
    for batch in _batched(rows, CHUNK):
        checked_rows: dict[int, CheckedRow] = {}
        codes: list[tuple[str, int]] = []
        for number, cells in batch:
            if not any(c.strip() for c in cells):
                continue  # blank lines between blocks are common in hand-made sheets
            checked_rows[number] = validator.check(number, cells)
            raw_code = " ".join(cells[code_index].split()) if code_index < len(cells) else ""
            if raw_code:
                codes.append((raw_code, number))
        yield checked_rows, codes, len(batch)


class Importer:
    """One import of one file for one operator."""

    def __init__(
        self,
        *,
        operator: Operator,
        options: ImportOptions,
        run_id: int | None = None,
        actor: Any = None,
        progress: Callable[[int], None] | None = None,
        geocoding_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.operator = operator
        self.actor = actor
        self.options = options
        self.run_id = run_id
        self.progress = progress
        self.geocoding_progress = geocoding_progress  # called with 1 per address looked up ahead
        self.report = Report()
        self.seen: SeenCodes | None = None
        self.writer: Writer | None = None
        self.district_codes: dict[int, str] = {}

    # ---------------------------------------------------------------- entry
    def run(self, binary: IO[bytes], *, name: str) -> Report:
        """Import (or, on a dry run, only check) a file; raise FileProblem if it cannot be read at all."""
        if self.options.mode not in MODES:
            raise FileProblem(_("Unknown mode “%(value)s”: use upsert or sync.") % {"value": self.options.mode})
        fmt, rows = read_rows(binary, name=name, encoding=self.options.encoding)
        self.report.format = fmt
        try:
            _number, header = next(rows)
        except StopIteration:
            raise FileProblem(_("The file is empty.")) from None
        headers = map_headers(header)
        self.report.ignored_columns = list(headers.ignored)
        validator = RowValidator(headers, crs=self.options.crs)
        self.district_codes = validator.district_codes
        if not self.options.dry_run and validator.geocoder_on and "address" in headers.positions:
            rows.close()
            validator.ahead = self._geocode_ahead(binary, name=name, positions=headers.positions)
            _fmt, rows = read_rows(binary, name=name, encoding=self.options.encoding)
            next(rows)  # the header, read above
        if self.options.dry_run:
            self._run_checked(rows, validator, write=False)
        else:
            try:
                with transaction.atomic():
                    # One import per operator at a time. Rows are not locked while read: locking
                    # 200,000 rows would rewrite every one of them; updates touch only the fields
                    # that changed, so a staff edit racing an import can only lose to it on the
                    # same field, and the next import reports that as a conflict.
                    Operator.objects.select_for_update().filter(pk=self.operator.pk).first()
                    self.writer = Writer(operator=self.operator, run_id=self.run_id, actor=self.actor)
                    self._run_checked(rows, validator, write=True)
                    if self.report.counts["invalid"] and not self.options.skip_invalid:
                        raise _Rollback
                    self.writer.finish()
                    self.report.written = True
            except _Rollback:
                self.report.written = False
        return self.report

    def _geocode_ahead(self, binary: IO[bytes], *, name: str, positions: dict[str, int]) -> GeocodedAhead:
        """Look up the addresses of rows without coordinates before the transaction opens.

        Geocoding is slow (Nominatim's policy allows a request a second); inside the import it
        would hold the transaction and the operator's import lock that long. The answers go to
        the validator directly (and to the cache). After three failures in a row the provider
        counts as down for this import: its remaining rows are errors saying so, rather than
        a request each inside the transaction. A dry run has no transaction to keep short: it
        geocodes as it goes.
        """
        ahead = GeocodedAhead()
        lat_at, lng_at, address_at = positions.get("lat"), positions.get("lng"), positions["address"]

        def cell(cells: list[str], index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        failures_in_a_row = 0
        _fmt, rows = read_rows(binary, name=name, encoding=self.options.encoding)
        with closing(rows):
            next(rows, None)  # the header
            for _number, cells in rows:
                if cell(cells, lat_at) or cell(cells, lng_at):
                    continue
                address = " ".join(cell(cells, address_at).split())  # as the validator will ask
                if not address or address in ahead.places:
                    continue
                if self.geocoding_progress:
                    self.geocoding_progress(1)
                try:
                    place = geocoding.geocode(address)
                except geocoding.GeocodingFailed as exc:
                    failures_in_a_row += 1
                    if failures_in_a_row >= 3:
                        ahead.down = str(exc)
                        break
                    continue
                failures_in_a_row = 0
                if len(ahead.places) < ahead.limit:
                    ahead.places[address] = place
        return ahead

    # ---------------------------------------------------------------- rows
    def _run_checked(self, rows: Iterator[tuple[int, list[str]]], validator: RowValidator, *, write: bool) -> None:
        self.seen = SeenCodes()
        try:
            self._process(rows, validator, write=write)
        finally:
            self.seen.drop()

    def _writing(self, write: bool) -> bool:
        return write and (self.options.skip_invalid or not self.report.counts["invalid"])

    def _process(self, rows: Iterator[tuple[int, list[str]]], validator: RowValidator, *, write: bool) -> None:
        code_label = validator.headers.labels["store_code"]
        chunks = read_ahead(lambda: _checked_chunks(rows, validator))
        with closing(chunks):  # stop the reader now, not whenever the generator is collected
            for checked_rows, codes, read in chunks:
                self.report.rows += len(checked_rows)
                for number, code, first in self.seen.add(codes):
                    message = _("Store code “%(code)s” already appears on row %(row)s.") % {"code": code, "row": first}
                    checked_rows[number].errors.append(RowProblem(number, code_label, "duplicate_store_code", message))
                for checked in checked_rows.values():
                    self._note_problems(checked)
                valid = [c for c in checked_rows.values() if not c.errors]
                self._diff_chunk(valid, write=self._writing(write))
                if self.progress:
                    self.progress(read)
        if self.options.mode == "sync":
            count, codes_shown = self.seen.missing(self.operator.pk, limit=MAX_DIFFS)
            self.report.counts["to_close"] = count
            self.report.to_close = codes_shown
            self.report.truncated = self.report.truncated or count > len(codes_shown)
            if self._writing(write) and count and self.writer is not None:
                self.seen.close_missing(self.operator.pk, now=self.writer.now, run_id=self.run_id)
                self.writer.changed_any = True

    def _note_problems(self, checked: CheckedRow) -> None:
        if checked.errors:
            self.report.counts["invalid"] += 1
            for problem in checked.errors:
                self.report._add(self.report.errors, problem.as_dict(), MAX_PROBLEMS)
        if checked.warnings:
            self.report.counts["warnings"] += 1
            for problem in checked.warnings:
                self.report._add(self.report.warnings, problem.as_dict(), MAX_PROBLEMS)

    def _shown(self, name: str, value: Any) -> Any:
        if name == "district_id":
            return self.district_codes.get(value) if value is not None else None
        return value

    def _diff_chunk(self, valid: list[CheckedRow], *, write: bool) -> None:
        existing = _fetch_existing(self.operator.pk, [c.values["store_code"] for c in valid])
        new_rows: list[dict[str, Any]] = []
        differing: list[tuple[CheckedRow, tuple[Any, ...]]] = []
        counts = self.report.counts
        for checked in valid:
            values = checked.values
            current = existing.get(values["store_code"])
            if current is None:
                counts["new"] += 1
                new_rows.append(values)
            elif any(values[name] != current[index] for name, index in _FIELD_AT.items() if name in values):
                differing.append((checked, current))
            else:
                counts["unchanged"] += 1  # the common case on a re-import: nothing more to do
        snapshots = fetch_snapshots([current[0] for _checked, current in differing])
        updates = [u for checked, current in differing if (u := self._compare(checked, current, snapshots))]
        if write and self.writer is not None:
            self.writer.insert(new_rows)
            self.writer.update(updates)

    def _compare(
        self, checked: CheckedRow, current: tuple[Any, ...], snapshots: dict[int, tuple[dict[str, Any], bool]]
    ) -> tuple[int, dict[str, Any], dict[str, Any], bool] | None:
        """Three-way compare file vs current vs last import; return the update to make, if any."""
        values, counts = checked.values, self.report.counts
        snapshot, has_state = snapshots.get(current[0], ({}, False))
        changes: dict[str, Any] = {}
        conflicts: dict[str, dict[str, Any]] = {}
        for name, index in _FIELD_AT.items():
            if name not in values:
                continue
            new, cur = values[name], current[index]
            if new == cur:
                continue
            imported = snapshot.get(name, cur)
            if imported == cur:
                changes[name] = new
                continue
            # Staff changed this field since the last import, and the file disagrees with them.
            conflicts[name] = {
                "imported": self._shown(name, imported),
                "current": self._shown(name, cur),
                "file": self._shown(name, new),
                "resolution": "overwritten" if self.options.overwrite_conflicts else "kept",
            }
            if self.options.overwrite_conflicts:
                changes[name] = new
        if conflicts:
            counts["conflicts"] += 1
            self.report._add(
                self.report.conflicts,
                {"row": checked.row, "store_code": values["store_code"], "fields": conflicts},
                MAX_DIFFS,
            )
        if not changes:
            counts["unchanged"] += 1
            return None
        counts["changed"] += 1
        self.report._add(
            self.report.changes,
            {
                "row": checked.row,
                "store_code": values["store_code"],
                "fields": {
                    n: {"old": self._shown(n, current[_FIELD_AT[n]]), "new": self._shown(n, v)}
                    for n, v in changes.items()
                },
            },
            MAX_DIFFS,
        )
        if changes.get("status") == "open" and current[_CLOSED_UNTIL] is not None:
            changes["closed_until"] = None  # reopening ends a temporary closure too
        new_snapshot = {**snapshot, **{k: v for k, v in values.items() if k in IMPORTED_FIELDS}}
        if not self.options.overwrite_conflicts:
            for name in conflicts:
                new_snapshot[name] = snapshot[name]  # keep flagging it until someone decides
        return current[0], changes, new_snapshot, has_state
