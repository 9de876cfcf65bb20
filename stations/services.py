"""Writes that touch stations: every path validates before it writes and leaves a history record.

History (django-simple-history) records who changed which field from what to what. Every write
here takes the acting user (``actor``) and an optional ``reason``; pass ``actor=None`` only for
system jobs (then the history shows no user). Never change stations with ``QuerySet.update()``:
it skips the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .models import Operator, Station

_COMPARED = (
    "name",
    "address",
    "district",
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
    "last_verified_by",
)
_BATCH = 500


def operator_ensure(*, code: str, name: str, kind: str, **extra: Any) -> Operator:
    """Create the operator with this code, or bring its name and kind up to date."""
    operator, _created = Operator.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, **extra})
    return operator


def _save_with_history(station: Station, *, actor: Any, reason: str, update_fields: list[str] | None = None) -> None:
    station._history_user = actor
    station._change_reason = reason or None
    station.save(update_fields=update_fields)


@transaction.atomic
def station_upsert(
    *, operator: Operator, store_code: str, actor: Any = None, reason: str = "", **fields: Any
) -> tuple[Station, str]:
    """Create or update a station by its natural key; return it and "created"/"updated"/"unchanged".

    The row is validated with full_clean() first, so nothing invalid is written. A create or
    an update leaves one history record naming ``actor`` (e.g. the user who ran the import) and
    ``reason`` (e.g. "import #12"); an unchanged row leaves none.
    """
    station = Station.objects.select_for_update().filter(operator=operator, store_code=store_code).first()
    created = station is None
    if created:
        station = Station(operator=operator, store_code=store_code)
    before = {name: getattr(station, name, None) for name in _COMPARED}
    for name, value in fields.items():
        setattr(station, name, value)
    station.full_clean()
    if created:
        _save_with_history(station, actor=actor, reason=reason)
        return station, "created"
    changed = [name for name in _COMPARED if getattr(station, name, None) != before[name]]
    if not changed:
        return station, "unchanged"
    _save_with_history(station, actor=actor, reason=reason, update_fields=[*changed, "updated_at"])
    return station, "updated"


def stations_record_history(*, stations: QuerySet[Station], actor: Any, reason: str, created: bool) -> int:
    """Record one history entry per station for rows already written by set-based SQL (COPY, UPDATE).

    For bulk writers that bypass the ORM: call it in the same transaction, right after the write,
    with the written rows (e.g. ``Station.objects.filter(operator=op, store_code__in=codes)``);
    ``created`` says whether they were inserted ("+") or changed ("~"). One INSERT … SELECT copies
    the rows as they now stand into the history table, so an import of 200,000 stations does not
    load them into Python. Returns how many were recorded.
    """
    history = Station.history.model
    tracked = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    select_sql, select_params = stations.order_by().values_list(*(f.attname for f in tracked)).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = [f.column for f in tracked] + ["history_date", "history_change_reason", "history_type", "history_user_id"]
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"SELECT written.*, %s, %s, %s, %s FROM ({select_sql}) written"
    )
    extra = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        (reason or None) and reason[:100],
        "+" if created else "~",
        getattr(actor, "pk", None),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*extra, *select_params])  # the extra placeholders come first in the text
        return cursor.rowcount


@transaction.atomic
def station_update(*, station: Station, actor: Any, reason: str = "", **fields: Any) -> Station:
    """Change some fields of one station, validate the whole row, save, and record the change."""
    unknown = set(fields) - set(_COMPARED) - {"store_code", "operator"}
    if unknown:
        raise TypeError(f"station_update() cannot set {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(station, name, value)
    station.full_clean()
    _save_with_history(station, actor=actor, reason=reason)
    return station


def station_mark_verified(*, station: Station, actor: Any, at: dt.datetime | None = None) -> Station:
    """Record that ``actor`` confirmed this listing now (or ``at``)."""
    return station_update(
        station=station,
        actor=actor,
        reason=_("Marked verified"),
        last_verified_at=at or timezone.now(),
        last_verified_by=actor,
    )


def _bulk_change(
    stations: Iterable[Station], *, actor: Any, reason: str, changes: dict[str, Any], skip_if: Any = None
) -> int:
    """Apply the same field values to many stations in batches, with one history record each."""
    now = timezone.now()
    fields = [*changes, "updated_at"]
    batch: list[Station] = []
    written = 0

    def flush() -> int:
        if not batch:
            return 0
        count = len(batch)
        bulk_update_with_history(
            batch, Station, fields, batch_size=_BATCH, default_user=actor, default_change_reason=reason
        )
        batch.clear()
        return count

    for station in stations:
        if skip_if is not None and skip_if(station):
            continue
        for name, value in changes.items():
            setattr(station, name, value)
        station.updated_at = now
        batch.append(station)
        if len(batch) >= _BATCH:
            written += flush()
    written += flush()
    return written


def _locked(stations: QuerySet[Station]) -> Iterable[Station]:
    # Rows are locked for the transaction so a concurrent edit cannot be overwritten silently.
    # select_related(None): the admin's list joins the nullable district, which PostgreSQL cannot lock.
    return stations.select_related(None).select_for_update(of=("self",)).order_by("pk").iterator(chunk_size=_BATCH)


@transaction.atomic
def stations_mark_verified(*, stations: QuerySet[Station], actor: Any, at: dt.datetime | None = None) -> int:
    """Mark every station in the queryset verified by ``actor``; return how many were written."""
    when = at or timezone.now()
    return _bulk_change(
        _locked(stations),
        actor=actor,
        reason=_("Marked verified"),
        changes={"last_verified_at": when, "last_verified_by": actor},
    )


@transaction.atomic
def stations_close_temporarily(*, stations: QuerySet[Station], actor: Any, until: dt.date) -> int:
    """Close the stations until ``until`` (the reopening day); permanently closed ones are left alone."""
    today = timezone.localdate()
    if until <= today:
        raise ValidationError({"until": _("The reopening day must be after today.")})
    return _bulk_change(
        _locked(stations),
        actor=actor,
        reason=_("Temporarily closed until %(date)s") % {"date": until.isoformat()},
        changes={"status": Station.Status.TEMPORARILY_CLOSED, "closed_until": until},
        skip_if=lambda s: s.status == Station.Status.PERMANENTLY_CLOSED,
    )


@transaction.atomic
def stations_reopen(*, stations: QuerySet[Station], actor: Any) -> int:
    """Open every station in the queryset that is not open; return how many changed."""
    return _bulk_change(
        _locked(stations),
        actor=actor,
        reason=_("Reopened"),
        changes={"status": Station.Status.OPEN, "closed_until": None},
        skip_if=lambda s: s.status == Station.Status.OPEN,
    )
