"""The station form's map picker: Leaflet from django-leaflet's static files, no GeoDjango."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import geocoding


class LocationPickerWidget(forms.Widget):
    """A map bound to the form's latitude and longitude inputs; it stores nothing itself.

    Click or drag the marker to set the point, type numbers to move it, or search an address
    through the configured geocoder. Over GCJ-02 tiles the marker is drawn shifted and the
    inputs keep WGS-84.
    """

    template_name = "stations/widgets/location_picker.html"

    def __init__(self, *, lat_field: str = "lat", lng_field: str = "lng", attrs=None) -> None:
        super().__init__(attrs)
        self.lat_field = lat_field
        self.lng_field = lng_field

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={"all": ["leaflet/leaflet.css", "css/admin/location_picker.css"]},
            js=["leaflet/leaflet.js", forms.Script("js/admin/location_picker.js", type="module")],
        )

    def value_from_datadict(self, data, files, name):
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        leaflet = getattr(settings, "LEAFLET_CONFIG", {})
        tiles = leaflet.get("TILES") or []
        _name, url, options = tiles[0] if tiles else ("", "", {})
        prefix = attrs.get("id", "").removesuffix(name) if attrs else "id_"
        context["config_id"] = f"{context['widget']['attrs'].get('id', name)}-config"
        context["picker"] = {
            "latInput": f"{prefix}{self.lat_field}",
            "lngInput": f"{prefix}{self.lng_field}",
            "tileUrl": url,
            "tileOptions": {k: v for k, v in options.items() if k in {"attribution", "maxZoom", "subdomains"}},
            "tileCrs": getattr(settings, "WAYSTATION_TILE_CRS", "wgs84"),
            "center": list(leaflet.get("DEFAULT_CENTER", (31.2304, 121.4737))),
            "zoom": leaflet.get("DEFAULT_ZOOM", 11),
            "geocodeUrl": reverse("admin:stations_station_geocode"),
            "geocoderConfigured": geocoding.is_configured(),
            "strings": {
                "searching": str(_("Searching…")),
                "notFound": str(_("No place found for this address.")),
                "failed": str(_("The address search failed. Enter the coordinates by hand.")),
                "found": str(_("Moved the marker to: %(address)s — check it and save.")),
            },
        }
        return context
