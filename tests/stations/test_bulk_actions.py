from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import District, Station
from tests.factories import StationFactory

from .admin_helpers import make_staff

CHANGELIST = "admin:stations_station_changelist"


@pytest.fixture
def putuo(db):
    return District.objects.get(code="310107")


@pytest.fixture
def staffer(putuo):
    return make_staff("district", districts=[putuo], username="putuo-staff")


@pytest.fixture
def stations(putuo):
    return [StationFactory(district=putuo) for _ in range(3)]


def act(client, action, stations, **extra):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [s.pk for s in stations], "index": 0, **extra}
    )


def test_close_action_asks_for_the_reopening_day_first(client, staffer, stations):
    client.force_login(staffer)
    response = act(client, "close_temporarily", stations[:2])
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="until"' in page and stations[0].name in page
    assert set(Station.objects.values_list("status", flat=True)) == {"open"}


@pytest.mark.parametrize("until", ["", "not-a-date", "today", "yesterday"])
def test_close_action_rejects_a_missing_or_past_day_and_changes_nothing(client, staffer, stations, until):
    today = timezone.localdate()
    value = {"today": today.isoformat(), "yesterday": (today - dt.timedelta(days=1)).isoformat()}.get(until, until)
    client.force_login(staffer)
    response = act(client, "close_temporarily", stations[:2], apply="1", until=value)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert set(Station.objects.values_list("status", flat=True)) == {"open"}


def test_close_action_closes_selected_stations_until_the_day_with_history(client, staffer, stations):
    until = timezone.localdate() + dt.timedelta(days=10)
    client.force_login(staffer)
    response = act(client, "close_temporarily", stations[:2], apply="1", until=until.isoformat())
    assert response.status_code == 302
    closed = Station.objects.filter(status="temporarily_closed", closed_until=until)
    assert set(closed.values_list("pk", flat=True)) == {stations[0].pk, stations[1].pk}
    assert Station.objects.get(pk=stations[2].pk).status == "open"
    record = stations[0].history.latest()
    assert record.history_user == staffer and record.closed_until == until
    assert until.isoformat() in record.history_change_reason


def test_close_action_leaves_permanently_closed_stations_alone(client, staffer, stations):
    stations[0].status = "permanently_closed"
    stations[0].save()
    client.force_login(staffer)
    until = timezone.localdate() + dt.timedelta(days=3)
    act(client, "close_temporarily", stations[:1], apply="1", until=until.isoformat())
    assert Station.objects.get(pk=stations[0].pk).status == "permanently_closed"


def test_reopen_action_opens_and_records_history_only_for_changed_stations(client, staffer, stations):
    until = timezone.localdate() + dt.timedelta(days=5)
    Station.objects.filter(pk=stations[0].pk).update(status="temporarily_closed", closed_until=until)
    client.force_login(staffer)
    counts = {s.pk: s.history.count() for s in stations}
    act(client, "reopen", stations)
    assert set(Station.objects.values_list("status", flat=True)) == {"open"}
    assert Station.objects.get(pk=stations[0].pk).closed_until is None
    assert stations[0].history.count() == counts[stations[0].pk] + 1
    assert stations[0].history.latest().history_user == staffer
    assert stations[1].history.count() == counts[stations[1].pk]


def test_mark_verified_action_records_who_and_when_for_each_station(client, staffer, stations):
    client.force_login(staffer)
    before = timezone.now()
    act(client, "mark_verified", stations[:2])
    for station in stations[:2]:
        station.refresh_from_db()
        assert station.last_verified_by == staffer and station.last_verified_at >= before
        assert station.history.latest().history_user == staffer
    assert Station.objects.get(pk=stations[2].pk).last_verified_at is None


def test_actions_apply_to_select_across_within_scope_only(client, staffer, stations):
    outside = StationFactory(district=District.objects.get(code="310105"))
    client.force_login(staffer)
    client.post(
        reverse(CHANGELIST),
        {"action": "mark_verified", "select_across": "1", "index": 0, "_selected_action": [stations[0].pk]},
    )
    assert Station.objects.filter(district__code="310107", last_verified_at__isnull=True).count() == 0
    assert Station.objects.get(pk=outside.pk).last_verified_at is None


def test_export_csv_lists_selected_stations_with_natural_keys(client, staffer, stations):
    client.force_login(staffer)
    response = act(client, "export_csv", stations[:2])
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("id,operator,store_code,name")
    assert len(lines) == 3
    assert f",{stations[0].store_code}," in lines[1] and ",310107," in lines[1]
