"""GeoJSON output for the map: `?format=geojson` on the station list."""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer

_PAGE_KEYS = ("count", "next", "previous")


def to_feature(item: dict) -> dict:
    # The id is the Feature's own member (RFC 7946 §3.2); lat/lng become the geometry.
    properties = {k: v for k, v in item.items() if k not in ("id", "lat", "lng")}
    return {
        "type": "Feature",
        "id": item.get("id"),
        # GeoJSON (RFC 7946) orders positions longitude first, in WGS-84.
        "geometry": {"type": "Point", "coordinates": [item["lng"], item["lat"]]},
        "properties": properties,
    }


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return super().render(data, "application/json", renderer_context)
        if isinstance(data, dict) and "results" in data:
            collection = {"type": "FeatureCollection", "features": [to_feature(i) for i in data["results"]]}
            collection.update({k: data[k] for k in _PAGE_KEYS if k in data})
        elif isinstance(data, dict) and "lat" in data:
            collection = to_feature(data)
        else:
            collection = data
        return super().render(collection, accepted_media_type, renderer_context)
