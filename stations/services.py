"""Writes that touch stations: every path validates before it writes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

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
)


def operator_ensure(*, code: str, name: str, kind: str, **extra: Any) -> Operator:
    """Create the operator with this code, or bring its name and kind up to date."""
    operator, _created = Operator.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, **extra})
    return operator


@transaction.atomic
def station_upsert(*, operator: Operator, store_code: str, **fields: Any) -> tuple[Station, str]:
    """Create or update a station by its natural key; return it and "created"/"updated"/"unchanged".

    The row is validated with full_clean() first, so nothing invalid is written.
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
        station.save()
        return station, "created"
    changed = [name for name in _COMPARED if getattr(station, name, None) != before[name]]
    if not changed:
        return station, "unchanged"
    station.save(update_fields=[*changed, "updated_at"])
    return station, "updated"
