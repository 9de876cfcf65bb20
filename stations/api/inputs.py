"""Query-parameter parsing for the stations API: every bad value is a 400 naming the field."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from .. import amenities as amenity_vocab
from ..models import District, Operator
from ..selectors import (
    MAX_CLUSTER_CELLS,
    MAX_LIMIT,
    ClusterGrid,
    StationFilters,
)

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


def parse_query(serializer_class, request: Request):
    """Validate the query string with this serializer; a bad value raises a 400 naming the field."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer
