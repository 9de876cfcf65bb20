from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from stations import hours
from stations.models import Station
from tests.conftest import shanghai
from tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def test_overnight_hours_are_open_after_midnight_and_closed_at_noon():
    station = StationFactory(opening_hours="22:00-06:00")
    assert station.is_open_at(shanghai(2026, 1, 5, 23, 30)) is True
    assert station.is_open_at(shanghai(2026, 1, 6, 3, 0)) is True
    assert station.is_open_at(shanghai(2026, 1, 6, 12, 0)) is False
    assert station.is_open_at(shanghai(2026, 1, 6, 6, 0)) is False


def test_hours_are_read_on_the_shanghai_clock_whatever_the_moment_zone():
    station = StationFactory(opening_hours="Mo-Su 08:00-20:00")
    # 01:00 UTC is 09:00 in Shanghai: open. 13:00 UTC is 21:00: closed.
    assert station.is_open_at(dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)) is True
    assert station.is_open_at(dt.datetime(2026, 1, 5, 13, 0, tzinfo=dt.UTC)) is False


def test_unknown_hours_are_never_open():
    station = StationFactory(opening_hours="")
    assert station.is_open_at(shanghai(2026, 1, 5, 12, 0)) is None
    assert StationFactory(opening_hours="24/7 unknown").is_open_at(shanghai(2026, 1, 5, 12, 0)) is None


def test_temporary_closure_shuts_a_24_7_station_until_its_reopening_day():
    station = StationFactory(
        opening_hours="24/7", status=Station.Status.TEMPORARILY_CLOSED, closed_until=dt.date(2026, 2, 1)
    )
    assert station.is_open_at(shanghai(2026, 1, 31, 23, 59)) is False
    assert station.is_open_at(shanghai(2026, 2, 1, 0, 0)) is True
    assert station.next_change_after(shanghai(2026, 1, 31, 12, 0)) == shanghai(2026, 2, 1, 0, 0)


def test_temporary_closure_without_a_date_lasts_until_further_notice():
    station = StationFactory(status=Station.Status.TEMPORARILY_CLOSED, closed_until=None)
    assert station.is_open_at(shanghai(2030, 1, 1, 12, 0)) is False
    assert station.next_change_after(shanghai(2030, 1, 1, 12, 0)) is None


def test_permanently_closed_is_closed_around_the_clock():
    station = StationFactory(status=Station.Status.PERMANENTLY_CLOSED)
    assert station.is_open_at(shanghai(2026, 1, 5, 12, 0)) is False


def test_chinese_public_holidays_are_known_to_the_parser():
    station = StationFactory(opening_hours="Mo-Fr 08:30-17:30; PH off")
    # 1 October (National Day) 2026 is a Thursday and a public holiday.
    assert station.is_open_at(shanghai(2026, 10, 1, 10, 0)) is False
    assert station.is_open_at(shanghai(2026, 10, 15, 10, 0)) is True


def test_next_change_says_when_an_open_station_closes():
    station = StationFactory(opening_hours="Mo-Su 07:00-23:00")
    assert station.next_change_after(shanghai(2026, 1, 5, 21, 0)) == shanghai(2026, 1, 5, 23, 0)
    assert StationFactory(opening_hours="24/7").next_change_after(shanghai(2026, 1, 5, 21, 0)) is None


def test_expressions_meaning_always_open_are_stored_as_24_7():
    assert hours.clean("Mo-Su 00:00-24:00") == "24/7"
    assert hours.clean("  Mo-Fr   08:00-20:00 ") == "Mo-Fr 08:00-20:00"
    assert hours.clean("") == ""
    assert hours.clean("24/7; PH off") == "24/7; PH off"


def test_invalid_expression_is_a_validation_error_naming_the_field():
    station = StationFactory.build(opening_hours="open when we feel like it")
    with pytest.raises(ValidationError) as info:
        station.full_clean()
    assert "opening_hours" in info.value.message_dict


def test_24_7_flag_is_derived_by_the_database_even_on_bulk_update():
    station = StationFactory(opening_hours="Mo-Fr 08:00-20:00")
    assert Station.objects.get(pk=station.pk).is_24_7 is False
    Station.objects.filter(pk=station.pk).update(opening_hours="24/7")
    assert Station.objects.get(pk=station.pk).is_24_7 is True
