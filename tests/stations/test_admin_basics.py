from __future__ import annotations

import pytest

from stations import amenities
from stations.models import Station
from tests.factories import OperatorFactory, StationFactory

pytestmark = pytest.mark.django_db


def test_changelist_searches_and_filters(admin_client):
    StationFactory(name="全家（曹杨路店）")
    StationFactory(name="罗森（南京路店）", address="黄浦区南京东路 1 号", opening_hours="Mo-Fr 08:00-20:00")
    page = admin_client.get("/admin/stations/station/", {"q": "曹杨"})
    assert page.status_code == 200
    assert "全家（曹杨路店）" in page.content.decode() and "罗森" not in page.content.decode()
    only_24 = admin_client.get("/admin/stations/station/", {"is_24_7__exact": "1"}).content.decode()
    assert "全家（曹杨路店）" in only_24 and "罗森" not in only_24


def test_change_form_saves_amenities_and_canonical_hours(admin_client, putuo):
    operator = OperatorFactory()
    response = admin_client.post(
        "/admin/stations/station/add/",
        {
            "operator": operator.pk,
            "store_code": "X1",
            "name": "新驿站",
            "address": "普陀区",
            "district": putuo.pk,
            "lat": "31.2496",
            "lng": "121.3972",
            "opening_hours": "Mo-Su 00:00-24:00",
            "status": "open",
            "amenity_codes": ["seating", "hot_water"],
            "source": "staff",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    station = Station.objects.get(store_code="X1")
    assert station.opening_hours == "24/7" and station.is_24_7
    assert station.amenity_mask == amenities.to_mask(["seating", "hot_water"])


def test_change_form_refuses_bad_hours_and_coordinates_without_saving(admin_client):
    operator = OperatorFactory()
    response = admin_client.post(
        "/admin/stations/station/add/",
        {
            "operator": operator.pk,
            "store_code": "X2",
            "name": "坏数据",
            "lat": "131.2",
            "lng": "121.3972",
            "opening_hours": "whenever",
            "status": "open",
            "source": "staff",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"lat", "opening_hours"} <= set(errors)
    assert not Station.objects.filter(store_code="X2").exists()
