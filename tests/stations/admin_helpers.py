"""Shared set-up for the admin tests: staff of each role and a station form's POST data."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from stations.models import District, Station
from stations.roles import CHAIN_STAFF, DISTRICT_STAFF, groups_ensure

User = get_user_model()


def make_staff(role: str, *, districts: list[District] = (), operator=None, username: str | None = None):
    """A staff account as create_staff makes it: the role's group plus its scope."""
    groups = groups_ensure()
    user = User.objects.create_user(username=username or f"{role}-{User.objects.count()}", password="pw", is_staff=True)
    if role == "superuser":
        user.is_superuser = True
        user.save()
        return user
    user.groups.add(groups[CHAIN_STAFF if role == "chain" else DISTRICT_STAFF])
    user.districts.set(districts)
    user.operator = operator
    user.save()
    return user


def change_form_data(station: Station, **overrides) -> dict[str, str]:
    """POST data for the station change form, as the admin page would send it."""
    verified = timezone.localtime(station.last_verified_at) if station.last_verified_at else None
    data = {
        "operator": str(station.operator_id),
        "store_code": station.store_code,
        "name": station.name,
        "address": station.address,
        "district": str(station.district_id or ""),
        "lat": str(station.lat),
        "lng": str(station.lng),
        "opening_hours": station.opening_hours,
        "status": station.status,
        "closed_until": station.closed_until.isoformat() if station.closed_until else "",
        "phone": station.phone,
        "notes": station.notes,
        "source": station.source,
        "last_verified_at_0": verified.date().isoformat() if verified else "",
        "last_verified_at_1": verified.strftime("%H:%M:%S") if verified else "",
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data
