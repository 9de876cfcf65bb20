"""One-tap navigation links to a station in the map apps riders use.

We store WGS-84. Each provider is told which coordinate system a link uses, or is
given coordinates already in its own system, following its documented URI API:

- Amap web (https://uri.amap.com/navigation, lbs.amap.com/api/uri-api/guide/travel/route):
  `to=lon,lat,name` (longitude first), `mode=ride`, `src`, `callnative=1` to open the app.
  The coordinates default to GCJ-02; we convert with stations.crs and say `coordinate=gaode`.
- Amap app (amapuri://route/plan/, lbs.amap.com/api/amap-mobile/guide/android/route):
  `dlat`, `dlon`, `dname`, `t=3` (ride), `sourceApplication`, and `dev=1`, which tells the
  app that the coordinates are raw WGS-84 and still need the GCJ-02 shift.
- Baidu web (https://api.map.baidu.com/marker): `location=lat,lng` (latitude first),
  `title`, `content`, `output=html`, `src`, and `coord_type=wgs84` — Baidu assumes BD-09
  otherwise. The web direction URI needs an origin, so the web link marks the station and
  Baidu offers the route from there; the app link plans the route from the rider's position.
- Baidu app (baidumap://map/direction, lbsyun.baidu.com … uri/andriod):
  `destination=name:…|latlng:lat,lng`, `mode=riding`, `coord_type=wgs84`, `src`.
- Apple Maps (https://maps.apple.com/, Apple's "Map Links"): `daddr=lat,lng` and `q` as the
  label. Apple documents plain latitude,longitude; MapKit coordinates are WGS-84 and Apple
  applies the China shift itself, so we pass WGS-84 unchanged.
- OpenStreetMap (https://www.openstreetmap.org/?mlat=&mlon=): WGS-84 natively; the page
  offers directions to the marker.
- geo: URI (RFC 5870): WGS-84 by definition; Android lets the rider pick any installed app.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _

from .crs import wgs84_to_gcj02

SOURCE = "waystation"  # the `src` / `sourceApplication` the providers ask callers to send
BAIDU_SRC = "webapp.waystation.waystation"  # Baidu's documented form: webapp.company.app


@dataclass(frozen=True)
class NavigationLink:
    provider: str  # amap, amap_app, baidu, baidu_app, apple, osm, geo
    label: str
    url: str
    crs: str  # the coordinate system the link's coordinates are in
    app: bool = False  # opens an installed app directly (no web fallback)


def _coord(value: float) -> str:
    """Six decimals (≈0.1 m), no trailing zeros, no exponent."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def amap_url(lat: float, lng: float, name: str) -> str:
    glat, glng = wgs84_to_gcj02(lat, lng)
    # Commas separate lon,lat,name inside `to`, so a comma in the name would shift the fields.
    label = name.replace(",", " ")
    query = {
        "to": f"{_coord(glng)},{_coord(glat)},{label}",
        "mode": "ride",
        "coordinate": "gaode",
        "callnative": "1",
        "src": SOURCE,
    }
    return "https://uri.amap.com/navigation?" + urlencode(query, quote_via=quote, safe=",")


def amap_app_url(lat: float, lng: float, name: str) -> str:
    query = {
        "sourceApplication": SOURCE,
        "dlat": _coord(lat),
        "dlon": _coord(lng),
        "dname": name,
        "dev": "1",  # WGS-84 in, the app applies the GCJ-02 shift
        "t": "3",  # ride
    }
    return "amapuri://route/plan/?" + urlencode(query, quote_via=quote)


def baidu_url(lat: float, lng: float, name: str, address: str = "") -> str:
    query = {
        "location": f"{_coord(lat)},{_coord(lng)}",
        "title": name,
        "content": address or name,
        "output": "html",
        "coord_type": "wgs84",
        "src": BAIDU_SRC,
    }
    return "https://api.map.baidu.com/marker?" + urlencode(query, quote_via=quote, safe=",")


def baidu_app_url(lat: float, lng: float, name: str) -> str:
    # `|` and `:` separate the destination's parts; strip them from the name.
    label = name.replace("|", " ").replace(":", " ")
    query = {
        "destination": f"name:{label}|latlng:{_coord(lat)},{_coord(lng)}",
        "mode": "riding",
        "coord_type": "wgs84",
        "src": BAIDU_SRC,
    }
    return "baidumap://map/direction?" + urlencode(query, quote_via=quote, safe=",:|")


def apple_url(lat: float, lng: float, name: str) -> str:
    query = {"daddr": f"{_coord(lat)},{_coord(lng)}", "q": name}
    return "https://maps.apple.com/?" + urlencode(query, quote_via=quote, safe=",")


def osm_url(lat: float, lng: float) -> str:
    la, lo = _coord(lat), _coord(lng)
    return f"https://www.openstreetmap.org/?mlat={la}&mlon={lo}#map=18/{la}/{lo}"


def geo_uri(lat: float, lng: float, name: str) -> str:
    la, lo = _coord(lat), _coord(lng)
    label = name.replace("(", " ").replace(")", " ")
    return f"geo:{la},{lo}?q={la},{lo}({quote(label)})"


def navigation_links(*, lat: float, lng: float, name: str, address: str = "") -> list[NavigationLink]:
    """Return the navigation links for a WGS-84 point, web links first."""
    return [
        NavigationLink("amap", str(_("Amap")), amap_url(lat, lng, name), "gcj02"),
        NavigationLink("baidu", str(_("Baidu Maps")), baidu_url(lat, lng, name, address), "wgs84"),
        NavigationLink("apple", str(_("Apple Maps")), apple_url(lat, lng, name), "wgs84"),
        NavigationLink("osm", str(_("OpenStreetMap")), osm_url(lat, lng), "wgs84"),
        NavigationLink("amap_app", str(_("Amap app")), amap_app_url(lat, lng, name), "wgs84", app=True),
        NavigationLink("baidu_app", str(_("Baidu Maps app")), baidu_app_url(lat, lng, name), "wgs84", app=True),
        NavigationLink("geo", str(_("Other map app")), geo_uri(lat, lng, name), "wgs84", app=True),
    ]
