"""What the last import wrote to each station, to tell staff edits from changes in the file.

Two places hold it:

* a StationImportState row, written when an import changes or closes a station;
* for a station that an import created and no import has written since, the station's
  creation record in the history. Every import records each station it creates there, as
  written (fields and ``source = import:<operator code>``), so a second copy of every new
  row would only make the first import of a large chain slower. Any ``import:`` source
  counts: an operator's code may have been renamed since. A station created by staff has
  no such record and, as before, no snapshot: the file simply wins.

Only the stations a file changes are looked up, so a re-import of an unchanged file never
reads either place.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from ..models import Station
from .models import StationImportState
from .sql import codes_condition
from .writing import IMPORT_SOURCE_PREFIX, SNAPSHOT_KEYS

# The first "+" record of a station: its creation as the writer recorded it.
_CREATION = (
    "h.history_type = '+' AND h.source LIKE %s AND h.history_id = "
    "(SELECT MIN(f.history_id) FROM {history} f WHERE f.id = h.id AND f.history_type = '+')"
)


def _tables() -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return (
        quote(Station._meta.db_table),
        quote(Station.history.model._meta.db_table),
        quote(StationImportState._meta.db_table),
    )


def fetch(station_ids: list[int]) -> dict[int, tuple[dict[str, Any], bool]]:
    """(snapshot, whether a StationImportState row holds it) by station; no entry or {} if none is known."""
    if not station_ids:
        return {}
    _station, history, state = _tables()
    condition, params = codes_condition("station_id", station_ids, cast="bigint")
    found: dict[int, tuple[dict[str, Any], bool]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT station_id, CAST(snapshot AS text) FROM {state} WHERE {condition}", params)  # noqa: S608
        for pk, text in cursor.fetchall():
            found[pk] = (json.loads(text), True)
        rest = [pk for pk in station_ids if pk not in found]
        if rest:
            condition, params = codes_condition("h.id", rest, cast="bigint")
            columns = ", ".join(f"h.{connection.ops.quote_name(k)}" for k in SNAPSHOT_KEYS)
            # A station has one creation record; should it have more, the first counts. (Picked
            # here rather than by a correlated subquery, whose cost estimate woke PostgreSQL's JIT
            # compiler for every chunk.)
            cursor.execute(
                f"SELECT h.id, h.source, {columns} FROM {history} h "  # noqa: S608
                f"WHERE {condition} AND h.history_type = '+' ORDER BY h.history_id",
                params,
            )
            for pk, created_by, *values in cursor.fetchall():
                if pk not in found and created_by.startswith(IMPORT_SOURCE_PREFIX):
                    found[pk] = (dict(zip(SNAPSHOT_KEYS, values, strict=True)), False)
                found.setdefault(pk, ({}, False))
    return found


def record_closures(not_listed: str, params: list[Any], *, run_id: int | None) -> None:
    """Record in the snapshots that the import (not staff) is closing the stations `not_listed` selects.

    `not_listed` is SQL selecting station ids (with `params`); call this before closing them.
    """
    _station, history, state = _tables()
    if connection.vendor == "postgresql":
        closed = """jsonb_set(snapshot, '{status}', '"permanently_closed"')"""
        build = "jsonb_build_object"
    else:
        closed = "json_set(snapshot, '$.status', 'permanently_closed')"
        build = "json_object"
    pairs = ", ".join(
        f"'{k}', " + ("'permanently_closed'" if k == "status" else f"h.{connection.ops.quote_name(k)}")
        for k in SNAPSHOT_KEYS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {state} SET snapshot = {closed}, run_id = %s WHERE station_id IN ({not_listed})",  # noqa: S608
            [run_id, *params],
        )
        # Stations still as their import created them have no state row yet: give them one.
        cursor.execute(
            f"INSERT INTO {state} (station_id, run_id, snapshot) "  # noqa: S608
            f"SELECT h.id, %s, {build}({pairs}) FROM {history} h "
            f"WHERE h.id IN ({not_listed}) AND {_CREATION.format(history=history)} "
            f"AND NOT EXISTS (SELECT 1 FROM {state} x WHERE x.station_id = h.id)",
            [run_id, *params, f"{IMPORT_SOURCE_PREFIX}%"],
        )
