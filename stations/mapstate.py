"""The map page's state from its URL: filters, search and view, checked before the page renders.

A shared link may be stale or hostile. Anything we cannot use is dropped with a message the
page shows, and the page opens anyway with what remains; nothing from the URL reaches the
page except through the template's escaping or JSON encoding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from . import amenities as amenity_vocab
from .models import Operator

MAX_QUERY_LENGTH = 100  # the station list's `q` accepts at most this many characters
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass
class MapState:
    open_now: bool = True  # riders want what is open now; a link can turn it off
    open_24h: bool = False
    amenities: list[str] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    q: str = ""
    lat: float | None = None
    lng: float | None = None
    zoom: int | None = None
    messages: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "open_now": self.open_now,
            "open_24h": self.open_24h,
            "amenity": self.amenities,
            "operator": self.operators,
            "q": self.q,
            "lat": self.lat,
            "lng": self.lng,
            "zoom": self.zoom,
        }


def _flag(params: QueryDict, name: str, default: bool, state: MapState) -> bool:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    state.messages.append(_("Ignored the filter “%(name)s”: it must be 1 or 0.") % {"name": name})
    return default


def _codes(params: QueryDict, name: str) -> list[str]:
    items: list[str] = []
    for raw in params.getlist(name):
        items.extend(i.strip() for i in raw.split(",") if i.strip())
    return list(dict.fromkeys(items))


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def map_state_from_query(params: QueryDict, *, min_zoom: int, max_zoom: int) -> MapState:
    """Read the page's state from the query string, dropping what is unusable with a message."""
    state = MapState()
    state.open_now = _flag(params, "open_now", True, state)
    state.open_24h = _flag(params, "open_24h", False, state)

    wanted = _codes(params, "amenity")
    state.amenities = [c for c in wanted if c in amenity_vocab.BY_CODE]
    unknown = [c for c in wanted if c not in amenity_vocab.BY_CODE]
    if unknown:
        state.messages.append(_("Ignored unknown amenities: %(codes)s.") % {"codes": ", ".join(unknown)})

    wanted = _codes(params, "operator")[:20]
    known = set(Operator.objects.filter(code__in=wanted).values_list("code", flat=True)) if wanted else set()
    state.operators = [c for c in wanted if c in known]
    unknown = [c for c in wanted if c not in known]
    if unknown:
        state.messages.append(_("Ignored unknown operators: %(codes)s.") % {"codes": ", ".join(unknown)})

    q = " ".join(params.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        q = q[:MAX_QUERY_LENGTH]
        state.messages.append(_("The search was shortened to %(n)d characters.") % {"n": MAX_QUERY_LENGTH})
    state.q = q

    if any(params.get(k) not in (None, "") for k in ("lat", "lng", "zoom")):
        lat, lng = _number(params.get("lat")), _number(params.get("lng"))
        zoom = _number(params.get("zoom")) if params.get("zoom") not in (None, "") else None
        valid = (
            lat is not None
            and lng is not None
            and -90 <= lat <= 90
            and -180 <= lng <= 180
            and (zoom is None or min_zoom <= zoom <= max_zoom)
        )
        if valid:
            state.lat, state.lng = round(lat, 6), round(lng, 6)
            state.zoom = int(zoom) if zoom is not None else None
        else:
            state.messages.append(_("The map position in the link is not valid; showing the city overview."))
    return state
