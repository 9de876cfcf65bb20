"""Set-based writes for an import: COPY/executemany inserts, grouped UPDATEs, sync closures.

Callers have validated every value; these functions write exactly what they are given,
inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils import timezone

from ..bulk import insert_rows
from ..models import Operator, Station
from ..services import stations_record_history
from .models import StationImportState

BATCH = 2_000
_NEW_COLUMNS = (
    "operator_id",
    "store_code",
    "name",
    "address",
    "district_id",
    "lat",
    "lng",
    "opening_hours",
    "status",
    "closed_until",
    "amenity_mask",
    "phone",
    "notes",
    "source",
    "last_verified_at",
    "created_at",
    "updated_at",
)
SNAPSHOT_KEYS = ("name", "address", "district_id", "lat", "lng", "opening_hours", "amenity_mask", "phone", "status")


IMPORT_SOURCE_PREFIX = "import:"


def import_source(operator: Operator) -> str:
    """The `source` of the stations an import of this operator creates."""
    return f"{IMPORT_SOURCE_PREFIX}{operator.code}"[:100]


def _dump(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))


class Writer:
    """Write one import's changes for one operator."""

    def __init__(self, *, operator: Operator, run_id: int | None, actor: Any = None) -> None:
        self.operator = operator
        self.run_id = run_id
        self.actor = actor
        self.reason = f"import #{run_id}" if run_id else "import"  # stored data, not UI text
        self.moment = timezone.now()
        # Whether anything was inserted / changed or closed: an unchanged re-import sends no writes at all.
        self.created_any = False
        self.changed_any = False
        self.now = connection.ops.adapt_datetimefield_value(self.moment)
        self.source = import_source(operator)
        self.station_table = Station._meta.db_table
        self.state_table = StationImportState._meta.db_table
        quote = connection.ops.quote_name
        # PostgreSQL wants text cast to jsonb explicitly in a parameterised UPDATE.
        json_mark = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
        self.snapshot_update = (
            f"UPDATE {quote(self.state_table)} SET snapshot = {json_mark}, run_id = %s WHERE station_id = %s"  # noqa: S608
        )

    def finish(self) -> None:
        """One history entry per station this import created, changed or closed.

        Every row the import writes carries its timestamp (created_at for new rows, updated_at
        for changed and closed ones), so a few INSERT … SELECT statements at the end cover the
        whole file, instead of a round trip per chunk.
        """
        mine = Station.objects.filter(operator=self.operator)
        if self.created_any:
            # These creation records are also the new stations' import snapshots (see snapshots.py).
            stations_record_history(
                stations=mine.filter(created_at=self.moment), actor=self.actor, reason=self.reason, created=True
            )
        if self.changed_any:
            stations_record_history(
                stations=mine.filter(updated_at=self.moment).exclude(created_at=self.moment),
                actor=self.actor,
                reason=self.reason,
                created=False,
            )

    def insert(self, rows: list[dict[str, Any]]) -> None:
        """Create stations for rows whose store code is new (finish() records their creation)."""
        if not rows:
            return
        self.created_any = True
        op, now, source = self.operator.pk, self.now, self.source
        insert_rows(
            self.station_table,
            _NEW_COLUMNS,
            (
                (
                    op,
                    v["store_code"],
                    v["name"],
                    v.get("address", ""),
                    v.get("district_id"),
                    v["lat"],
                    v["lng"],
                    v.get("opening_hours", ""),
                    v["status"],
                    None,
                    v.get("amenity_mask", 0),
                    v.get("phone", ""),
                    "",
                    source,
                    None,
                    now,
                    now,
                )
                for v in rows
            ),
        )

    def update(self, updates: list[tuple[int, dict[str, Any], dict[str, Any], bool]]) -> None:
        """Write only the changed fields of each station, grouped by which fields changed."""
        if not updates:
            return
        self.changed_any = True
        quote = connection.ops.quote_name
        groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        for pk, changes, _snapshot, _has_state in updates:
            names = tuple(sorted(changes))
            groups[names].append([*(changes[n] for n in names), self.now, pk])
        with connection.cursor() as cursor:
            for names, params in groups.items():
                sets = ", ".join(f"{quote(n)} = %s" for n in (*names, "updated_at"))
                sql = f"UPDATE {quote(self.station_table)} SET {sets} WHERE id = %s"  # noqa: S608
                for start in range(0, len(params), BATCH):
                    cursor.executemany(sql, params[start : start + BATCH])
        with connection.cursor() as cursor:
            known = [(_dump(snap), self.run_id, pk) for pk, _c, snap, has_state in updates if has_state]
            for start in range(0, len(known), BATCH):
                cursor.executemany(self.snapshot_update, known[start : start + BATCH])
        fresh = [(pk, self.run_id, _dump(snap)) for pk, _c, snap, has_state in updates if not has_state]
        if fresh:
            insert_rows(self.state_table, ("station_id", "run_id", "snapshot"), fresh)
