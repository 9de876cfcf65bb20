from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.admin_changelist import verification_state_expression
from stations.models import District, Station
from tests.factories import StationFactory

from .admin_helpers import make_staff


@pytest.fixture
def putuo_stations(db):
    putuo = District.objects.get(code="310107")
    now = timezone.now()
    return {
        "fresh": StationFactory(name="站点甲", district=putuo, last_verified_at=now - dt.timedelta(days=5)),
        "stale": StationFactory(name="站点乙", district=putuo, last_verified_at=now - dt.timedelta(days=120)),
        "never": StationFactory(name="站点丙", district=putuo, last_verified_at=None),
    }


def test_verification_state_is_computed_in_sql_with_the_configured_period(settings, putuo_stations):
    states = dict(Station.objects.annotate(state=verification_state_expression()).values_list("name", "state"))
    assert states == {"站点甲": "fresh", "站点乙": "stale", "站点丙": "never"}
    settings.WAYSTATION_STALE_AFTER_DAYS = 200
    states = dict(Station.objects.annotate(state=verification_state_expression()).values_list("name", "state"))
    assert states["站点乙"] == "fresh"


@pytest.mark.parametrize(
    ("value", "shown", "hidden"),
    [
        ("stale", {"站点乙"}, {"站点甲", "站点丙"}),
        ("fresh", {"站点甲"}, {"站点乙", "站点丙"}),
        ("never", {"站点丙"}, {"站点甲", "站点乙"}),
    ],
)
def test_changelist_filter_shows_only_stations_in_that_state(admin_client, putuo_stations, value, shown, hidden):
    page = admin_client.get(reverse("admin:stations_station_changelist"), {"verification": value}).content.decode()
    assert all(name in page for name in shown)
    assert not any(name in page for name in hidden)


def test_changelist_flags_stale_and_never_verified_stations(admin_client, putuo_stations):
    page = admin_client.get(reverse("admin:stations_station_changelist")).content.decode()
    assert page.count('class="ws-stale"') == 1
    assert page.count('class="ws-never"') == 1
    assert page.count('class="ws-fresh"') == 1


def test_mark_verified_button_records_who_and_when(client, putuo_stations):
    staffer = make_staff("district", districts=[District.objects.get(code="310107")])
    station = putuo_stations["stale"]
    client.force_login(staffer)
    before = timezone.now()
    response = client.post(reverse("admin:stations_station_verify", args=[station.pk]))
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.last_verified_by == staffer
    assert station.last_verified_at >= before
    record = station.history.latest()
    assert (record.history_user, record.history_change_reason) == (staffer, "标记为已核实")


def test_mark_verified_button_refuses_get(client, putuo_stations):
    client.force_login(make_staff("superuser"))
    response = client.get(reverse("admin:stations_station_verify", args=[putuo_stations["never"].pk]))
    assert response.status_code == 405
    assert Station.objects.get(pk=putuo_stations["never"].pk).last_verified_at is None


def test_public_api_exposes_last_verified_at(client, putuo_stations):
    station = putuo_stations["fresh"]
    body = client.get(f"/api/v1/stations/{station.pk}/").json()
    assert body["last_verified_at"] is not None
    assert dt.datetime.fromisoformat(body["last_verified_at"]) == station.last_verified_at
