"""Server-rendered pages for riders: the map and one page per station."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from . import amenities as amenity_vocab
from . import geocoding, schedule
from .mapstate import map_state_from_query
from .models import Operator, Station
from .navigation import navigation_links
from .selectors import stations_with_related

# Below this zoom the map asks for clusters; from it on, for the stations themselves.
STATION_ZOOM = 15
# Stations drawn one by one in a street-level view; more than this asks the rider to zoom in.
# 150 compact records stay well under the 100 KB viewport budget even with 7-digit ids.
VIEWPORT_LIMIT = 150
# The page that takes a rider's report about a station (filled in by the feedback app).
REPORT_URL = "/feedback/new/?station={id}"


def _tiles() -> dict:
    """The first tile layer of LEAFLET_CONFIG, as the page's script needs it."""
    config = settings.LEAFLET_CONFIG
    tiles = config.get("TILES") or [("OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {})]
    if isinstance(tiles, str):
        tiles = [("", tiles, {})]
    name, url, options = ([*list(tiles[0]), {}])[:3]
    if isinstance(options, str):  # django-leaflet also accepts an attribution string here
        options = {"attribution": options}
    return {"name": name, "url": url, "options": options}


def map_page(request: HttpRequest) -> HttpResponse:
    config = settings.LEAFLET_CONFIG
    min_zoom, max_zoom = int(config.get("MIN_ZOOM", 3)), int(config.get("MAX_ZOOM", 19))
    state = map_state_from_query(request.GET, min_zoom=min_zoom, max_zoom=max_zoom)
    centre = config.get("DEFAULT_CENTER", (31.2304, 121.4737))
    page_config = {
        "tiles": _tiles(),
        "tileCrs": settings.WAYSTATION_TILE_CRS,
        "center": list(centre),
        "zoom": int(config.get("DEFAULT_ZOOM", 11)),
        "minZoom": min_zoom,
        "maxZoom": max_zoom,
        "stationZoom": STATION_ZOOM,
        "viewportLimit": VIEWPORT_LIMIT,
        "api": {
            "stations": reverse("station-list"),
            "nearest": reverse("station-nearest"),
            "clusters": reverse("station-clusters"),
            "station": reverse("station-detail", args=[0]),
            "geocode": reverse("geocode"),
        },
        "stationPage": reverse("stations:detail", args=[0]),
        "reportUrl": REPORT_URL,
        "geocoding": geocoding.is_configured(),
        "state": state.as_json(),
        "amenities": [{"code": a.code, "label": str(a.label), "icon": a.icon} for a in amenity_vocab.AMENITIES],
    }
    return render(
        request,
        "stations/map.html",
        {
            "page_config": page_config,
            "state": state,
            "amenities": amenity_vocab.AMENITIES,
            "operators": Operator.objects.order_by("name").only("code", "name"),
        },
    )


def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station: Station = get_object_or_404(stations_with_related(), pk=pk)
    now = timezone.now()
    today = timezone.localdate(now)
    return render(
        request,
        "stations/detail.html",
        {
            "station": station,
            "is_open": station.is_open_at(now),
            "next_change": station.next_change_after(now),
            "next_change_time": schedule.local_time(station.next_change_after(now)),
            "hours_summary": schedule.summary(station.opening_hours, today),
            "week": schedule.week(station.opening_hours, today),
            "amenities": [amenity_vocab.BY_CODE[c] for c in station.amenities],
            "navigation": navigation_links(
                lat=station.lat, lng=station.lng, name=station.name, address=station.address
            ),
            "report_url": REPORT_URL.format(id=station.pk),
        },
    )
