from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations import crs
from stations.geo import haversine_m

# Reference: Tiananmen flagpole. WGS-84 from OpenStreetMap; GCJ-02 and BD-09 as Amap and Baidu
# place the same spot (the offsets published for Beijing, ~ 600 m and ~ 1.3 km).
WGS84 = (39.907333, 116.391083)


def test_gcj02_offset_in_beijing_is_hundreds_of_metres():
    gcj = crs.wgs84_to_gcj02(*WGS84)
    assert 100 < haversine_m(*WGS84, *gcj) < 1000


def test_points_outside_china_are_not_shifted():
    assert crs.wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)
    assert crs.gcj02_to_wgs84(51.5, -0.12) == (51.5, -0.12)


@given(st.floats(18.2, 53.0), st.floats(74.0, 134.7))
def test_gcj02_inverse_is_better_than_a_metre(lat, lng):
    back = crs.gcj02_to_wgs84(*crs.wgs84_to_gcj02(lat, lng))
    assert haversine_m(lat, lng, *back) < 1.0


@given(st.floats(18.2, 53.0), st.floats(74.0, 134.7))
def test_bd09_round_trip_is_better_than_a_metre(lat, lng):
    back = crs.bd09_to_wgs84(*crs.wgs84_to_bd09(lat, lng))
    assert haversine_m(lat, lng, *back) < 1.0


def test_unknown_system_is_an_error():
    with pytest.raises(ValueError, match="Unknown coordinate system"):
        crs.to_wgs84(31.0, 121.0, "mars")
