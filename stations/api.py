"""REST API for stations: read-only for everyone, documented by OpenAPI."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from . import amenities as amenity_vocab
from . import schedule
from .models import District, Operator, Station
from .navigation import navigation_links
from .renderers import GeoJSONRenderer
from .selectors import (
    EBIKE_M_PER_MIN,
    MAX_CLUSTER_CELLS,
    MAX_LIMIT,
    WALK_M_PER_MIN,
    ClusterGrid,
    StationFilters,
    stations_clusters,
    stations_nearest,
    stations_open_at,
    stations_with_related,
)

# ---------------------------------------------------------------------------- output


class OperatorSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Operator
        fields = ["code", "name", "kind", "kind_label", "website", "phone"]


class DistrictSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = District
        fields = ["code", "name", "name_en", "level", "parent", "centre_lat", "centre_lng"]


class DistrictRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name"]


class OperatorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Operator
        fields = ["code", "name", "kind"]


class StationSerializer(serializers.ModelSerializer):
    """A station as riders and the map see it. Coordinates are WGS-84."""

    operator = OperatorRefSerializer(read_only=True)
    district = DistrictRefSerializer(read_only=True)
    amenities = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_open = serializers.SerializerMethodField(
        help_text="Open at the evaluated moment (now unless the request says); null when the hours are unknown."
    )
    next_change = serializers.SerializerMethodField(
        help_text="When the station next opens or closes (Asia/Shanghai), or null."
    )

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "address",
            "operator",
            "store_code",
            "district",
            "lat",
            "lng",
            "opening_hours",
            "is_24_7",
            "status",
            "closed_until",
            "amenities",
            "phone",
            "notes",
            "source",
            "last_verified_at",
            "created_at",
            "updated_at",
            "is_open",
            "next_change",
        ]

    def _moment(self) -> dt.datetime:
        return self.context.get("moment") or timezone.now()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_open(self, station: Station) -> bool | None:
        return station.is_open_at(self._moment())

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_next_change(self, station: Station) -> dt.datetime | None:
        changed = station.next_change_after(self._moment())
        return timezone.localtime(changed) if changed else None


class NearbyStationSerializer(StationSerializer):
    distance_m = serializers.IntegerField(help_text="Great-circle distance in whole metres.")
    minutes_by_ebike = serializers.IntegerField(
        help_text=f"Minutes at {EBIKE_M_PER_MIN * 60 / 1000:g} km/h, rounded up."
    )
    minutes_on_foot = serializers.IntegerField(help_text=f"Minutes at {WALK_M_PER_MIN * 60 / 1000:g} km/h, rounded up.")

    class Meta(StationSerializer.Meta):
        fields = [*StationSerializer.Meta.fields, "distance_m", "minutes_by_ebike", "minutes_on_foot"]

    def to_representation(self, nearby):  # type: ignore[override]
        station = nearby.station
        station.distance_m = round(nearby.distance_m)
        station.minutes_by_ebike = nearby.minutes_by_ebike
        station.minutes_on_foot = nearby.minutes_on_foot
        data = super().to_representation(station)
        data["is_open"] = nearby.is_open  # already evaluated at the requested moment
        return data


class NearestResponseSerializer(serializers.Serializer):
    results = NearbyStationSerializer(many=True)


class CompactStationSerializer(StationSerializer):
    """What a map marker needs, about a quarter of the full record (`compact=true`)."""

    operator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(StationSerializer.Meta):
        fields = ["id", "name", "lat", "lng", "operator", "is_24_7", "status", "amenities", "is_open", "next_change"]


class NavigationLinkSerializer(serializers.Serializer):
    provider = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()
    crs = serializers.CharField(help_text="Coordinate system of the link's coordinates: wgs84 or gcj02.")
    app = serializers.BooleanField(help_text="Opens an installed app directly, without a web fallback.")


class StationDetailSerializer(StationSerializer):
    """One station with its hours in words and navigation links, for the station sheet."""

    hours_summary = serializers.SerializerMethodField(
        help_text="The week's opening hours in words, in the request's language (Asia/Shanghai)."
    )
    navigation = serializers.SerializerMethodField()

    class Meta(StationSerializer.Meta):
        fields = [*StationSerializer.Meta.fields, "hours_summary", "navigation"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_hours_summary(self, station: Station) -> list[str]:
        return schedule.summary(station.opening_hours, timezone.localdate(self._moment()))

    @extend_schema_field(NavigationLinkSerializer(many=True))
    def get_navigation(self, station: Station) -> list[dict]:
        links = navigation_links(lat=station.lat, lng=station.lng, name=station.name, address=station.address)
        return NavigationLinkSerializer(links, many=True).data


class ClusterSerializer(serializers.Serializer):
    lat = serializers.FloatField(help_text="Mean latitude of the cell's stations (WGS-84).")
    lng = serializers.FloatField(help_text="Mean longitude of the cell's stations (WGS-84).")
    count = serializers.IntegerField()
    bbox = serializers.SerializerMethodField(help_text="The grid cell: min_lng,min_lat,max_lng,max_lat (WGS-84).")
    id = serializers.SerializerMethodField(help_text="The station's id when the cell holds exactly one.")

    @extend_schema_field(serializers.ListField(child=serializers.FloatField()))
    def get_bbox(self, cluster) -> list[float]:
        return list(cluster.cell)

    @extend_schema_field(OpenApiTypes.INT)
    def get_id(self, cluster) -> int | None:
        return cluster.station_id if cluster.count == 1 else None


class ClustersResponseSerializer(serializers.Serializer):
    zoom = serializers.IntegerField()
    cell_lat = serializers.FloatField(help_text="Cell height in degrees of latitude.")
    cell_lng = serializers.FloatField(help_text="Cell width in degrees of longitude.")
    count = serializers.IntegerField(help_text="Stations in the bbox matching the filters.")
    clusters = ClusterSerializer(many=True)


class AmenitySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    icon = serializers.CharField()


# ----------------------------------------------------------------------------- input


class CommaListField(serializers.Field):
    """A comma-separated list, e.g. `amenity=hot_water,phone_charging`."""

    def __init__(self, *, choices: tuple[str, ...] | None = None, **kwargs):
        self.allowed = choices
        super().__init__(**kwargs)

    def to_internal_value(self, data: str) -> tuple[str, ...]:
        if not isinstance(data, str):
            raise ValidationError(_("Expected a comma-separated list."))
        items = tuple(dict.fromkeys(i.strip() for i in data.split(",") if i.strip()))
        if self.allowed is not None:
            unknown = [i for i in items if i not in self.allowed]
            if unknown:
                raise ValidationError(
                    _("Unknown value(s): %(unknown)s. Allowed: %(allowed)s.")
                    % {"unknown": ", ".join(unknown), "allowed": ", ".join(self.allowed)}
                )
        return items

    def to_representation(self, value):
        return ",".join(value)


class BBoxField(serializers.Field):
    """`min_lng,min_lat,max_lng,max_lat` in WGS-84, as in GeoJSON and OGC APIs."""

    def to_internal_value(self, data: str) -> tuple[float, float, float, float]:
        parts = str(data).split(",")
        if len(parts) != 4:
            raise ValidationError(_("Expected four numbers: min_lng,min_lat,max_lng,max_lat."))
        try:
            min_lng, min_lat, max_lng, max_lat = (float(p) for p in parts)
        except ValueError:
            raise ValidationError(_("Expected four numbers: min_lng,min_lat,max_lng,max_lat.")) from None
        if not all(map(_finite, (min_lng, min_lat, max_lng, max_lat))):
            raise ValidationError(_("Coordinates must be finite numbers."))
        if not (-180 <= min_lng <= 180 and -180 <= max_lng <= 180):
            raise ValidationError(_("Longitudes must be between -180 and 180."))
        if not (-90 <= min_lat <= max_lat <= 90):
            raise ValidationError(_("Latitudes must be between -90 and 90, minimum first."))
        if min_lng > max_lng:
            raise ValidationError(_("min_lng must not exceed max_lng."))
        return min_lng, min_lat, max_lng, max_lat

    def to_representation(self, value):
        return ",".join(map(str, value))


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


class FilterInputSerializer(serializers.Serializer):
    """Filters shared by the list and the nearest search."""

    open_24h = serializers.BooleanField(required=False, default=False)
    open_now = serializers.BooleanField(required=False, default=False)
    open_at = serializers.DateTimeField(
        required=False,
        help_text="ISO 8601 moment; without an offset it is read as Asia/Shanghai time.",
    )
    amenity = CommaListField(choices=amenity_vocab.CODES, required=False, default=())
    operator = CommaListField(required=False, default=())
    kind = CommaListField(choices=tuple(Operator.Kind.values), required=False, default=())
    district = CommaListField(required=False, default=())

    def validate_operator(self, value: tuple[str, ...]) -> tuple[str, ...]:
        known = set(Operator.objects.filter(code__in=value).values_list("code", flat=True))
        unknown = [v for v in value if v not in known]
        if unknown:
            raise ValidationError(_("Unknown operator code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
        return value

    def validate_district(self, value: tuple[str, ...]) -> tuple[str, ...]:
        known = set(District.objects.filter(code__in=value).values_list("code", flat=True))
        unknown = [v for v in value if v not in known]
        if unknown:
            raise ValidationError(_("Unknown district code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
        return value

    def filters(self) -> StationFilters:
        data = self.validated_data
        return StationFilters(
            open_24h=data["open_24h"],
            amenities=data["amenity"],
            operators=data["operator"],
            kinds=data["kind"],
            districts=data["district"],
        )

    def moment(self) -> dt.datetime | None:
        """The moment to evaluate "open" at: open_at if given, now if open_now, else None."""
        data = self.validated_data
        if "open_at" in data:
            return data["open_at"]
        if data["open_now"]:
            return timezone.now()
        return None


class StationListInputSerializer(FilterInputSerializer):
    bbox = BBoxField(required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="Words in the name or address.")
    compact = serializers.BooleanField(required=False, default=False)


class ClustersInputSerializer(FilterInputSerializer):
    bbox = BBoxField()
    zoom = serializers.IntegerField(min_value=0, max_value=22)

    def validate(self, attrs):
        min_lng, min_lat, max_lng, max_lat = attrs["bbox"]
        grid = ClusterGrid.for_view(attrs["zoom"], (min_lat + max_lat) / 2)
        if grid.cells_in(min_lng, min_lat, max_lng, max_lat) > MAX_CLUSTER_CELLS:
            raise ValidationError(
                {"bbox": [_("This box is too large for zoom %(zoom)d; zoom out or send a smaller box.") % attrs]}
            )
        attrs["grid"] = grid
        return attrs


class NearestInputSerializer(FilterInputSerializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=10)
    max_distance_m = serializers.FloatField(min_value=1, max_value=20_037_509, required=False)

    def validate_lat(self, value: float) -> float:
        if not _finite(value):
            raise ValidationError(_("Must be a finite number."))
        return value

    validate_lng = validate_lat


def _parse(serializer_class, request: Request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer


# ----------------------------------------------------------------------------- views

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
        params = _parse(StationListInputSerializer, request)
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
        params = _parse(NearestInputSerializer, request)
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
        params = _parse(ClustersInputSerializer, request)
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
