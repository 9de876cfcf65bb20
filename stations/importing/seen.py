"""The store codes an import has read so far, kept in a temporary table, not in memory.

Needed to catch a code repeated anywhere in the file and, in sync mode, to find the
operator's stations the file no longer lists — without memory that grows with the file.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import DatabaseError, connection

from ..bulk import insert_rows
from ..models import Station
from . import snapshots
from .sql import CODE_ARRAY, codes_condition, join_codes

_NOT_LISTED = (
    "s.operator_id = %s AND s.status <> 'permanently_closed' "
    "AND NOT EXISTS (SELECT 1 FROM {seen} t WHERE t.store_code = s.store_code{collate})"
)
# Byte order for the scratch table's key on PostgreSQL: equality is byte equality under any
# deterministic collation, and comparing bytes halves the cost of filling the index.
_BYTES = ' COLLATE "C"'


class SeenCodes:
    def __init__(self) -> None:
        self.table = f"import_seen_{uuid.uuid4().hex[:16]}"
        self.collate = _BYTES if connection.vendor == "postgresql" else ""
        with connection.cursor() as cursor:
            # text, not varchar(64): a too-long code is the validator's row error, not a crash here.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} "
                f"(store_code text{self.collate} PRIMARY KEY, row_number integer NOT NULL)"
            )

    def add(self, pairs: list[tuple[str, int]]) -> list[tuple[int, str, int]]:
        """Record (code, row) pairs in file order; return (row, code, first row) for each repeat.

        The first row is always where the code first appeared in the file, even for a code
        repeated inside this chunk after an earlier chunk had it.
        """
        if not pairs:
            return []
        first: dict[str, int] = {}  # this chunk's first row of each code
        repeats: list[tuple[int, str]] = []
        for code, row in pairs:
            if code in first:
                repeats.append((row, code))
            else:
                first[code] = row
        earlier = self._add_postgresql(first) if connection.vendor == "postgresql" else self._add_portable(first)
        found = [(row, code, earlier[code]) for code, row in first.items() if code in earlier]
        found += [(row, code, earlier.get(code, first[code])) for row, code in repeats]
        return sorted(found)

    def _add_portable(self, first: dict[str, int]) -> dict[str, int]:
        """Insert the codes not read before; return the earlier rows of those that were."""
        condition, params = codes_condition("store_code", list(first))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT store_code, row_number FROM {self.table} WHERE {condition}", params)  # noqa: S608
            earlier = dict(cursor.fetchall())
        insert_rows(self.table, ("store_code", "row_number"), [(c, r) for c, r in first.items() if c not in earlier])
        return earlier

    def _add_postgresql(self, first: dict[str, int]) -> dict[str, int]:
        """The same in one statement in the common case (no code read before)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (store_code, row_number) "  # noqa: S608
                f"SELECT * FROM unnest({CODE_ARRAY}, CAST({CODE_ARRAY} AS integer[])) "
                "ON CONFLICT (store_code) DO NOTHING",
                [join_codes(list(first)), join_codes(list(first.values()))],
            )
            if cursor.rowcount == len(first):
                return {}
            # Some codes were read in an earlier chunk: find where (their rows are below this chunk's first).
            cursor.execute(
                f"SELECT store_code, row_number FROM {self.table} "  # noqa: S608
                f"WHERE store_code = ANY({CODE_ARRAY}) AND row_number < %s",
                [join_codes(list(first)), min(first.values())],
            )
            return dict(cursor.fetchall())

    def _not_listed(self) -> str:
        return _NOT_LISTED.format(seen=self.table, collate=self.collate)

    def missing(self, operator_id: int, *, limit: int) -> tuple[int, list[str]]:
        """How many of the operator's open stations the file does not list, and the first codes."""
        station = Station._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {station} s WHERE {self._not_listed()}", [operator_id])  # noqa: S608
            (count,) = cursor.fetchone()
            cursor.execute(
                f"SELECT s.store_code FROM {station} s WHERE {self._not_listed()} ORDER BY s.store_code LIMIT %s",  # noqa: S608
                [operator_id, limit],
            )
            return count, [code for (code,) in cursor.fetchall()]

    def close_missing(self, operator_id: int, *, now: Any, run_id: int | None) -> None:
        """Mark the stations the file does not list as permanently closed, set-based."""
        station = Station._meta.db_table
        not_listed = f"SELECT s.id FROM {station} s WHERE {self._not_listed()}"  # noqa: S608
        # The snapshots first: they record that the import, not staff, closed these stations.
        snapshots.record_closures(not_listed, [operator_id], run_id=run_id)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {station} SET status = 'permanently_closed', closed_until = NULL, updated_at = %s "  # noqa: S608
                f"WHERE id IN ({not_listed})",
                [now, operator_id],
            )

    def drop(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        except DatabaseError:
            pass  # the import's transaction failed; rolling it back removes the table as well
