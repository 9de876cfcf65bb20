"""The station form's map picker in a real browser: click, drag, type, search, save."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth import get_user_model

from stations import crs
from stations.models import District
from tests.factories import StationFactory

from .test_admin_geocode import nominatim  # noqa: F401 -- the local Nominatim fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1×1 transparent PNG stands in for map tiles: tests never touch the internet.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture
def station():
    # A transactional test starts from an empty database (the migration's districts are flushed).
    putuo, _ = District.objects.get_or_create(code="310107", defaults={"name": "普陀区"})
    return StationFactory(name="曹杨路全家", lat=31.2496, lng=121.3972, district=putuo)


def sign_in_and_open(page, live_server, station, *, tiles: str = "fulfill"):
    get_user_model().objects.create_superuser("boss", password="pw-for-tests-1")
    if tiles == "fulfill":
        page.route(
            re.compile(r"https://tile\.openstreetmap\.org/.*"),
            lambda route: route.fulfill(body=TILE, content_type="image/png"),
        )
    else:
        page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.abort())
    page.goto(f"{live_server.url}/admin/login/?next=/admin/stations/station/{station.pk}/change/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_selector(".ws-picker[data-ready=true]")
    page.locator(".ws-picker-map").scroll_into_view_if_needed()


MARKER_JS = """() => {
    const point = document.querySelector('.ws-picker').wsPicker.getMarker().getLatLng();
    return [point.lat, point.lng];
}"""


def marker_latlng(page) -> tuple[float, float]:
    return tuple(page.evaluate(MARKER_JS))


def test_click_type_and_save_keep_map_and_numbers_in_sync(page, live_server, station):
    sign_in_and_open(page, live_server, station)
    lat_input, lng_input = page.locator("#id_lat"), page.locator("#id_lng")
    assert marker_latlng(page) == pytest.approx((31.2496, 121.3972))

    # Click the map away from the marker: the inputs take the clicked point.
    box = page.locator(".ws-picker-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.3)
    clicked = (float(lat_input.input_value()), float(lng_input.input_value()))
    assert clicked != pytest.approx((31.2496, 121.3972), abs=1e-5)
    assert marker_latlng(page) == pytest.approx(clicked, abs=1e-6)

    # Type numbers: the marker follows.
    lat_input.fill("31.2333")
    lng_input.fill("121.4011")
    assert marker_latlng(page) == pytest.approx((31.2333, 121.4011), abs=1e-6)

    # Drag the marker: the numbers follow.
    icon = page.locator(".leaflet-marker-icon").bounding_box()
    start = (icon["x"] + icon["width"] / 2, icon["y"] + icon["height"] - 4)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 30, start[1] + 20, steps=5)
    page.mouse.up()
    dragged = (float(lat_input.input_value()), float(lng_input.input_value()))
    assert dragged[0] < 31.2333 and dragged[1] > 121.4011

    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/stations/station/$"))
    station.refresh_from_db()
    assert (station.lat, station.lng) == pytest.approx(dragged, abs=1e-6)
    assert page.console_errors == []


def test_over_gcj02_tiles_the_marker_is_shifted_and_the_database_keeps_wgs84(page, live_server, station, settings):
    settings.WAYSTATION_TILE_CRS = "gcj02"
    sign_in_and_open(page, live_server, station)
    shown = marker_latlng(page)
    assert shown == pytest.approx(crs.wgs84_to_gcj02(31.2496, 121.3972), abs=1e-7)

    page.locator("#id_lat").fill("31.230000")
    page.locator("#id_lng").fill("121.470000")
    assert marker_latlng(page) == pytest.approx(crs.wgs84_to_gcj02(31.23, 121.47), abs=1e-7)

    box = page.locator(".ws-picker-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.6)
    stored = (float(page.locator("#id_lat").input_value()), float(page.locator("#id_lng").input_value()))
    assert crs.wgs84_to_gcj02(*stored) == pytest.approx(marker_latlng(page), abs=2e-6)
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/stations/station/$"))
    station.refresh_from_db()
    assert (station.lat, station.lng) == pytest.approx(stored, abs=1e-6)


def test_picker_works_when_tiles_fail_and_says_when_no_geocoder_is_configured(page, live_server, station, settings):
    settings.WAYSTATION_GEOCODER = {"provider": ""}
    sign_in_and_open(page, live_server, station, tiles="abort")
    box = page.locator(".ws-picker-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2)
    assert float(page.locator("#id_lat").input_value()) > 31.2496

    assert page.locator(".ws-picker-query").is_disabled()
    assert "WAYSTATION_GEOCODER" in page.locator(".ws-picker-status").inner_text()
    # Only the deliberately failed tile requests may be logged.
    assert all("Failed to load resource" in message for message in page.console_errors)


@pytest.mark.usefixtures("nominatim")
def test_address_search_moves_the_marker_and_fills_the_numbers(page, live_server, station):
    sign_in_and_open(page, live_server, station)
    page.fill(".ws-picker-query", "上海市普陀区曹杨路")
    page.press(".ws-picker-query", "Enter")  # searches; must not submit the station form
    page.wait_for_function("() => document.querySelector('#id_lat').value === '31.248000'")
    assert page.locator("#id_lng").input_value() == "121.410000"
    assert marker_latlng(page) == pytest.approx((31.248, 121.41), abs=1e-6)
    assert "曹杨路, 普陀区" in page.locator(".ws-picker-status").inner_text()
    assert page.url.endswith(f"/admin/stations/station/{station.pk}/change/")
    assert page.console_errors == []


@pytest.mark.usefixtures("nominatim")
def test_address_search_reports_no_match_without_moving_anything(page, live_server, station):
    sign_in_and_open(page, live_server, station)
    page.fill(".ws-picker-query", "不存在的地方")
    page.click(".ws-picker-go")
    page.wait_for_selector(".ws-picker-status.is-error")
    assert page.locator("#id_lat").input_value() == "31.2496"
    assert marker_latlng(page) == pytest.approx((31.2496, 121.3972))
