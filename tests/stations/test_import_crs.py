"""Coordinate systems on import, against published reference points.

Reference: wandergis/coordtransform's test vectors (the JavaScript library most Chinese web
maps use): WGS-84 (39.915, 116.404) → GCJ-02 (39.91640428150164, 116.41024449916938), and
GCJ-02 (39.915, 116.404) → BD-09 (39.92133699351021, 116.41036949371029).
"""

from __future__ import annotations

import pytest

from stations import crs
from stations.geo import haversine_m
from stations.models import Station
from tests.factories import OperatorFactory

from .importing_support import csv_bytes, row, run_import

pytestmark = pytest.mark.django_db

WGS = (39.915, 116.404)
GCJ_OF_WGS = (39.91640428150164, 116.41024449916938)
GCJ = (39.915, 116.404)
BD_OF_GCJ = (39.92133699351021, 116.41036949371029)


def imported_point(lat: float, lng: float, system: str) -> tuple[float, float]:
    operator = OperatorFactory(code=f"op-{system}")
    report = run_import(operator, csv_bytes([row("P", lat=repr(lat), lng=repr(lng), district="")]), crs=system)
    assert report.written, report.errors
    station = Station.objects.get(operator=operator)
    return station.lat, station.lng


def test_wgs84_points_are_stored_as_given():
    assert imported_point(*WGS, "wgs84") == WGS


def test_gcj02_reference_point_converts_back_to_its_wgs84_origin_within_a_metre():
    lat, lng = imported_point(*GCJ_OF_WGS, "gcj02")
    assert haversine_m(lat, lng, *WGS) < 0.2  # 6-decimal storage is ≈ 0.1 m
    assert abs(lat - WGS[0]) <= 1e-6 and abs(lng - WGS[1]) <= 1e-6


def test_bd09_reference_point_converts_to_the_wgs84_point_whose_gcj02_is_the_reference():
    lat, lng = imported_point(*BD_OF_GCJ, "bd09")
    # Going forward again from what we stored must land on the published GCJ-02 point.
    glat, glng = crs.wgs84_to_gcj02(lat, lng)
    assert haversine_m(glat, glng, *GCJ) < 0.2
    blat, blng = crs.gcj02_to_bd09(glat, glng)
    assert haversine_m(blat, blng, *BD_OF_GCJ) < 0.2


def test_forward_transforms_match_the_reference_vectors_exactly():
    assert crs.wgs84_to_gcj02(*WGS) == pytest.approx(GCJ_OF_WGS, abs=1e-9)
    assert crs.gcj02_to_bd09(*GCJ) == pytest.approx(BD_OF_GCJ, abs=1e-9)


@pytest.mark.parametrize("point", [(31.249618, 121.397210), (22.543096, 114.057865), (45.75, 126.63), (18.25, 109.5)])
def test_inverse_transforms_round_trip_well_under_a_metre_across_china(point):
    back = crs.gcj02_to_wgs84(*crs.wgs84_to_gcj02(*point))
    assert haversine_m(*back, *point) < 0.01  # the iterated GCJ-02 inverse: about a centimetre
    back = crs.bd09_to_wgs84(*crs.wgs84_to_bd09(*point))
    # Baidu's closed-form BD-09 inverse is itself approximate (≈ 0.1–0.2 m); still far under 1 m.
    assert haversine_m(*back, *point) < 0.5
