"""GET /api/v1/geocode/?q=: an address to a WGS-84 point, through stations.geocoding."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from .. import geocoding


class GeocodeInputSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="An address or place name.")

    def validate_q(self, value: str) -> str:
        text = " ".join(value.split())
        if len(text) < 2:
            raise serializers.ValidationError(_("Type at least two characters."))
        return text


class PlaceSerializer(serializers.Serializer):
    lat = serializers.FloatField(help_text="WGS-84 latitude.")
    lng = serializers.FloatField(help_text="WGS-84 longitude.")
    address = serializers.CharField()


class GeocodeResponseSerializer(serializers.Serializer):
    results = PlaceSerializer(many=True)


class GeocodeErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["not_configured", "provider_failed"])
    detail = serializers.CharField()


class GeocodeView(APIView):
    """Find a place by address with the configured geocoder (results are WGS-84)."""

    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description="An address or place name.")],
        responses={
            200: GeocodeResponseSerializer,
            400: OpenApiResponse(description="q is missing, too short or too long."),
            503: OpenApiResponse(
                GeocodeErrorSerializer,
                description=(
                    "code=not_configured: this server has no geocoder (WAYSTATION_GEOCODER); "
                    "code=provider_failed: the geocoding provider could not be reached."
                ),
            ),
        },
        description="At most one place; an empty list when the provider knows no such place.",
    )
    def get(self, request: Request) -> Response:
        params = GeocodeInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            place = geocoding.geocode(params.validated_data["q"])
        except geocoding.GeocoderNotConfigured:
            return Response(
                {"code": "not_configured", "detail": _("Address search is not set up on this server.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        except geocoding.GeocodingFailed:
            return Response(
                {"code": "provider_failed", "detail": _("The address search service is unavailable; try again later.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        results = [] if place is None else [PlaceSerializer(place).data]
        return Response({"results": results})
