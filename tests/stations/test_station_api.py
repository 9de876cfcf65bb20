from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stations import amenities
from stations.models import Station
from tests.factories import DistrictFactory, OperatorFactory, StationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/stations/"
NEAREST = "/api/v1/stations/nearest/"


def test_list_is_paginated_and_carries_the_station_fields(api):
    operator = OperatorFactory(code="familymart-sh", name="全家")
    StationFactory.create_batch(3, operator=operator, amenity_mask=amenities.to_mask(["seating", "hot_water"]))
    body = api.get(LIST, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None
    first = body["results"][0]
    assert first["operator"] == {"code": "familymart-sh", "name": "全家", "kind": "chain"}
    assert first["amenities"] == ["seating", "hot_water"]
    assert {"lat", "lng", "opening_hours", "is_24_7", "status", "last_verified_at", "is_open", "source"} <= set(first)


def test_list_filters_combine(api, putuo):
    hot = amenities.to_mask(["hot_water", "phone_charging"])
    a = OperatorFactory(code="a", kind="chain")
    b = OperatorFactory(code="b", kind="union")
    match = StationFactory(operator=a, district=putuo, amenity_mask=hot, opening_hours="24/7", lat=31.25, lng=121.40)
    StationFactory(operator=a, district=putuo, amenity_mask=hot, opening_hours="Mo-Fr 08:00-18:00")  # not 24/7
    StationFactory(operator=b, district=putuo, amenity_mask=hot)  # other operator
    StationFactory(operator=a, district=putuo, amenity_mask=amenities.to_mask(["hot_water"]))  # missing charging
    StationFactory(operator=a, amenity_mask=hot, lat=39.9, lng=116.4)  # outside bbox and district
    params = {
        "operator": "a",
        "kind": "chain",
        "district": "310107",
        "amenity": "hot_water,phone_charging",
        "open_24h": "true",
        "bbox": "121.3,31.2,121.5,31.3",
    }
    ids = [s["id"] for s in api.get(LIST, params).json()["results"]]
    assert ids == [match.pk]


def test_q_searches_name_and_address(api):
    hit = StationFactory(name="全家（曹杨路店）", address="普陀区曹杨路 100 号")
    StationFactory(name="罗森", address="黄浦区南京东路")
    assert [s["id"] for s in api.get(LIST, {"q": "曹杨"}).json()["results"]] == [hit.pk]


def test_open_now_filter_uses_the_shanghai_clock(api):
    always = StationFactory(opening_hours="24/7")
    StationFactory(opening_hours="")  # unknown: never open
    StationFactory(status=Station.Status.TEMPORARILY_CLOSED)
    now_local = timezone.localtime()
    # A window that is certainly closed now: the hour three hours from now, for one hour.
    start = (now_local + dt.timedelta(hours=3)).strftime("%H:00")
    end = (now_local + dt.timedelta(hours=4)).strftime("%H:00")
    StationFactory(opening_hours=f"{start}-{end}")
    ids = [s["id"] for s in api.get(LIST, {"open_now": "true"}).json()["results"]]
    assert ids == [always.pk]


def test_open_at_evaluates_overnight_hours(api):
    night = StationFactory(opening_hours="22:00-06:00")
    StationFactory(opening_hours="Mo-Su 08:00-20:00")
    body = api.get(LIST, {"open_at": "2026-01-05T03:00:00+08:00"}).json()
    assert [s["id"] for s in body["results"]] == [night.pk]
    assert body["results"][0]["is_open"] is True


def test_geojson_is_a_feature_collection_with_lng_first(api):
    station = StationFactory(lat=31.25, lng=121.40)
    response = api.get(LIST, {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 1
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [121.40, 31.25]}
    assert feature["properties"]["name"] == station.name


def test_detail_returns_one_station_and_404_for_unknown(api):
    station = StationFactory()
    assert api.get(f"{LIST}{station.pk}/").json()["store_code"] == station.store_code
    assert api.get(f"{LIST}999999/").status_code == 404


def test_nearest_returns_distances_travel_times_and_open_state(api):
    near = StationFactory(lat=31.2500, lng=121.3972, opening_hours="Mo-Su 08:00-20:00")
    far = StationFactory(lat=31.2600, lng=121.3972, opening_hours="24/7")
    body = api.get(NEAREST, {"lat": 31.2496, "lng": 121.3972, "open_at": "2026-01-05T12:00:00+08:00"}).json()
    assert [r["id"] for r in body["results"]] == [near.pk, far.pk]
    first = body["results"][0]
    assert first["distance_m"] == 44
    assert (first["minutes_by_ebike"], first["minutes_on_foot"]) == (1, 1)
    assert first["is_open"] is True
    night = api.get(NEAREST, {"lat": 31.2496, "lng": 121.3972, "open_at": "2026-01-05T03:00:00"}).json()
    assert [r["id"] for r in night["results"]] == [far.pk]  # naive moments are Shanghai time


def test_nearest_limit_defaults_to_ten(api):
    for i in range(12):
        StationFactory(lat=31.2496 + i * 0.0005, lng=121.3972)
    assert len(api.get(NEAREST, {"lat": 31.2496, "lng": 121.3972}).json()["results"]) == 10
    assert len(api.get(NEAREST, {"lat": 31.2496, "lng": 121.3972, "limit": 3}).json()["results"]) == 3


def test_nearest_without_open_filter_lists_unknown_hours_as_not_open(api):
    StationFactory(opening_hours="")
    results = api.get(NEAREST, {"lat": 31.2496, "lng": 121.3972}).json()["results"]
    assert [r["is_open"] for r in results] == [None]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "abc", "lng": "121"}, "lat"),
        ({"lat": "91", "lng": "121"}, "lat"),
        ({"lat": "31", "lng": "181"}, "lng"),
        ({"lat": "nan", "lng": "121"}, "lat"),
        ({"lat": "31", "lng": "Infinity"}, "lng"),
        ({"lng": "121"}, "lat"),
        ({"lat": "31", "lng": "121", "limit": "101"}, "limit"),
        ({"lat": "31", "lng": "121", "limit": "0"}, "limit"),
        ({"lat": "31", "lng": "121", "open_at": "yesterday-ish"}, "open_at"),
        ({"lat": "31", "lng": "121", "amenity": "sauna"}, "amenity"),
        ({"lat": "31", "lng": "121", "operator": "no-such-chain"}, "operator"),
        ({"lat": "31", "lng": "121", "max_distance_m": "-5"}, "max_distance_m"),
        ({"lat": "31", "lng": "121", "open_24h": "maybe"}, "open_24h"),
    ],
)
def test_nearest_bad_input_is_a_400_naming_the_field(api, params, field):
    response = api.get(NEAREST, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "121,31,120,32"}, "bbox"),
        ({"bbox": "121,95,122,96"}, "bbox"),
        ({"amenity": "seating,jacuzzi"}, "amenity"),
        ({"kind": "spaceport"}, "kind"),
        ({"district": "999999"}, "district"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"open_at": "13/13/2026"}, "open_at"),
    ],
)
def test_list_bad_input_is_a_400_naming_the_field(api, params, field):
    response = api.get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


def test_errors_speak_the_requested_language(api):
    zh = api.get(LIST, {"bbox": "1"}, HTTP_ACCEPT_LANGUAGE="zh-CN").json()["bbox"][0]
    en = api.get(LIST, {"bbox": "1"}, HTTP_ACCEPT_LANGUAGE="en").json()["bbox"][0]
    assert "四个数字" in zh
    assert "four numbers" in en


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nothing_can_be_written_anonymously(api, method):
    station = StationFactory()
    url = LIST if method == "post" else f"{LIST}{station.pk}/"
    response = getattr(api, method)(url, {"name": "hijacked"}, format="json")
    assert response.status_code in (401, 403)
    station.refresh_from_db()
    assert station.name != "hijacked"
    assert Station.objects.count() == 1


def test_list_query_count_does_not_grow_with_the_page(api, django_assert_num_queries):
    district = DistrictFactory()
    for i in range(30):
        StationFactory(operator=OperatorFactory(), district=district, lat=31 + i * 0.001)
    with django_assert_num_queries(2):  # COUNT, then the page with operator and district joined
        assert len(api.get(LIST, {"page_size": 30}).json()["results"]) == 30


def test_nearest_query_count_does_not_grow_with_the_limit(api, django_assert_num_queries):
    for i in range(40):
        StationFactory(operator=OperatorFactory(), lat=31.2496 + (i % 8) * 0.0001, lng=121.3972 + (i // 8) * 0.0001)
    with django_assert_num_queries(2):  # one ring of the search, then the results with their relations
        assert len(api.get(NEAREST, {"lat": 31.2496, "lng": 121.3972, "limit": 40}).json()["results"]) == 40


def test_amenity_vocabulary_is_served_with_labels(api):
    body = api.get("/api/v1/amenities/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [a["code"] for a in body] == list(amenities.CODES)
    assert {"code": "hot_water", "label": "热水", "icon": "♨"} in body


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/stations/nearest/" in text and "minutes_by_ebike" in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()  # assets come from our own static files
