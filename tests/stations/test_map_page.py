"""The rider's map in headless Chromium against a live server and a real database."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from stations import amenities
from stations.crs import gcj02_to_wgs84, wgs84_to_gcj02
from stations.geo import haversine_m
from tests.conftest import ARTIFACTS
from tests.factories import StationFactory
from tests.stations.test_geocode_api import nominatim  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME = (31.2496, 121.3972)  # where the rider stands (WGS-84)


@pytest.fixture(autouse=True)
def local_tiles(settings, live_server):
    """Tiles from the live server itself: this network is closed, and a test must not need it."""
    cache.clear()  # cluster answers are shared for a minute; each test seeds its own stations
    settings.LEAFLET_CONFIG = {
        **settings.LEAFLET_CONFIG,
        "TILES": [("Test", f"{live_server.url}/static/leaflet/images/layers.png?{{z}}/{{x}}/{{y}}", {"maxZoom": 19})],
    }


def open_map(page, live_server, query: str = "") -> None:
    page.goto(f"{live_server.url}/{query}")
    page.wait_for_selector("#nearest[data-loaded]", state="attached")
    page.wait_for_function("document.getElementById('app').dataset.viewLoads >= 1")


def list_names(page) -> list[str]:
    return page.locator("#nearest .name").evaluate_all("nodes => nodes.map(n => n.firstChild.textContent)")


def url_query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_map_page_loads_without_console_errors(page, live_server, browser):
    StationFactory(name="全家 曹杨路店", lat=HOME[0], lng=HOME[1])
    open_map(page, live_server)
    assert page.locator("#map .leaflet-tile-loaded").count() > 0
    assert page.console_errors == []
    desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    tab = desktop.new_page()
    open_map(tab, live_server)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "map-desktop.png"))
    desktop.close()
    night = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", color_scheme="dark")
    tab = night.new_page()
    open_map(tab, live_server)
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    tab.screenshot(path=str(ARTIFACTS / "map-mobile-dark.png"))
    night.close()
    assert background == "rgb(18, 18, 18)"  # the dark theme by prefers-color-scheme


def test_english_browser_gets_the_english_map_including_script_strings(browser, live_server):
    StationFactory(name="FamilyMart Caoyang Rd", lat=HOME[0] + 0.003, lng=HOME[1])
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": HOME[0], "longitude": HOME[1]})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_map(tab, live_server, "?open_now=0")
    tab.click("#locate")
    tab.wait_for_function("document.getElementById('list-origin').textContent === 'near you'")
    assert tab.text_content("#locate").strip().endswith("Locate me")
    meta = tab.locator("#nearest li").first.locator(".meta").text_content()
    assert meta.endswith("min by e-bike") and " m · " in meta
    assert tab.text_content("#nearest .status") == "Open 24 hours"
    context.close()
    assert errors == []


def test_located_rider_sees_the_nearest_station_first_with_its_distance(page, live_server):
    near = StationFactory(name="最近的驿站", lat=HOME[0] + 0.003, lng=HOME[1])
    StationFactory(name="远一点的驿站", lat=HOME[0] + 0.02, lng=HOME[1] + 0.02)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": HOME[0], "longitude": HOME[1]})
    open_map(page, live_server, "?open_now=0")
    page.click("#locate")
    page.wait_for_function("document.getElementById('list-origin').textContent.includes('你')")
    page.wait_for_function("document.querySelector('#nearest .name')?.textContent.startsWith('最近的驿站')")
    assert list_names(page) == ["最近的驿站", "远一点的驿站"]
    metres = round(haversine_m(HOME[0], HOME[1], near.lat, near.lng))
    assert page.locator("#nearest li").first.locator(".meta").text_content().startswith(f"{metres} 米")
    assert page.console_errors == []


def test_filters_change_the_list_and_the_url(page, live_server):
    StationFactory(name="全天驿站", opening_hours="24/7", amenity_mask=amenities.to_mask(["hot_water"]))
    StationFactory(name="时间未知驿站", opening_hours="", lat=HOME[0] + 0.001)
    open_map(page, live_server, f"?open_now=0&lat={HOME[0]}&lng={HOME[1]}&zoom=16")
    assert sorted(list_names(page)) == ["全天驿站", "时间未知驿站"]

    page.check("input[name=open_24h]")
    page.wait_for_function("document.querySelectorAll('#nearest li').length === 1")
    assert list_names(page) == ["全天驿站"]
    assert url_query(page)["open_24h"] == "1"

    page.uncheck("input[name=open_24h]")
    page.wait_for_function("document.querySelectorAll('#nearest li').length === 2")
    page.click(".amenity-filter summary")
    page.check("input[name=amenity][value=hot_water]")
    page.wait_for_function("document.querySelectorAll('#nearest li').length === 1")
    assert url_query(page)["amenity"] == "hot_water"

    page.check("input[name=open_now]")  # unknown hours are never "open now"
    page.wait_for_function("document.querySelectorAll('#nearest li').length === 1")
    assert list_names(page) == ["全天驿站"]
    assert "open_now" not in url_query(page)
    page.reload()
    page.wait_for_selector("#nearest[data-loaded]", state="attached")
    assert page.is_checked("input[name=amenity][value=hot_water]")
    assert page.console_errors == []


def test_tapping_a_station_opens_details_with_correct_navigation_links(page, live_server):
    station = StationFactory(
        name="全家 曹杨路店", address="曹杨路 1 号", phone="021-62501234", lat=HOME[0], lng=HOME[1]
    )
    open_map(page, live_server, f"?open_now=0&lat={HOME[0]}&lng={HOME[1]}&zoom=16")

    page.click(f".st-marker[data-id='{station.pk}']")
    page.wait_for_selector("#sheet:not([hidden])")
    page.wait_for_function("document.getElementById('sheet-name').textContent === '全家 曹杨路店'")
    assert "selected" in page.locator(f"#nearest li[data-id='{station.pk}']").get_attribute("class")

    amap = page.get_attribute("#sheet-nav a[data-provider=amap]", "href")
    lon, lat, _name = parse_qs(urlsplit(amap).query)["to"][0].split(",")
    glat, glng = wgs84_to_gcj02(HOME[0], HOME[1])
    assert (float(lat), float(lon)) == pytest.approx((glat, glng), abs=1e-6)
    baidu = parse_qs(urlsplit(page.get_attribute("#sheet-nav a[data-provider=baidu]", "href")).query)
    assert baidu["coord_type"] == ["wgs84"] and baidu["location"] == ["31.2496,121.3972"]
    apple = parse_qs(urlsplit(page.get_attribute("#sheet-nav a[data-provider=apple]", "href")).query)
    assert apple["daddr"] == ["31.2496,121.3972"]
    assert "mlat=31.2496" in page.get_attribute("#sheet-nav a[data-provider=osm]", "href")
    assert "dev=1" in page.get_attribute("#sheet-nav-apps a[data-provider=amap_app]", "href")
    assert page.get_attribute("#sheet-phone a", "href") == "tel:02162501234"
    assert page.get_attribute("#sheet-report", "href") == f"/feedback/new/?station={station.pk}"
    assert page.get_attribute("#sheet-page", "href") == f"/stations/{station.pk}/"

    page.keyboard.press("Escape")
    page.wait_for_selector("#sheet", state="hidden")
    page.click(f"#nearest li[data-id='{station.pk}'] button")
    page.wait_for_selector("#sheet:not([hidden])")
    assert "selected" in page.locator(f".st-marker[data-id='{station.pk}']").get_attribute("class")
    assert page.console_errors == []


def test_panning_loads_stations_in_the_new_viewport(page, live_server):
    for i in range(20):  # fill the nearest list, so only the viewport can bring the east station
        StationFactory(name=f"起点驿站 {i}", lat=HOME[0] + (i % 5) * 0.0002, lng=HOME[1] - (i // 5) * 0.0002)
    east = StationFactory(name="东边驿站", lat=HOME[0], lng=HOME[1] + 0.0075)  # ≈ 710 m east
    open_map(page, live_server, f"?open_now=0&lat={HOME[0]}&lng={HOME[1]}&zoom=16")
    assert page.get_attribute("#app", "data-view") == "stations"
    assert page.locator(f".st-marker[data-id='{east.pk}']").count() == 0
    loads = int(page.get_attribute("#app", "data-view-loads"))
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 250, y, steps=12)
    page.mouse.up()
    page.wait_for_function(f"Number(document.getElementById('app').dataset.viewLoads) > {loads}")
    page.wait_for_selector(f".st-marker[data-id='{east.pk}']")
    assert float(url_query(page)["lng"]) > HOME[1] + 0.003
    assert page.console_errors == []


def test_low_zoom_shows_clusters_with_counts(page, live_server):
    for i in range(6):
        StationFactory(lat=31.23 + i * 0.002, lng=121.47)
    for i in range(4):
        StationFactory(lat=31.03 + i * 0.002, lng=121.22)
    open_map(page, live_server, "?open_now=0&lat=31.13&lng=121.35&zoom=9")
    assert page.get_attribute("#app", "data-view") == "clusters"
    counts = sorted(int(c) for c in page.locator(".cluster-marker").evaluate_all("n => n.map(e => e.dataset.count)"))
    assert counts == [4, 6]
    page.locator(".cluster-marker[data-count='6']").click()
    page.wait_for_function("window.waystationMap.getZoom() > 9")
    assert page.console_errors == []


def test_failing_tiles_leave_markers_list_and_search_working(page, live_server, settings):
    settings.LEAFLET_CONFIG = {**settings.LEAFLET_CONFIG, "TILES": [("Down", "http://127.0.0.1:9/{z}/{x}/{y}.png", {})]}
    station = StationFactory(name="断网驿站", lat=HOME[0], lng=HOME[1])
    open_map(page, live_server, f"?open_now=0&lat={HOME[0]}&lng={HOME[1]}&zoom=16")
    page.wait_for_selector("#notices [data-key=tiles]")
    assert list_names(page) == ["断网驿站"]
    page.fill("#search-input", "断网")
    page.press("#search-input", "Enter")
    page.wait_for_selector(f"#search-list li[data-id='{station.pk}']")
    page.click(f".st-marker[data-id='{station.pk}']")
    page.wait_for_selector("#sheet-nav a[data-provider=amap]")
    assert all("Failed to load resource" in e for e in page.console_errors)


def test_hostile_url_parameters_leave_the_page_working_and_inject_nothing(page, live_server):
    StationFactory(name="正常驿站", lat=HOME[0], lng=HOME[1])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    page.goto(f"{live_server.url}/?q={attack}&lat=999&lng=abc&amenity=<b>x</b>&open_now=0")
    page.wait_for_selector("#nearest[data-loaded]", state="attached")
    page.wait_for_selector("#search-status:not(:empty)")
    page.wait_for_function("!document.getElementById('search-status').textContent.includes('…')")
    assert dialogs == []
    assert page.locator("#search-results img, #notices img, #notices b").count() == 0
    assert attack in page.text_content("#search-title")
    assert page.input_value("#search-input") == attack
    assert "地图位置无效" in page.text_content("#notices")
    assert list_names(page) == ["正常驿站"]
    assert page.console_errors == []


def test_denied_geolocation_says_so_and_offers_the_alternatives(page, live_server):
    page.context.clear_permissions()
    open_map(page, live_server)
    page.click("#locate")
    page.wait_for_selector("#notices [data-key=geo]")
    assert "点击地图" in page.text_content("#notices [data-key=geo]")


def test_tapping_the_map_sets_the_position_for_the_nearest_list(page, live_server):
    StationFactory(name="点选处驿站", lat=HOME[0], lng=HOME[1])
    open_map(page, live_server, f"?open_now=0&lat={HOME[0]}&lng={HOME[1]}&zoom=16")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 40)
    page.wait_for_function("document.getElementById('list-origin').textContent.includes('选择')")
    assert list_names(page) == ["点选处驿站"]


def test_javascript_gcj02_transform_matches_the_python_one(page, live_server):
    page.goto(f"{live_server.url}/")
    points = [(31.2304, 121.4737), (39.9042, 116.4074), (22.5431, 114.0579), (45.75, 126.65), (51.5, -0.12)]
    result = page.evaluate(
        """async (points) => {
            const crs = await import('/static/js/map/crs.js');
            return points.map(([lat, lng]) => [crs.wgs84ToGcj02(lat, lng), crs.gcj02ToWgs84(lat, lng)]);
        }""",
        points,
    )
    for (lat, lng), (forward, backward) in zip(points, result, strict=True):
        assert forward == pytest.approx(list(wgs84_to_gcj02(lat, lng)), abs=1e-9)
        assert backward == pytest.approx(list(gcj02_to_wgs84(lat, lng)), abs=1e-7)


def test_gcj02_tiles_shift_markers_onto_the_street(page, live_server, settings):
    settings.WAYSTATION_TILE_CRS = "gcj02"
    station = StationFactory(lat=HOME[0], lng=HOME[1])
    open_map(page, live_server, f"?open_now=0&lat={HOME[0]}&lng={HOME[1]}&zoom=16")
    shown = page.evaluate(
        """(id) => {
            let found = null;
            window.waystationMap.eachLayer((layer) => {
                if (layer.getElement && layer.getElement()?.dataset.id === String(id)) found = layer.getLatLng();
            });
            return found && [found.lat, found.lng];
        }""",
        station.pk,
    )
    assert shown == pytest.approx(list(wgs84_to_gcj02(HOME[0], HOME[1])), abs=1e-7)
    assert float(url_query(page).get("lat", HOME[0])) == pytest.approx(HOME[0], abs=1e-4)


@pytest.mark.usefixtures("nominatim")
def test_searching_an_address_moves_the_nearest_list_there(page, live_server):
    StationFactory(name="曹杨路驿站", lat=31.2490, lng=121.3975)
    StationFactory(name="浦东驿站", lat=31.2200, lng=121.5400)
    open_map(page, live_server, "?open_now=0")
    page.fill("#search-input", "曹杨路 1 号")
    page.press("#search-input", "Enter")
    page.click("#search-list li.place button")
    page.wait_for_function("document.getElementById('list-origin').textContent.includes('曹杨路 1 号, 普陀区')")
    page.wait_for_function("document.querySelector('#nearest .name')?.textContent.startsWith('曹杨路驿站')")
    assert list_names(page)[0] == "曹杨路驿站"
    assert page.console_errors == []
