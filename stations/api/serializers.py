"""Output serializers of the stations API: what the map page and chain systems read."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import schedule
from ..models import District, Operator, Station
from ..navigation import navigation_links
from ..selectors import (
    EBIKE_M_PER_MIN,
    WALK_M_PER_MIN,
)


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
