"""The map page and the station page through Django's test client (no browser)."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from tests.factories import OperatorFactory, StationFactory

pytestmark = pytest.mark.django_db


def page_config(response) -> dict:
    match = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page carries its configuration as JSON"
    return json.loads(match.group(1))


def test_map_page_serves_leaflet_from_our_own_static_files(client):
    html = client.get("/").content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "/static/leaflet/leaflet.css" in html
    assert "/static/js/map/main.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no asset from another host"


def test_map_page_opens_with_open_now_on_and_the_city_overview(client):
    config = page_config(client.get("/"))
    assert config["state"]["open_now"] is True
    assert config["state"]["lat"] is None
    assert config["center"] == [31.2304, 121.4737]
    assert config["api"]["clusters"] == "/api/v1/stations/clusters/"
    assert config["tileCrs"] == "wgs84"


def test_filters_and_view_are_read_from_the_url(client):
    OperatorFactory(code="familymart-sh", name="全家")
    response = client.get(
        "/",
        {"open_now": "0", "open_24h": "1", "amenity": "hot_water,heating", "operator": "familymart-sh"}
        | {"lat": "31.25", "lng": "121.4", "zoom": "16", "q": "曹杨路"},
    )
    state = page_config(response)["state"]
    assert state == {
        "open_now": False,
        "open_24h": True,
        "amenity": ["hot_water", "heating"],
        "operator": ["familymart-sh"],
        "q": "曹杨路",
        "lat": 31.25,
        "lng": 121.4,
        "zoom": 16,
    }
    html = response.content.decode()
    assert re.search(r'name="open_24h"\s+checked', html)
    assert re.search(r'value="hot_water"\s+checked', html)
    assert re.search(r'value="familymart-sh"\s+selected', html)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "91", "lng": "121"}, "地图位置无效"),
        ({"lat": "abc", "lng": "121"}, "地图位置无效"),
        ({"lat": "31", "lng": "Infinity"}, "地图位置无效"),
        ({"lat": "31", "lng": "121", "zoom": "99"}, "地图位置无效"),
        ({"amenity": "jacuzzi,hot_water"}, "jacuzzi"),
        ({"operator": "nobody"}, "nobody"),
        ({"open_now": "maybe"}, "open_now"),
    ],
)
def test_bad_url_parameters_leave_the_page_working_with_a_message(client, params, message):
    response = client.get("/", params)
    assert response.status_code == 200
    notices = re.search(r'<div class="notices".*?</div>', response.content.decode(), re.S).group(0)
    assert message in notices
    state = page_config(response)["state"]
    assert state["lat"] is None or params.get("lat") is None
    assert "jacuzzi" not in state["amenity"]


def test_script_in_the_search_box_is_escaped_not_run(client):
    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get("/", {"q": attack, "amenity": "<script>alert(3)</script>"})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html  # the message names the dropped value, escaped
    assert page_config(response)["state"]["q"] == attack  # JSON-encoded inside json_script, safely


def test_over_long_search_is_shortened_with_a_message(client):
    response = client.get("/", {"q": "路" * 150})
    assert len(page_config(response)["state"]["q"]) == 100
    assert "100" in re.search(r'<div class="notices".*?</div>', response.content.decode(), re.S).group(0)


def test_map_page_is_english_by_accept_language(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "Locate me" in html
    assert "Nearest stations" in html
    zh = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in zh
    assert "定位我" in zh


def test_javascript_catalogue_follows_the_language(client):
    zh = client.get("/jsi18n/").content.decode()
    en = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    metres = json.dumps("%(m)s 米")  # the catalogue is JSON with ASCII escapes
    assert metres in zh
    assert metres not in en and "django.gettext" in en


def test_station_page_has_navigation_report_link_and_hours_in_words(client):
    station = StationFactory(
        name="全家 曹杨路店",
        opening_hours="Mo-Fr 07:00-23:00; Sa,Su 08:00-22:00",
        phone="021-6250 1234",
        last_verified_at=timezone.now(),
    )
    html = client.get(f"/stations/{station.pk}/").content.decode()
    assert f'href="/feedback/new/?station={station.pk}"' in html
    for provider in ("amap", "baidu", "apple", "osm", "amap_app", "baidu_app", "geo"):
        assert f'data-provider="{provider}"' in html
    assert "coordinate=gaode" in html and "coord_type=wgs84" in html and "dev=1" in html
    assert 'href="tel:02162501234"' in html
    assert "周一–周五 07:00–23:00" in html
    en = client.get(f"/stations/{station.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mon–Fri 07:00–23:00" in en
    assert "Report a problem with this station" in en


def test_station_page_escapes_a_hostile_name(client):
    station = StationFactory(name="<script>alert(1)</script>", address="<b>x</b>")
    html = client.get(f"/stations/{station.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_station_is_404(client):
    assert client.get("/stations/999999/").status_code == 404
