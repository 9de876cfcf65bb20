"""Reads with real logic: the nearest search and the filtered station list."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Min, Q, QuerySet
from django.db.models.functions import Floor
from django.utils import timezone

from . import amenities as amenity_vocab
from . import hours
from .geo import EARTH_RADIUS_M, bounding_box, haversine_m
from .models import Station, open_state

# Speeds behind the travel-time estimates; see the API docs.
EBIKE_M_PER_MIN = 15_000 / 60  # 15 km/h: an e-bike in city traffic, lights included
WALK_M_PER_MIN = 4_800 / 60  # 4.8 km/h: an ordinary walking pace

MAX_LIMIT = 100
_FIRST_RADIUS_M = 250.0  # a dense city centre holds ~10 stations in 250 m
_HALF_EARTH_M = math.pi * EARTH_RADIUS_M


@dataclass(frozen=True)
class StationFilters:
    """The filters shared by the list, the nearest search and the map."""

    open_24h: bool = False
    amenities: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    include_permanently_closed: bool = False

    def apply(self, qs: QuerySet[Station]) -> QuerySet[Station]:
        if not self.include_permanently_closed:
            qs = qs.exclude(status=Station.Status.PERMANENTLY_CLOSED)
        if self.open_24h:
            qs = qs.filter(is_24_7=True)
        if self.amenities:
            mask = amenity_vocab.to_mask(self.amenities)
            qs = qs.alias(_amenity_hit=F("amenity_mask").bitand(mask)).filter(_amenity_hit=mask)
        if self.operators:
            qs = qs.filter(operator__code__in=self.operators)
        if self.kinds:
            qs = qs.filter(operator__kind__in=self.kinds)
        if self.districts:
            qs = qs.filter(district__code__in=self.districts)
        return qs


@dataclass
class NearbyStation:
    station: Station
    distance_m: float
    is_open: bool | None

    @property
    def minutes_by_ebike(self) -> int:
        return max(1, math.ceil(self.distance_m / EBIKE_M_PER_MIN))

    @property
    def minutes_on_foot(self) -> int:
        return max(1, math.ceil(self.distance_m / WALK_M_PER_MIN))


def _in_box(qs: QuerySet[Station], box) -> QuerySet[Station]:
    qs = qs.filter(lat__gte=box.min_lat, lat__lte=box.max_lat)
    if box.covers_globe or box.lng_ranges == ((-180.0, 180.0),):
        return qs
    lng_q = Q()
    for lo, hi in box.lng_ranges:
        lng_q |= Q(lng__gte=lo, lng__lte=hi)
    return qs.filter(lng_q)


def open_state_filter(moment: dt.datetime) -> Q:
    """Rows whose status lets them be open at `moment` (hours are checked separately)."""
    today = hours.local(moment).date()
    return Q(status=Station.Status.OPEN) | Q(status=Station.Status.TEMPORARILY_CLOSED, closed_until__lte=today)


def stations_nearest(
    *,
    lat: float,
    lng: float,
    limit: int = 10,
    filters: StationFilters = StationFilters(),
    max_distance_m: float | None = None,
    open_at: dt.datetime | None = None,
    moment: dt.datetime | None = None,
    queryset: QuerySet[Station] | None = None,
) -> list[NearbyStation]:
    """Return the `limit` nearest stations to (lat, lng), nearest first.

    A latitude/longitude box that contains the whole circle of radius r is read
    through the (lat, lng) index and re-ranked by great-circle distance. The box
    grows until the limit-th match is no farther than r: nothing outside the box
    can then be nearer, so no closer match is ever skipped. `open_at` keeps only
    stations open at that moment; `moment` (default now) is when `is_open` is
    evaluated when `open_at` is not given.
    """
    if limit < 1:
        return []
    limit = min(limit, MAX_LIMIT)
    when = open_at or moment or timezone.now()
    base = filters.apply(queryset if queryset is not None else Station.objects.all())
    if open_at is not None:
        base = base.filter(open_state_filter(open_at)).exclude(opening_hours="")
    ceiling = min(max_distance_m, _HALF_EARTH_M) if max_distance_m is not None else _HALF_EARTH_M

    radius = min(_FIRST_RADIUS_M, ceiling)
    while True:
        box = bounding_box(lat, lng, radius)
        rows = _in_box(base, box).order_by().values_list("id", "lat", "lng", "opening_hours", "status", "closed_until")
        candidates = []
        for pk, s_lat, s_lng, expression, status, closed_until in rows:
            distance = haversine_m(lat, lng, s_lat, s_lng)
            if distance <= radius:
                candidates.append((distance, pk, expression, status, closed_until))
        candidates.sort()
        # Walk outwards; opening hours are evaluated only until enough matches are found.
        picked: list[tuple[float, int, bool | None]] = []
        for distance, pk, expression, status, closed_until in candidates:
            state = open_state(status, closed_until, expression, when)
            if open_at is not None and state is not True:
                continue
            picked.append((distance, pk, state))
            if len(picked) == limit:
                break
        if len(picked) >= limit or radius >= ceiling:
            full = stations_with_related().in_bulk([pk for _d, pk, _s in picked])
            # A station deleted between the two reads is simply left out.
            return [NearbyStation(full[pk], d, state) for d, pk, state in picked if pk in full]
        # Grow by the density seen so far, at most doubling: a box much wider than the
        # answer needs can swallow a whole neighbouring city and fetch thousands of rows.
        found = len(picked)
        growth = min(2.0, max(1.25, math.sqrt(limit / found) * 1.2)) if found else 2.0
        radius = min(ceiling, radius * growth)


def stations_with_related(qs: QuerySet[Station] | None = None) -> QuerySet[Station]:
    qs = qs if qs is not None else Station.objects.all()
    return qs.select_related("operator", "district")


def stations_open_at(qs: QuerySet[Station], moment: dt.datetime) -> QuerySet[Station]:
    """Narrow a queryset to stations open at `moment`, paginating correctly.

    Hours are evaluated once per distinct expression among the candidates (a
    chain's stores share one), then turned back into a plain SQL condition.
    """
    candidates = qs.filter(open_state_filter(moment)).exclude(opening_hours="")
    expressions: Iterable[str] = candidates.order_by().values_list("opening_hours", flat=True).distinct()
    open_expressions = [e for e in expressions if hours.state_at(e, moment) is True]
    return candidates.filter(opening_hours__in=open_expressions)


# ------------------------------------------------------------------------- clusters

CLUSTER_CELLS_PER_TILE = 3  # a 256 px tile split 3×3: at most one cluster per ~85 px square
MAX_CLUSTER_CELLS = 20_000  # a bbox needing more cells than this is far wider than any screen


@dataclass(frozen=True)
class ClusterGrid:
    """A grid anchored at (0°, 0°) whose cells are about 64 screen pixels at `zoom`."""

    zoom: int
    cell_lat: float
    cell_lng: float

    @classmethod
    def for_view(cls, zoom: int, mid_lat: float) -> ClusterGrid:
        cell_lng = 360.0 / (2**zoom) / CLUSTER_CELLS_PER_TILE
        # Web Mercator stretches latitude by 1/cos(lat); a 5° step keeps cells stable while panning.
        band = max(-85.0, min(85.0, round(mid_lat / 5.0) * 5.0))
        cell_lat = cell_lng * math.cos(math.radians(band))
        return cls(zoom=zoom, cell_lat=cell_lat, cell_lng=cell_lng)

    def snap(self, bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """Widen a bbox to whole cells (the top and right edges are exclusive)."""
        min_lng, min_lat, max_lng, max_lat = bbox
        return (
            math.floor(min_lng / self.cell_lng) * self.cell_lng,
            math.floor(min_lat / self.cell_lat) * self.cell_lat,
            (math.floor(max_lng / self.cell_lng) + 1) * self.cell_lng,
            (math.floor(max_lat / self.cell_lat) + 1) * self.cell_lat,
        )

    def cell_bounds(self, gx: int, gy: int) -> tuple[float, float, float, float]:
        return (
            round(gx * self.cell_lng, 6),
            round(gy * self.cell_lat, 6),
            round((gx + 1) * self.cell_lng, 6),
            round((gy + 1) * self.cell_lat, 6),
        )

    def cells_in(self, min_lng: float, min_lat: float, max_lng: float, max_lat: float) -> int:
        columns = math.floor(max_lng / self.cell_lng) - math.floor(min_lng / self.cell_lng) + 1
        rows = math.floor(max_lat / self.cell_lat) - math.floor(min_lat / self.cell_lat) + 1
        return columns * rows


@dataclass(frozen=True)
class Cluster:
    lat: float  # mean position of the stations in the cell, WGS-84
    lng: float
    count: int
    cell: tuple[float, float, float, float]  # the grid cell: min_lng, min_lat, max_lng, max_lat
    station_id: int  # the lowest id in the cell; the station itself when count == 1


def stations_clusters(
    qs: QuerySet[Station], *, grid: ClusterGrid, bbox: tuple[float, float, float, float]
) -> list[Cluster]:
    """Count the stations of `qs` per grid cell touching bbox, in one GROUP BY query.

    The box is widened to whole cells, so a cell at the edge of the screen counts all its
    stations and does not change while the map pans. The database does the work (an index
    range on lat, then an aggregate), so the answer is one row per non-empty cell however
    many stations the viewport holds.
    """
    min_lng, min_lat, max_lng, max_lat = grid.snap(bbox)
    rows = (
        qs.filter(lat__gte=min_lat, lat__lt=max_lat, lng__gte=min_lng, lng__lt=max_lng)
        .annotate(_gy=Floor(F("lat") / grid.cell_lat), _gx=Floor(F("lng") / grid.cell_lng))
        .order_by()
        .values("_gy", "_gx")
        .annotate(n=Count("id"), avg_lat=Avg("lat"), avg_lng=Avg("lng"), first_id=Min("id"))
    )
    return [
        Cluster(
            lat=round(r["avg_lat"], 6),
            lng=round(r["avg_lng"], 6),
            count=r["n"],
            cell=grid.cell_bounds(int(r["_gx"]), int(r["_gy"])),
            station_id=r["first_id"],
        )
        for r in rows
    ]
