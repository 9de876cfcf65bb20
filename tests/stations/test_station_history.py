from __future__ import annotations

import pytest
from django.urls import reverse

from stations.models import District, Station
from stations.services import station_update, station_upsert
from tests.factories import OperatorFactory, StationFactory

from .admin_helpers import change_form_data, make_staff


@pytest.fixture
def staffer(db):
    return make_staff("district", districts=[District.objects.get(code="310107")], username="putuo-staff")


@pytest.fixture
def station(db):
    return StationFactory(name="曹杨路全家", district=District.objects.get(code="310107"), opening_hours="24/7")


def test_admin_edit_records_who_changed_which_field_from_what_to_what(client, staffer, station):
    client.force_login(staffer)
    client.post(
        reverse("admin:stations_station_change", args=[station.pk]),
        change_form_data(station, opening_hours="Mo-Fr 08:00-20:00", phone="021-12345678"),
    )
    latest = station.history.latest()
    assert latest.history_user == staffer
    delta = latest.diff_against(latest.prev_record)
    changes = {c.field: (c.old, c.new) for c in delta.changes}
    assert changes["opening_hours"] == ("24/7", "Mo-Fr 08:00-20:00")
    assert changes["phone"] == ("", "021-12345678")
    page = client.get(reverse("admin:stations_station_history", args=[station.pk])).content.decode()
    assert "Mo-Fr 08:00-20:00" in page and "putuo-staff" in page


def test_reverting_to_an_earlier_version_through_the_admin_restores_it_and_is_itself_recorded(client, staffer, station):
    station_update(station=station, actor=staffer, name="错误的名字", opening_hours="")
    original = station.history.earliest()
    client.force_login(staffer)
    page = client.get(reverse("admin:stations_station_simple_history", args=[station.pk, original.history_id]))
    assert page.status_code == 200 and "曹杨路全家" in page.content.decode()
    client.post(
        reverse("admin:stations_station_simple_history", args=[station.pk, original.history_id]),
        change_form_data(original.instance),
    )
    station.refresh_from_db()
    assert (station.name, station.opening_hours, station.is_24_7) == ("曹杨路全家", "24/7", True)
    assert station.history.count() == 3
    assert station.history.latest().history_user == staffer


def test_station_update_validates_before_writing_and_leaves_no_history_on_error(staffer, station):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        station_update(station=station, actor=staffer, opening_hours="not hours at all")
    assert Station.objects.get(pk=station.pk).opening_hours == "24/7"
    assert station.history.count() == 1


def test_station_upsert_records_the_importing_user_and_reason(staffer):
    operator = OperatorFactory(code="lawson")
    common = {"name": "罗森 1", "lat": 31.2, "lng": 121.4, "opening_hours": "24/7"}
    station, outcome = station_upsert(operator=operator, store_code="L1", actor=staffer, reason="import #7", **common)
    assert outcome == "created"
    _same, outcome = station_upsert(operator=operator, store_code="L1", actor=staffer, reason="import #8", **common)
    assert outcome == "unchanged"
    station_upsert(
        operator=operator, store_code="L1", actor=staffer, reason="import #9", **{**common, "name": "罗森一号"}
    )
    records = list(station.history.order_by("history_date").values_list("history_type", "history_change_reason"))
    assert records == [("+", "import #7"), ("~", "import #9")]
    assert station.history.latest().history_user == staffer


def test_history_of_a_deleted_station_is_for_platform_administrators_only(client, staffer, station):
    pk = station.pk
    station.delete()
    client.force_login(staffer)
    assert client.get(reverse("admin:stations_station_history", args=[pk])).status_code == 404
    client.force_login(make_staff("superuser"))
    page = client.get(reverse("admin:stations_station_history", args=[pk]))
    assert page.status_code == 200 and "曹杨路全家" in page.content.decode()


def test_set_based_writers_can_record_history_for_rows_they_wrote(staffer):
    from stations.services import stations_record_history

    operator = OperatorFactory(code="familymart")
    StationFactory.create_batch(3, operator=operator)
    Station.history.all().delete()
    # An import that wrote with raw SQL, as a COPY or grouped UPDATE would.
    Station.objects.filter(operator=operator).update(opening_hours="Mo-Su 07:00-23:00")
    written = Station.objects.filter(operator=operator)
    assert stations_record_history(stations=written, actor=staffer, reason="import #3", created=False) == 3
    records = Station.history.filter(operator=operator)
    assert records.count() == 3
    assert {(r.history_type, r.history_change_reason, r.history_user_id, r.opening_hours) for r in records} == {
        ("~", "import #3", staffer.pk, "Mo-Su 07:00-23:00")
    }
