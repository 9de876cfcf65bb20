"""Address → point, through the geopy geocoder configured in settings.

One module for every caller (imports, the map's search, the admin's map picker), so the
provider, its credentials, the rate limit and the cache are set in one place:

    WAYSTATION_GEOCODER = {
        "provider": "nominatim",            # any name geopy.get_geocoder_for_service knows; "" = off
        "options": {"user_agent": "waystation", "domain": "nominatim.example.org"},
        "crs": "wgs84",                     # what the provider returns: wgs84, gcj02 or bd09
        "min_delay_seconds": 1.0,           # rate limit per process
        "error_wait_seconds": 5.0,          # pause before the one retry after a provider error
        "timeout": 5,
        "cache_seconds": 30 * 24 * 3600,    # results (and misses) are cached this long
    }
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from .crs import to_wgs84

_MISS = "-"  # cached marker for "the provider found nothing"


class GeocoderNotConfigured(RuntimeError):
    """No geocoding provider is set in WAYSTATION_GEOCODER."""


class GeocodingFailed(RuntimeError):
    """The provider could not be reached or answered with an error."""


@dataclass(frozen=True)
class Place:
    lat: float  # WGS-84
    lng: float
    address: str


def _config() -> dict[str, Any]:
    return getattr(settings, "WAYSTATION_GEOCODER", None) or {}


def is_configured() -> bool:
    return bool(_config().get("provider"))


_lock = threading.Lock()
_built: dict[str, RateLimiter] = {}


def _geocoder() -> RateLimiter:
    config = _config()
    provider = config.get("provider")
    if not provider:
        raise GeocoderNotConfigured("No geocoder is configured (WAYSTATION_GEOCODER).")
    key = repr(sorted((k, repr(v)) for k, v in config.items()))
    with _lock:
        if key not in _built:
            cls = get_geocoder_for_service(provider)
            options = {"timeout": config.get("timeout", 5), **config.get("options", {})}
            instance = cls(**options)
            _built[key] = RateLimiter(
                instance.geocode,
                min_delay_seconds=float(config.get("min_delay_seconds", 1.0)),
                error_wait_seconds=float(config.get("error_wait_seconds", 5.0)),
                max_retries=1,
                swallow_exceptions=False,
            )
        return _built[key]


def geocode(query: str) -> Place | None:
    """Find one place for an address; None if the provider knows no such place.

    Raises GeocoderNotConfigured without a provider and GeocodingFailed when the provider
    cannot be reached. Results and misses are cached (shared across servers with Redis).
    """
    text = " ".join(query.split())
    if not text:
        return None
    config = _config()
    geocode_call = _geocoder()
    digest = hashlib.sha256(f"{config.get('provider')}|{text}".encode()).hexdigest()
    cache_key = f"geocode:{digest}"
    cached = cache.get(cache_key)
    if cached == _MISS:
        return None
    if cached is not None:
        return Place(*cached)
    try:
        location = geocode_call(text)
    except GeopyError as exc:
        raise GeocodingFailed(str(exc)) from exc
    ttl = int(config.get("cache_seconds", 30 * 24 * 3600))
    if location is None:
        cache.set(cache_key, _MISS, ttl)
        return None
    lat, lng = to_wgs84(location.latitude, location.longitude, config.get("crs", "wgs84"))
    place = Place(round(lat, 6), round(lng, 6), location.address or text)
    cache.set(cache_key, (place.lat, place.lng, place.address), ttl)
    return place
