from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stations.models import District, Station
from tests.factories import OperatorFactory, StationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("field", "value"), [("lat", 90.5), ("lat", -91), ("lng", 180.1), ("lng", -200)])
def test_database_refuses_coordinates_out_of_range(field, value):
    station = StationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.filter(pk=station.pk).update(**{field: value})
    station.refresh_from_db()
    assert -90 <= station.lat <= 90 and -180 <= station.lng <= 180


def test_full_clean_names_the_out_of_range_coordinate():
    station = StationFactory.build(lat=123.0, operator=OperatorFactory())
    with pytest.raises(ValidationError) as info:
        station.full_clean()
    assert "lat" in info.value.message_dict


def test_store_code_is_unique_within_an_operator_only():
    operator = OperatorFactory()
    StationFactory(operator=operator, store_code="A1")
    StationFactory(store_code="A1")  # another operator may reuse it
    with pytest.raises(IntegrityError), transaction.atomic():
        StationFactory(operator=operator, store_code="A1")
    assert Station.objects.filter(store_code="A1").count() == 2


def test_reopening_date_only_on_a_temporarily_closed_station():
    with pytest.raises(IntegrityError), transaction.atomic():
        StationFactory(status=Station.Status.OPEN, closed_until=dt.date(2026, 1, 1))
    station = StationFactory.build(status=Station.Status.OPEN, closed_until=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as info:
        station.full_clean(exclude=["operator"])
    assert "closed_until" in info.value.message_dict


def test_database_refuses_unknown_status_and_empty_store_code():
    station = StationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.filter(pk=station.pk).update(status="sleeping")
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.filter(pk=station.pk).update(store_code="")


def test_clean_rounds_coordinates_to_six_decimals():
    station = StationFactory.build(lat=31.123456789, lng=121.987654321, operator=OperatorFactory())
    station.full_clean()
    assert (station.lat, station.lng) == (31.123457, 121.987654)


def test_shanghai_districts_are_loaded_with_gb_t_2260_codes():
    districts = District.objects.filter(parent__code="310000")
    assert districts.count() == 16
    assert District.objects.get(code="310107").name == "普陀区"
    assert all(d.centre_lat and d.centre_lng for d in districts)
