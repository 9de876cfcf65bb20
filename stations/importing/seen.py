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
from .models import StationImportState
from .writing import codes_condition

_NOT_LISTED = "s.operator_id = %s AND s.status <> 'permanently_closed' AND NOT EXISTS (SELECT 1 FROM {seen} t WHERE t.store_code = s.store_code)"  # noqa: E501


class SeenCodes:
    def __init__(self) -> None:
        self.table = f"import_seen_{uuid.uuid4().hex[:16]}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (store_code varchar(64) PRIMARY KEY, row_number integer NOT NULL)"
            )

    def add(self, pairs: list[tuple[str, int]]) -> list[tuple[int, str, int]]:
        """Record (code, row) pairs in file order; return (row, code, first row) for each repeat."""
        if not pairs:
            return []
        condition, params = codes_condition("store_code", list({code for code, _row in pairs}))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT store_code, row_number FROM {self.table} WHERE {condition}", params)  # noqa: S608
            first = dict(cursor.fetchall())
        repeats, fresh = [], []
        for code, row in pairs:
            if code in first:
                repeats.append((row, code, first[code]))
            else:
                first[code] = row
                fresh.append((code, row))
        insert_rows(self.table, ("store_code", "row_number"), fresh)
        return repeats

    def _not_listed(self) -> str:
        return _NOT_LISTED.format(seen=self.table)

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
        """Mark the stations the file does not list as permanently closed, in two set-based UPDATEs."""
        station, state = Station._meta.db_table, StationImportState._meta.db_table
        if connection.vendor == "postgresql":
            new_snapshot = """jsonb_set(snapshot, '{status}', '"permanently_closed"')"""
        else:
            new_snapshot = "json_set(snapshot, '$.status', 'permanently_closed')"
        with connection.cursor() as cursor:
            # The snapshot first: it records that the import, not staff, closed them.
            cursor.execute(
                f"UPDATE {state} SET snapshot = {new_snapshot}, run_id = %s "  # noqa: S608
                f"WHERE station_id IN (SELECT s.id FROM {station} s WHERE {self._not_listed()})",
                [run_id, operator_id],
            )
            cursor.execute(
                f"UPDATE {station} SET status = 'permanently_closed', closed_until = NULL, updated_at = %s "  # noqa: S608
                f"WHERE id IN (SELECT s.id FROM {station} s WHERE {self._not_listed()})",
                [now, operator_id],
            )

    def drop(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        except DatabaseError:
            pass  # the import's transaction failed; rolling it back removes the table as well
