"""The map's address search endpoint, against a local server speaking Nominatim's protocol."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

URL = "/api/v1/geocode/"


class FakeNominatim(BaseHTTPRequestHandler):
    places = {"曹杨路 1 号": {"lat": "31.2496", "lon": "121.3972", "display_name": "曹杨路 1 号, 普陀区, 上海市"}}

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        if urlsplit(self.path).path != "/search":
            self.send_error(404)
            return
        if query.get("q", [""])[0] == "boom":
            self.send_error(500)
            return
        place = self.places.get(query.get("q", [""])[0])
        body = json.dumps([place] if place else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAYSTATION_GEOCODER = {
        "provider": "nominatim",
        "options": {"domain": f"127.0.0.1:{server.server_port}", "scheme": "http", "user_agent": "waystation-tests"},
        "crs": "wgs84",
        "min_delay_seconds": 0,
        "timeout": 2,
        "cache_seconds": 60,
    }
    cache.clear()
    yield server
    server.shutdown()
    server.server_close()


def test_geocode_finds_a_place_in_wgs84(api, nominatim):
    response = api.get(URL, {"q": "曹杨路 1 号"})
    assert response.status_code == 200
    assert response.json() == {"results": [{"lat": 31.2496, "lng": 121.3972, "address": "曹杨路 1 号, 普陀区, 上海市"}]}


def test_geocode_answers_an_empty_list_for_an_unknown_place(api, nominatim):
    response = api.get(URL, {"q": "nowhere at all"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_geocode_without_a_provider_says_it_is_not_configured(api, settings):
    settings.WAYSTATION_GEOCODER = {"provider": ""}
    response = api.get(URL, {"q": "曹杨路"})
    assert response.status_code == 503
    assert response.json()["code"] == "not_configured"


def test_geocode_reports_a_failing_provider_as_503(api, nominatim):
    response = api.get(URL, {"q": "boom"})
    assert response.status_code == 503
    assert response.json()["code"] == "provider_failed"


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": " x "}, {"q": "路" * 201}])
def test_geocode_rejects_missing_short_or_long_queries(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert "q" in response.json()
