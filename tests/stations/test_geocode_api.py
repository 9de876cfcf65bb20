"""The map's address search endpoint, against a local server speaking Nominatim's protocol."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests import fake_geocoder

pytestmark = pytest.mark.django_db

URL = "/api/v1/geocode/"


@pytest.fixture
def nominatim(settings):
    server, _handler = fake_geocoder.start({"曹杨路 1 号": (31.2496, 121.3972, "曹杨路 1 号, 普陀区, 上海市")})
    settings.WAYSTATION_GEOCODER = fake_geocoder.geocoder_settings(server, timeout=2)
    cache.clear()
    yield server
    fake_geocoder.stop(server)


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
