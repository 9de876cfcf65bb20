from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from stations import navigation
from stations.crs import wgs84_to_gcj02

# A FamilyMart-like store in Putuo, Shanghai (WGS-84).
LAT, LNG = 31.249600, 121.397200
NAME = "全家 曹杨路店"


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def links(name: str = NAME, address: str = "上海市普陀区曹杨路 1 号") -> dict[str, navigation.NavigationLink]:
    return {link.provider: link for link in navigation.navigation_links(lat=LAT, lng=LNG, name=name, address=address)}


def test_amap_web_link_sends_gcj02_longitude_first_for_riding():
    link = links()["amap"]
    parts = urlsplit(link.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "uri.amap.com", "/navigation")
    q = query(link.url)
    glat, glng = wgs84_to_gcj02(LAT, LNG)
    lon, lat, name = q["to"].split(",")
    assert float(lon) == pytest.approx(glng, abs=1e-6)
    assert float(lat) == pytest.approx(glat, abs=1e-6)
    # The shift is hundreds of metres in Shanghai: the link must not carry the raw WGS-84 point.
    assert abs(float(lon) - LNG) > 0.003
    assert name == NAME
    assert q["coordinate"] == "gaode"
    assert q["mode"] == "ride"
    assert q["callnative"] == "1"
    assert q["src"] == navigation.SOURCE
    assert link.crs == "gcj02"


def test_amap_app_link_passes_wgs84_with_dev_1_so_the_app_applies_the_shift():
    link = links()["amap_app"]
    assert link.url.startswith("amapuri://route/plan/?")
    q = query(link.url)
    assert (float(q["dlat"]), float(q["dlon"])) == (LAT, LNG)
    assert q["dev"] == "1"
    assert q["t"] == "3"
    assert q["dname"] == NAME
    assert q["sourceApplication"] == navigation.SOURCE
    assert link.app is True


def test_baidu_web_link_puts_latitude_first_and_declares_wgs84():
    link = links()["baidu"]
    parts = urlsplit(link.url)
    assert (parts.netloc, parts.path) == ("api.map.baidu.com", "/marker")
    q = query(link.url)
    assert q["location"] == "31.2496,121.3972"
    assert q["coord_type"] == "wgs84"
    assert q["output"] == "html"
    assert q["title"] == NAME
    assert q["content"] == "上海市普陀区曹杨路 1 号"
    assert q["src"] == navigation.BAIDU_SRC


def test_baidu_app_link_plans_a_riding_route_in_wgs84():
    link = links()["baidu_app"]
    assert link.url.startswith("baidumap://map/direction?")
    q = query(link.url)
    assert q["destination"] == f"name:{NAME}|latlng:31.2496,121.3972"
    assert q["mode"] == "riding"
    assert q["coord_type"] == "wgs84"
    assert q["src"] == navigation.BAIDU_SRC


def test_apple_maps_link_asks_for_directions_to_the_point():
    q = query(links()["apple"].url)
    assert urlsplit(links()["apple"].url).netloc == "maps.apple.com"
    assert q["daddr"] == "31.2496,121.3972"
    assert q["q"] == NAME


def test_openstreetmap_link_marks_the_wgs84_point():
    url = links()["osm"].url
    q = query(url)
    assert (q["mlat"], q["mlon"]) == ("31.2496", "121.3972")
    assert url.endswith("#map=18/31.2496/121.3972")


def test_geo_uri_follows_rfc_5870():
    assert links()["geo"].url.startswith("geo:31.2496,121.3972?q=31.2496,121.3972(")


def test_separators_in_a_name_cannot_shift_the_coordinates():
    hostile = "Shop, A|B:C & D=E (x) <script>"
    by = links(name=hostile)
    _lon, lat, name = query(by["amap"].url)["to"].split(",")
    assert float(lat) == pytest.approx(wgs84_to_gcj02(LAT, LNG)[0], abs=1e-6)
    assert name == hostile.replace(",", " ")
    assert "<" not in by["amap"].url and " " not in by["amap"].url
    assert set(query(by["amap"].url)) == {"to", "mode", "coordinate", "callnative", "src"}
    destination = query(by["baidu_app"].url)["destination"]
    assert destination.endswith("|latlng:31.2496,121.3972")
    assert destination.count("|") == 1
    assert query(by["apple"].url)["q"] == hostile
    assert query(by["baidu"].url)["title"] == hostile


def test_outside_china_amap_gets_the_unshifted_point():
    link = {x.provider: x for x in navigation.navigation_links(lat=51.5, lng=-0.12, name="London")}["amap"]
    lon, lat, _name = query(link.url)["to"].split(",")
    assert (float(lat), float(lon)) == (51.5, -0.12)


def test_web_links_come_before_app_links():
    flags = [link.app for link in navigation.navigation_links(lat=LAT, lng=LNG, name=NAME)]
    assert flags == sorted(flags)
    assert [link.provider for link in navigation.navigation_links(lat=LAT, lng=LNG, name=NAME)][:4] == [
        "amap",
        "baidu",
        "apple",
        "osm",
    ]
