"""Stations API views: read-only for everyone, documented by OpenAPI."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from .. import amenities as amenity_vocab
from ..models import District, Operator, Station
from ..renderers import GeoJSONRenderer
from ..selectors import (
    EBIKE_M_PER_MIN,
    MAX_CLUSTER_CELLS,
    MAX_LIMIT,
    WALK_M_PER_MIN,
    stations_clusters,
    stations_nearest,
    stations_open_at,
    stations_with_related,
)
from .inputs import ClustersInputSerializer, NearestInputSerializer, StationListInputSerializer, parse_query
from .serializers import (
    AmenitySerializer,
    ClusterSerializer,
    ClustersResponseSerializer,
    CompactStationSerializer,
    DistrictSerializer,
    NearbyStationSerializer,
    NearestResponseSerializer,
    OperatorSerializer,
    StationDetailSerializer,
    StationSerializer,
)

CLUSTER_CACHE_MAX_ZOOM = 10  # up to this zoom cluster answers are shared for a minute
CLUSTER_CACHE_SECONDS = 60

_FILTER_PARAMS = [
    OpenApiParameter("open_now", OpenApiTypes.BOOL, description="Only stations open now."),
    OpenApiParameter("open_at", OpenApiTypes.DATETIME, description="Only stations open at this moment (ISO 8601)."),
    OpenApiParameter("open_24h", OpenApiTypes.BOOL, description="Only stations open 24/7."),
    OpenApiParameter(
        "amenity",
        OpenApiTypes.STR,
        description="Comma list of amenity codes; all are required. Codes: " + ", ".join(amenity_vocab.CODES),
    ),
    OpenApiParameter("operator", OpenApiTypes.STR, description="Comma list of operator codes."),
    OpenApiParameter(
        "kind", OpenApiTypes.STR, description="Comma list of operator kinds: " + ", ".join(Operator.Kind.values)
    ),
    OpenApiParameter("district", OpenApiTypes.STR, description="Comma list of GB/T 2260 district codes."),
]


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """Stations: list (with filters, paginated, JSON or GeoJSON), detail and nearest."""

    serializer_class = StationSerializer
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Station]:
        return stations_with_related()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return StationDetailSerializer
        if self.action == "list" and getattr(self, "_compact", False):
            return CompactStationSerializer
        return StationSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["moment"] = getattr(self, "_moment", None)
        return context

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", OpenApiTypes.STR, description="min_lng,min_lat,max_lng,max_lat (WGS-84)."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Words in the name or address."),
            OpenApiParameter(
                "compact",
                OpenApiTypes.BOOL,
                description=(
                    "Only what a map marker needs (id, name, lat, lng, operator code, is_24_7, status, "
                    "amenities, is_open, next_change): about a quarter of the bytes."
                ),
            ),
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=["json", "geojson"], description="geojson returns a FeatureCollection."
            ),
            *_FILTER_PARAMS,
        ]
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        params = parse_query(StationListInputSerializer, request)
        data = params.validated_data
        qs = params.filters().apply(self.get_queryset())
        if "bbox" in data:
            min_lng, min_lat, max_lng, max_lat = data["bbox"]
            qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lng__gte=min_lng, lng__lte=max_lng)
        if data.get("q"):
            for word in data["q"].split():
                qs = qs.filter(Q(name__icontains=word) | Q(address__icontains=word))
        self._moment = params.moment()
        self._compact = data["compact"]
        if self._moment is not None:
            qs = stations_open_at(qs, self._moment)
        page = self.paginate_queryset(qs.order_by("id"))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        parameters=[
            OpenApiParameter("lat", OpenApiTypes.DOUBLE, required=True, description="WGS-84 latitude."),
            OpenApiParameter("lng", OpenApiTypes.DOUBLE, required=True, description="WGS-84 longitude."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"How many (default 10, at most {MAX_LIMIT})."),
            OpenApiParameter(
                "max_distance_m", OpenApiTypes.DOUBLE, description="Only stations within this many metres."
            ),
            *_FILTER_PARAMS,
        ],
        responses=NearestResponseSerializer,
        description=(
            "The nearest stations by great-circle distance, nearest first. "
            f"minutes_by_ebike assumes {EBIKE_M_PER_MIN * 60 / 1000:g} km/h and minutes_on_foot "
            f"{WALK_M_PER_MIN * 60 / 1000:g} km/h, both along a straight line and rounded up; "
            "is_open is evaluated at open_at if given, else now."
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def nearest(self, request: Request) -> Response:
        params = parse_query(NearestInputSerializer, request)
        data = params.validated_data
        open_at = params.moment()
        self._moment = open_at or timezone.now()
        results = stations_nearest(
            lat=data["lat"],
            lng=data["lng"],
            limit=data["limit"],
            filters=params.filters(),
            max_distance_m=data.get("max_distance_m"),
            open_at=open_at,
            moment=self._moment,
        )
        serializer = NearbyStationSerializer(results, many=True, context=self.get_serializer_context())
        return Response({"results": serializer.data})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "bbox",
                OpenApiTypes.STR,
                required=True,
                description="min_lng,min_lat,max_lng,max_lat (WGS-84): the map's viewport.",
            ),
            OpenApiParameter(
                "zoom",
                OpenApiTypes.INT,
                required=True,
                description="The map's zoom level (0–22); cells are about 85 px squares at this zoom.",
            ),
            *_FILTER_PARAMS,
        ],
        responses=ClustersResponseSerializer,
        description=(
            "Stations counted per grid cell inside the viewport, for the map at low zoom: one row per "
            "non-empty cell, aggregated by the database, so the answer stays small with any number "
            "of stations. Cells are anchored at 0°,0° and do not move while the map pans. A cell with "
            "one station carries its id. A bbox needing more than "
            f"{MAX_CLUSTER_CELLS:,} cells at the given zoom is refused with 400. Answers up to zoom "
            f"{CLUSTER_CACHE_MAX_ZOOM} are shared for {CLUSTER_CACHE_SECONDS} s, so they may lag an edit by that much."
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def clusters(self, request: Request) -> Response:
        params = parse_query(ClustersInputSerializer, request)
        data = params.validated_data
        grid, filters = data["grid"], params.filters()
        moment = params.moment()
        if moment is not None and "open_at" not in data:
            moment = moment.replace(second=0, microsecond=0)  # "now" to the minute, so answers can be shared

        def compute() -> dict:
            qs = filters.apply(Station.objects.all())
            if moment is not None:
                qs = stations_open_at(qs, moment)
            clusters = stations_clusters(qs, grid=grid, bbox=data["bbox"])
            return {
                "zoom": grid.zoom,
                "cell_lat": grid.cell_lat,
                "cell_lng": grid.cell_lng,
                "count": sum(c.count for c in clusters),
                "clusters": ClusterSerializer(clusters, many=True).data,
            }

        if grid.zoom > CLUSTER_CACHE_MAX_ZOOM:
            return Response(compute())
        # Wide views aggregate many rows and look alike for every rider (the city overview):
        # share each answer briefly, keyed by the whole cells it covers.
        key = repr((grid.zoom, grid.snap(data["bbox"]), filters, moment and moment.isoformat()))
        digest = hashlib.sha256(key.encode()).hexdigest()
        return Response(cache.get_or_set(f"clusters:{digest}", compute, CLUSTER_CACHE_SECONDS))


class OperatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OperatorSerializer
    lookup_field = "code"
    queryset = Operator.objects.order_by("name")


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DistrictSerializer
    lookup_field = "code"
    queryset = District.objects.select_related("parent").order_by("code")
    pagination_class = None


class AmenityViewSet(viewsets.ViewSet):
    """The amenity vocabulary with labels in the request's language."""

    @extend_schema(responses=AmenitySerializer(many=True))
    def list(self, request: Request) -> Response:
        data = [{"code": a.code, "label": str(a.label), "icon": a.icon} for a in amenity_vocab.AMENITIES]
        return Response(AmenitySerializer(data, many=True).data)
