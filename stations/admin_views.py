"""Staff-only admin pages for stations: door poster, one-click verification, address search."""

from __future__ import annotations

from typing import TYPE_CHECKING

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import geocoding
from .services import station_mark_verified

if TYPE_CHECKING:
    from .admin import StationAdmin

POSTER_SIZES = ("a4", "a5")
WELCOME_TITLE = "侬好,小哥"
WELCOME_TEXT = "累了就坐,渴了就喝,这里是你家"


def poster(request: HttpRequest, object_id: str, *, model_admin: StationAdmin) -> HttpResponse:
    """Render the printable door poster for one station (A4 or A5), with a QR code to its page."""
    station = model_admin.get_scoped_object_or_404(request, object_id)
    if not model_admin.has_view_permission(request, station):
        raise PermissionDenied
    size = request.GET.get("size", "a4").lower()
    if size not in POSTER_SIZES:
        return JsonResponse({"size": [_("Choose a4 or a5.")]}, status=400)
    public_url = request.build_absolute_uri(reverse("stations:detail", args=[station.pk]))
    qr = segno.make(public_url, error="m")
    return render(
        request,
        "admin/stations/station/poster.html",
        {
            "station": station,
            "size": size,
            "sizes": POSTER_SIZES,
            "public_url": public_url,
            # segno writes the SVG itself from the URL; nothing user-typed goes in unescaped.
            "qr_svg": mark_safe(qr.svg_inline(scale=10, border=2, dark="#111", omitsize=True)),  # noqa: S308
            "welcome_title": WELCOME_TITLE,
            "welcome_text": WELCOME_TEXT,
        },
    )


@require_POST
def verify(request: HttpRequest, object_id: str, *, model_admin: StationAdmin) -> HttpResponse:
    """Mark one station verified by the signed-in user, then go back to its form."""
    station = model_admin.get_scoped_object_or_404(request, object_id)
    if not model_admin.has_change_permission(request, station):
        raise PermissionDenied
    station_mark_verified(station=station, actor=request.user)
    model_admin.message_user(request, _("Marked “%(station)s” verified.") % {"station": station}, messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:stations_station_change", args=[station.pk]))


@require_GET
def geocode(request: HttpRequest, *, model_admin: StationAdmin) -> JsonResponse:
    """Look an address up through the configured geocoder; answer WGS-84 JSON for the map picker."""
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    if not query:
        return JsonResponse({"q": [_("Enter an address to search for.")]}, status=400)
    if len(query) > 200:
        return JsonResponse({"q": [_("An address has at most 200 characters.")]}, status=400)
    if not geocoding.is_configured():
        return JsonResponse(
            {"error": _("No geocoder is configured, so addresses cannot be looked up. Click the map instead.")},
            status=503,
        )
    try:
        place = geocoding.geocode(query)
    except geocoding.GeocodingFailed:
        return JsonResponse({"error": _("The geocoder could not be reached. Try again later.")}, status=502)
    if place is None:
        return JsonResponse({"error": _("No place found for this address.")}, status=404)
    return JsonResponse({"lat": place.lat, "lng": place.lng, "address": place.address})
