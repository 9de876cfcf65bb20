from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stations import amenities
from stations.geo import haversine_m
from stations.models import Station
from stations.selectors import StationFilters, stations_nearest
from tests.conftest import shanghai
from tests.factories import OperatorFactory, StationFactory

pytestmark = pytest.mark.django_db

NOON = shanghai(2026, 1, 5, 12, 0)
NIGHT = shanghai(2026, 1, 5, 3, 0)
HOURS = ["24/7", "Mo-Su 08:00-20:00", "22:00-06:00", ""]


def brute_force(lat, lng, limit, *, filters=StationFilters(), max_distance_m=None, open_at=None):
    """Every station, filtered and ranked the slow, obvious way."""
    wanted = amenities.to_mask(filters.amenities)
    ranked = []
    for s in Station.objects.select_related("operator"):
        if s.status == Station.Status.PERMANENTLY_CLOSED:
            continue
        if filters.open_24h and not s.is_24_7:
            continue
        if s.amenity_mask & wanted != wanted:
            continue
        if filters.operators and s.operator.code not in filters.operators:
            continue
        if open_at is not None and s.is_open_at(open_at) is not True:
            continue
        d = haversine_m(lat, lng, s.lat, s.lng)
        if max_distance_m is not None and d > max_distance_m:
            continue
        ranked.append((d, s.pk))
    ranked.sort()
    return ranked[:limit]


station_rows = st.lists(
    st.tuples(
        st.floats(-0.5, 0.5),  # latitude offset from the query's city, degrees
        st.floats(-0.5, 0.5),
        st.sampled_from(HOURS),
        st.integers(0, amenities.ALL_MASK),
        st.sampled_from(["open", "open", "open", "temporarily_closed", "permanently_closed"]),
        st.integers(0, 1),  # which operator
    ),
    min_size=0,
    max_size=60,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=station_rows,
    centre=st.tuples(st.floats(-80, 80), st.floats(-179.9, 179.9)),
    query=st.tuples(st.floats(-0.6, 0.6), st.floats(-0.6, 0.6)),
    limit=st.integers(1, 12),
    open_24h=st.booleans(),
    want=st.sampled_from([(), ("seating",), ("hot_water", "phone_charging")]),
    operator=st.sampled_from([(), ("near-a",)]),
    max_distance_m=st.one_of(st.none(), st.floats(10, 80_000)),
    at_night=st.booleans(),
)
def test_nearest_never_skips_a_closer_match(
    db, rows, centre, query, limit, open_24h, want, operator, max_distance_m, at_night
):
    with transaction.atomic():
        ops = [OperatorFactory(code="near-a"), OperatorFactory(code="near-b")]
        for dlat, dlng, expression, mask, status, op in rows:
            lng = centre[1] + dlng
            lng = (lng + 180) % 360 - 180  # rows near ±180° wrap around, as on the globe
            StationFactory(
                operator=ops[op],
                lat=max(-90, min(90, centre[0] + dlat)),
                lng=lng,
                opening_hours=expression,
                amenity_mask=mask,
                status=status,
            )
        lat = max(-90, min(90, centre[0] + query[0]))
        lng = (centre[1] + query[1] + 180) % 360 - 180
        filters = StationFilters(open_24h=open_24h, amenities=want, operators=operator)
        open_at = NIGHT if at_night else None
        got = stations_nearest(
            lat=lat, lng=lng, limit=limit, filters=filters, max_distance_m=max_distance_m, open_at=open_at
        )
        expected = brute_force(lat, lng, limit, filters=filters, max_distance_m=max_distance_m, open_at=open_at)
        assert [round(n.distance_m, 6) for n in got] == [round(d, 6) for d, _pk in expected]
        assert [n.station.pk for n in got] == [pk for _d, pk in expected]
        transaction.set_rollback(True)


def test_nearest_orders_by_distance_and_reports_travel_times():
    far = StationFactory(lat=31.2600, lng=121.3972)  # ~1.16 km north
    near = StationFactory(lat=31.2500, lng=121.3972)  # ~44 m north
    result = stations_nearest(lat=31.2496, lng=121.3972, limit=5, moment=NOON)
    assert [r.station for r in result] == [near, far]
    assert round(result[0].distance_m) == 44
    assert result[1].minutes_by_ebike == 5  # 1,157 m at 250 m/min, rounded up
    assert result[1].minutes_on_foot == 15  # at 80 m/min


def test_open_at_skips_a_nearer_station_closed_at_night():
    day_only = StationFactory(lat=31.2497, lng=121.3972, opening_hours="Mo-Su 08:00-20:00")
    night = StationFactory(lat=31.2600, lng=121.3972, opening_hours="24/7")
    assert [r.station for r in stations_nearest(lat=31.2496, lng=121.3972, open_at=NIGHT)] == [night]
    assert [r.station for r in stations_nearest(lat=31.2496, lng=121.3972, open_at=NOON)] == [day_only, night]


def test_unknown_hours_are_listed_without_open_filter_but_not_with_it():
    unknown = StationFactory(lat=31.2497, lng=121.3972, opening_hours="")
    found = stations_nearest(lat=31.2496, lng=121.3972, moment=NOON)
    assert [(r.station, r.is_open) for r in found] == [(unknown, None)]
    assert stations_nearest(lat=31.2496, lng=121.3972, open_at=NOON) == []


def test_max_distance_limits_the_search():
    StationFactory(lat=31.30, lng=121.3972)  # ~5.6 km away
    assert stations_nearest(lat=31.2496, lng=121.3972, max_distance_m=5_000) == []
    assert len(stations_nearest(lat=31.2496, lng=121.3972, max_distance_m=6_000)) == 1


def test_nearest_finds_the_only_station_on_the_other_side_of_the_world():
    lone = StationFactory(lat=-33.8688, lng=151.2093)
    assert [r.station for r in stations_nearest(lat=51.5, lng=-0.12)] == [lone]


@pytest.mark.parametrize("limit", [1, 10, 100])
def test_nearest_reads_one_ring_and_the_results_whatever_the_limit(limit, django_assert_num_queries):
    operators = [OperatorFactory(), OperatorFactory()]
    for i in range(120):  # all within ~130 m: one ring of the search holds them
        StationFactory(operator=operators[i % 2], lat=31.2496 + (i % 12) * 0.0001, lng=121.3972 + (i // 12) * 0.0001)
    with django_assert_num_queries(2):  # the ring, then the chosen stations with operator and district
        result = stations_nearest(lat=31.2496, lng=121.3972, limit=limit)
        names = [(r.station.operator.name, r.station.district) for r in result]
    assert len(names) == limit


def test_temporarily_closed_station_is_open_again_on_its_reopening_day():
    station = StationFactory(status="temporarily_closed", closed_until=dt.date(2026, 1, 6))
    assert stations_nearest(lat=31.2496, lng=121.3972, open_at=NOON) == []
    assert [r.station for r in stations_nearest(lat=31.2496, lng=121.3972, open_at=NOON + dt.timedelta(days=1))] == [
        station
    ]
