from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from stations.models import District
from tests import fake_geocoder

from .admin_helpers import make_staff

GEOCODE = "admin:stations_station_geocode"


@pytest.fixture
def nominatim(settings):
    # One place for anything mentioning 曹杨路, nothing for anything else.
    server, _handler = fake_geocoder.start({"曹杨路": (31.2480, 121.4100, "曹杨路, 普陀区, 上海市")}, substring=True)
    settings.WAYSTATION_GEOCODER = fake_geocoder.geocoder_settings(server, timeout=5)
    cache.clear()
    yield server
    fake_geocoder.stop(server)


@pytest.fixture
def staff_client(client, db):
    client.force_login(make_staff("district", districts=[District.objects.get(code="310107")]))
    return client


def test_geocode_view_answers_wgs84_json_from_the_configured_geocoder(staff_client, nominatim):
    response = staff_client.get(reverse(GEOCODE), {"q": "上海市普陀区曹杨路"})
    assert response.status_code == 200
    assert response.json() == {"lat": 31.248, "lng": 121.41, "address": "曹杨路, 普陀区, 上海市"}


def test_geocode_view_says_when_nothing_is_found(staff_client, nominatim):
    response = staff_client.get(reverse(GEOCODE), {"q": "不存在的地方"})
    assert response.status_code == 404
    assert response.json()["error"]


def test_geocode_view_says_clearly_when_no_geocoder_is_configured(staff_client, settings):
    settings.WAYSTATION_GEOCODER = {"provider": ""}
    response = staff_client.get(reverse(GEOCODE), {"q": "曹杨路"})
    assert response.status_code == 503
    assert "地理编码" in response.json()["error"] or "geocoder" in response.json()["error"]


@pytest.mark.parametrize("query", ["", "   ", "x" * 201])
def test_geocode_view_rejects_empty_or_overlong_queries_with_field_errors(staff_client, nominatim, query):
    response = staff_client.get(reverse(GEOCODE), {"q": query})
    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_geocode_view_is_for_staff_only(client, db, nominatim):
    response = client.get(reverse(GEOCODE), {"q": "曹杨路"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("bare", password="pw", is_staff=True))
    assert client.get(reverse(GEOCODE), {"q": "曹杨路"}).status_code == 403
