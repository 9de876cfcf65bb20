from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from stations import amenities
from stations.models import Station
from tests.factories import OperatorFactory, StationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/stations/clusters/"
SHANGHAI_BOX = "121.0,30.9,122.0,31.6"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # wide views are cached for a minute; each test starts from the database


@pytest.fixture
def two_towns():
    """Five stations around People's Square and three in Songjiang, 30 km apart."""
    centre = [StationFactory(lat=31.2304 + i * 0.001, lng=121.4737 + i * 0.001) for i in range(5)]
    songjiang = [StationFactory(lat=31.0300 + i * 0.001, lng=121.2270, opening_hours="08:00-20:00") for i in range(3)]
    return centre, songjiang


def test_clusters_count_the_stations_in_each_town(api, two_towns):
    response = api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 8
    counts = sorted(c["count"] for c in data["clusters"])
    assert counts == [3, 5]
    centre = next(c for c in data["clusters"] if c["count"] == 5)
    assert centre["lat"] == pytest.approx(31.2324, abs=1e-6)  # mean of the five
    assert centre["lng"] == pytest.approx(121.4757, abs=1e-6)
    west, south, east, north = centre["bbox"]  # the grid cell holding them
    assert west <= 121.4737 and east > 121.4777 and south <= 31.2304 and north > 31.2344
    assert east - west == pytest.approx(data["cell_lng"], abs=1e-6)
    assert centre["id"] is None


def test_a_cell_with_one_station_names_it(api):
    station = StationFactory(lat=31.25, lng=121.40)
    data = api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 12}).json()
    assert len(data["clusters"]) == 1
    cluster = data["clusters"][0]
    assert (cluster["lat"], cluster["lng"], cluster["count"], cluster["id"]) == (31.25, 121.4, 1, station.pk)


def test_clusters_split_as_the_map_zooms_in(api, two_towns):
    around_centre = "121.47,31.228,121.48,31.238"
    low = api.get(URL, {"bbox": around_centre, "zoom": 9}).json()
    high = api.get(URL, {"bbox": around_centre, "zoom": 18}).json()
    assert [c["count"] for c in low["clusters"]] == [5]
    assert [c["count"] for c in high["clusters"]] == [1, 1, 1, 1, 1]


def test_a_cell_cut_by_the_screen_edge_still_counts_all_its_stations(api):
    StationFactory(lat=31.2300, lng=121.4700)
    StationFactory(lat=31.2300, lng=121.4790)
    # At zoom 12 a cell is ~0.029° wide; this box ends between the two stations.
    data = api.get(URL, {"bbox": "121.40,31.20,121.4750,31.26", "zoom": 12}).json()
    assert [c["count"] for c in data["clusters"]] == [2]


def test_wide_views_are_shared_for_a_minute(api, two_towns, django_assert_num_queries):
    api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9})
    with django_assert_num_queries(0):
        again = api.get(URL, {"bbox": "121.001,30.901,121.999,31.599", "zoom": 9})  # same cells
    assert again.json()["count"] == 8
    with django_assert_num_queries(1):
        api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9, "open_24h": "true"})  # other filters, own answer


def test_stations_outside_the_box_are_not_counted(api, two_towns):
    data = api.get(URL, {"bbox": "121.4,31.2,121.6,31.3", "zoom": 9}).json()
    assert data["count"] == 5


def test_cells_do_not_move_when_the_map_pans(api, two_towns):
    one = api.get(URL, {"bbox": "121.0,30.9,122.0,31.6", "zoom": 10}).json()
    two = api.get(URL, {"bbox": "121.1,30.95,122.1,31.65", "zoom": 10}).json()
    assert sorted((c["lat"], c["lng"], c["count"]) for c in one["clusters"]) == sorted(
        (c["lat"], c["lng"], c["count"]) for c in two["clusters"]
    )


def test_clusters_apply_the_same_filters_as_the_list(api, two_towns):
    centre, _songjiang = two_towns
    Station.objects.filter(pk=centre[0].pk).update(amenity_mask=amenities.to_mask(["hot_water"]))
    assert api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9, "open_24h": "true"}).json()["count"] == 5
    assert api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9, "amenity": "hot_water"}).json()["count"] == 1
    op = OperatorFactory(code="familymart-sh")
    Station.objects.filter(pk__in=[s.pk for s in centre[:2]]).update(operator=op)
    assert api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9, "operator": "familymart-sh"}).json()["count"] == 2


def test_open_at_night_leaves_out_the_day_stations(api, two_towns):
    night = api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9, "open_at": "2026-01-05T03:00:00+08:00"}).json()
    day = api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9, "open_at": "2026-01-05T12:00:00+08:00"}).json()
    assert night["count"] == 5
    assert day["count"] == 8


def test_permanently_closed_stations_are_not_clustered(api):
    StationFactory(status=Station.Status.PERMANENTLY_CLOSED)
    assert api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9}).json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"zoom": 9}, "bbox"),
        ({"bbox": SHANGHAI_BOX}, "zoom"),
        ({"bbox": "121,31,122", "zoom": 9}, "bbox"),
        ({"bbox": "a,b,c,d", "zoom": 9}, "bbox"),
        ({"bbox": "121,31,122,nan", "zoom": 9}, "bbox"),
        ({"bbox": "122,31,121,32", "zoom": 9}, "bbox"),
        ({"bbox": SHANGHAI_BOX, "zoom": "nine"}, "zoom"),
        ({"bbox": SHANGHAI_BOX, "zoom": 23}, "zoom"),
        ({"bbox": SHANGHAI_BOX, "zoom": -1}, "zoom"),
        ({"bbox": "-180,-85,180,85", "zoom": 12}, "bbox"),  # the whole world at street zoom
        ({"bbox": SHANGHAI_BOX, "zoom": 9, "amenity": "jacuzzi"}, "amenity"),
        ({"bbox": SHANGHAI_BOX, "zoom": 9, "operator": "nobody"}, "operator"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_clusters_take_one_query_however_many_stations(api, django_assert_num_queries):
    op = OperatorFactory()
    for i in range(60):
        StationFactory(operator=op, lat=30.95 + (i % 10) * 0.06, lng=121.05 + (i // 10) * 0.15)
    with django_assert_num_queries(1):
        response = api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 10})
    assert response.json()["count"] == 60


def test_open_now_clusters_add_one_query_for_the_distinct_hours(api, two_towns, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = api.get(URL, {"bbox": SHANGHAI_BOX, "zoom": 9, "open_now": "true"})
    assert response.status_code == 200


def test_world_view_answers_with_few_cells(api, two_towns):
    response = api.get(URL, {"bbox": "-180,-85,180,85", "zoom": 3})
    assert response.status_code == 200
    assert response.json()["count"] == 8
    assert len(response.content) < 2_000


# ------------------------------------------------------------------- compact list


def test_compact_list_carries_only_what_a_marker_needs(api):
    StationFactory(notes="x" * 500)
    full = api.get("/api/v1/stations/").json()["results"][0]
    compact = api.get("/api/v1/stations/", {"compact": "true"}).json()["results"][0]
    assert set(compact) == {
        "id",
        "name",
        "lat",
        "lng",
        "operator",
        "is_24_7",
        "status",
        "amenities",
        "is_open",
        "next_change",
    }
    assert compact["operator"] == full["operator"]["code"]
    assert len(json.dumps(compact)) * 3 < len(json.dumps(full))


def test_compact_viewport_at_the_map_limit_stays_under_100_kb(api, django_assert_num_queries):
    from stations.views import VIEWPORT_LIMIT

    op = OperatorFactory()
    for i in range(VIEWPORT_LIMIT):
        StationFactory(
            operator=op,
            name=f"全家便利店 上海普陀区某某路第{i}号店",
            lat=31.24 + (i % 20) * 0.0005,
            lng=121.39 + (i // 20) * 0.0005,
            opening_hours="Mo-Fr 07:00-23:00; Sa,Su 08:00-22:00",
            amenity_mask=amenities.ALL_MASK,
        )
    params = {"bbox": "121.38,31.23,121.41,31.26", "compact": "true", "page_size": VIEWPORT_LIMIT}
    for fmt in ("json", "geojson"):
        with django_assert_num_queries(2):  # count + page
            response = api.get("/api/v1/stations/", {**params, "format": fmt})
        assert response.status_code == 200
        body = response.json()
        assert len(body.get("results") or body.get("features")) == VIEWPORT_LIMIT
        # Budget with room for ids up to 7 digits (tests share id sequences on PostgreSQL).
        longest_id = max(len(str(s["id"])) for s in body.get("results") or body.get("features"))
        assert len(response.content) + VIEWPORT_LIMIT * 2 * (7 - longest_id) < 100_000


# ---------------------------------------------------------------- station detail


def test_station_detail_api_has_hours_in_words_and_navigation(api):
    station = StationFactory(opening_hours="Mo-Fr 07:00-23:00; Sa,Su 08:00-22:00")
    data = api.get(f"/api/v1/stations/{station.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["hours_summary"] == ["Mon–Fri 07:00–23:00", "Sat–Sun 08:00–22:00"]
    providers = [n["provider"] for n in data["navigation"]]
    assert providers[:4] == ["amap", "baidu", "apple", "osm"]
    assert all(n["url"] for n in data["navigation"])


def test_schema_documents_the_clusters_and_geocode_parameters(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    clusters = schema["paths"]["/api/v1/stations/clusters/"]["get"]
    names = {p["name"]: p for p in clusters["parameters"]}
    assert names["bbox"]["required"] is True
    assert names["zoom"]["required"] is True
    assert {"open_now", "open_24h", "amenity", "operator"} <= set(names)
    listed = {p["name"] for p in schema["paths"]["/api/v1/stations/"]["get"]["parameters"]}
    assert "compact" in listed
    geocode = schema["paths"]["/api/v1/geocode/"]["get"]
    assert {p["name"] for p in geocode["parameters"]} == {"q"}
    assert {"200", "400", "503"} <= set(geocode["responses"])
