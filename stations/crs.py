"""Conversions between WGS-84, GCJ-02 (Amap, Tencent, WeChat) and BD-09 (Baidu).

GCJ-02 is WGS-84 plus a published, deterministic obfuscation; BD-09 is a further
rotation of GCJ-02. No maintained PyPI package covers these (the few that exist
are unmaintained copies of the same 40 lines), so they live here, tested against
reference points. We store WGS-84 only and convert at the edges.

Accuracy: the forward transforms are exact by definition. GCJ-02 → WGS-84 has no
closed form; we iterate the forward transform (fixed-point on the offset) until
the round trip is within 1e-7° (≈ 1 cm), which takes 2–5 steps. BD-09 → WGS-84
goes through GCJ-02 with Baidu's closed-form inverse, then the same iteration.
"""

from __future__ import annotations

import math
from typing import Literal

CRS = Literal["wgs84", "gcj02", "bd09"]
CRS_CHOICES: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

_A = 6_378_245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 defines it
_EE = 0.006_693_421_622_965_943  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0


def outside_china(lat: float, lng: float) -> bool:
    """Tell whether GCJ-02 leaves this point unshifted (a rough mainland China box)."""
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _delta(lat: float, lng: float) -> tuple[float, float]:
    x = lng - 105.0
    y = lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlng += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if outside_china(lat, lng):
        return lat, lng
    dlat, dlng = _delta(lat, lng)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float, tolerance_deg: float = 1e-7) -> tuple[float, float]:
    """Invert GCJ-02 by fixed-point iteration to within tolerance_deg (1e-7° ≈ 1 cm)."""
    if outside_china(lat, lng):
        return lat, lng
    wlat, wlng = lat, lng
    for _ in range(30):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        err_lat, err_lng = glat - lat, glng - lng
        if abs(err_lat) < tolerance_deg and abs(err_lng) < tolerance_deg:
            break
        wlat -= err_lat
        wlng -= err_lng
    return wlat, wlng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    x = lng - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def wgs84_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def bd09_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))


def to_wgs84(lat: float, lng: float, crs: str) -> tuple[float, float]:
    """Convert a point given in `crs` to WGS-84."""
    if crs == "wgs84":
        return lat, lng
    if crs == "gcj02":
        return gcj02_to_wgs84(lat, lng)
    if crs == "bd09":
        return bd09_to_wgs84(lat, lng)
    raise ValueError(f"Unknown coordinate system {crs!r}; expected one of {CRS_CHOICES}.")


def from_wgs84(lat: float, lng: float, crs: str) -> tuple[float, float]:
    """Convert a WGS-84 point to `crs`."""
    if crs == "wgs84":
        return lat, lng
    if crs == "gcj02":
        return wgs84_to_gcj02(lat, lng)
    if crs == "bd09":
        return wgs84_to_bd09(lat, lng)
    raise ValueError(f"Unknown coordinate system {crs!r}; expected one of {CRS_CHOICES}.")
