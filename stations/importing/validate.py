"""Turn one spreadsheet row into clean station values, or into row errors that say why.

Cheap per row on purpose: no model instances; lookups (districts, amenities, opening
hours) are cached dictionaries, so a 200,000-row file costs microseconds per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import amenities, geocoding, hours
from ..crs import outside_china, to_wgs84
from ..geo import haversine_m
from ..models import District
from .columns import BY_KEY, HeaderMap

_AMENITY_SPLIT = re.compile(r"[、,，;；|｜/]+")
_YES = {"是", "yes", "y", "true", "t", "1", "√", "✓", "24/7", "24小时", "全天"}
_NO = {"否", "no", "n", "false", "f", "0", "×", "不是", ""}
_MAX_LENGTH = {"store_code": 64, "name": 120, "address": 255, "phone": 30, "opening_hours": 255}


def district_radius_m() -> float:
    """How far from its district's centre a station may lie before the row gets a warning."""
    return float(getattr(settings, "WAYSTATION_IMPORT_DISTRICT_RADIUS_KM", 60.0)) * 1000.0


@dataclass
class GeocodedAhead:
    """What an import's first pass learned from the geocoder, handed to the validator directly.

    Not through the cache alone: an in-process cache may keep only a few hundred entries, and
    the point is that the import's transaction never waits for the provider. At most
    `limit` answers are kept (about 300 bytes each); rows beyond that ask the cache/provider.
    """

    places: dict[str, geocoding.Place | None] = field(default_factory=dict)  # None: no such place
    down: str | None = None  # why the provider failed repeatedly: not asked again in this import
    limit: int = 50_000


@dataclass
class RowProblem:
    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class CheckedRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)


class RowValidator:
    """Validate rows of one file against one header map and options."""

    def __init__(self, headers: HeaderMap, *, crs: str) -> None:
        self.headers = headers
        self.crs = crs
        self.positions = headers.positions
        self._items = tuple(headers.positions.items())
        self._width = max(headers.positions.values()) + 1
        self._hours: dict[str, tuple[str | None, str | None]] = {}
        self._amenities: dict[str, tuple[int, list[str]]] = {}
        self._districts: dict[str, tuple[int, float | None, float | None]] = {}
        self.district_codes: dict[int, str] = {}  # pk -> GB/T 2260 code, for reports
        for pk, code, name, name_en, lat, lng in District.objects.values_list(
            "pk", "code", "name", "name_en", "centre_lat", "centre_lng"
        ):
            self.district_codes[pk] = code
            entry = (pk, lat, lng)
            self._districts[code] = entry
            self._districts.setdefault(name, entry)
            if name_en:
                self._districts.setdefault(name_en.casefold(), entry)
        self.radius_m = district_radius_m()
        self.geocoder_on = geocoding.is_configured()
        self.ahead: GeocodedAhead | None = None  # set by an import that geocoded in a first pass

    # ------------------------------------------------------------------ helpers
    def _label(self, key: str) -> str:
        return self.headers.labels.get(key) or BY_KEY[key].zh

    def _error(self, checked: CheckedRow, key: str, code: str, message: str) -> None:
        checked.errors.append(RowProblem(checked.row, self._label(key), code, message))

    def _warn(self, checked: CheckedRow, key: str, code: str, message: str) -> None:
        checked.warnings.append(RowProblem(checked.row, self._label(key), code, message))

    def _clean_hours(self, text: str) -> tuple[str | None, str | None]:
        cached = self._hours.get(text)
        if cached is None:
            try:
                cached = (hours.clean(text), None)
            except ValidationError as exc:
                cached = (None, exc.messages[0])
            self._hours[text] = cached
        return cached

    def _clean_amenities(self, text: str) -> tuple[int, list[str]]:
        cached = self._amenities.get(text)
        if cached is None:
            mask, unknown = 0, []
            for word in _AMENITY_SPLIT.split(text):
                if not word.strip():
                    continue
                found = amenities.lookup(word)
                if found is None:
                    unknown.append(word.strip())
                else:
                    mask |= found.mask
            cached = (mask, unknown)
            self._amenities[text] = cached
        return cached

    # ------------------------------------------------------------------ the row
    def check(self, row: int, cells: list[str]) -> CheckedRow:
        checked = CheckedRow(row)
        values = checked.values
        if len(cells) < self._width:
            cells = [*cells, *[""] * (self._width - len(cells))]
        texts = {key: cells[index].strip() for key, index in self._items}  # absent columns → None
        for key in ("store_code", "name", "address", "phone"):
            text = texts.get(key)
            if text is None:
                continue
            text = " ".join(text.split())
            if key in ("store_code", "name") and not text:
                self._error(checked, key, "required", _("This column is required."))
                continue
            if len(text) > _MAX_LENGTH[key]:
                self._error(
                    checked,
                    key,
                    "too_long",
                    _("At most %(limit)s characters (this has %(length)s).")
                    % {"limit": _MAX_LENGTH[key], "length": len(text)},
                )
                continue
            values[key] = text
        self._check_hours(checked, texts)
        self._check_amenities(checked, texts)
        district = self._check_district(checked, texts)
        self._check_point(checked, texts, district)
        values["status"] = "open"  # a row in the file means the outlet is trading
        return checked

    def _check_hours(self, checked: CheckedRow, texts: dict[str, str]) -> None:
        text = texts.get("opening_hours")
        flag = texts.get("is_24h")
        if text is None and flag is None:
            return
        cleaned: str | None = ""
        if text:
            cleaned, problem = self._clean_hours(text)
            if problem:
                self._error(checked, "opening_hours", "invalid_opening_hours", problem)
                return
            if len(cleaned) > _MAX_LENGTH["opening_hours"]:
                self._error(checked, "opening_hours", "too_long", _("At most 255 characters."))
                return
        if flag is not None:
            word = flag.casefold()
            if word in _YES:
                if cleaned and cleaned != hours.ALWAYS:
                    self._error(
                        checked,
                        "is_24h",
                        "contradiction",
                        _("Says open 24 hours, but the opening hours say “%(hours)s”.") % {"hours": cleaned},
                    )
                    return
                cleaned = hours.ALWAYS
            elif word in _NO:
                if flag and cleaned == hours.ALWAYS:
                    self._error(
                        checked,
                        "is_24h",
                        "contradiction",
                        _("Says not open 24 hours, but the opening hours say 24/7."),
                    )
                    return
            else:
                self._error(
                    checked,
                    "is_24h",
                    "invalid_boolean",
                    _("“%(value)s” is not yes or no (是/否, yes/no, 1/0).") % {"value": flag},
                )
                return
        checked.values["opening_hours"] = cleaned

    def _check_amenities(self, checked: CheckedRow, texts: dict[str, str]) -> None:
        text = texts.get("amenities")
        if text is None:
            return
        mask, unknown = self._clean_amenities(text)
        if unknown:
            self._error(
                checked,
                "amenities",
                "unknown_amenity",
                _("Unknown amenity: %(names)s.") % {"names": "、".join(unknown)},
            )
            return
        checked.values["amenity_mask"] = mask

    def _check_district(
        self, checked: CheckedRow, texts: dict[str, str]
    ) -> tuple[int, float | None, float | None] | None:
        text = texts.get("district")
        if text is None:
            return None
        if not text:
            checked.values["district_id"] = None
            return None
        entry = self._districts.get(text) or self._districts.get(text.casefold())
        if entry is None:
            self._error(
                checked,
                "district",
                "unknown_district",
                _("Unknown district “%(value)s”: give its name (普陀区) or six-digit code (310107).") % {"value": text},
            )
            return None
        checked.values["district_id"] = entry[0]
        return entry

    def _check_point(
        self, checked: CheckedRow, texts: dict[str, str], district: tuple[int, float | None, float | None] | None
    ) -> None:
        lat_text = texts.get("lat") or ""
        lng_text = texts.get("lng") or ""
        if not lat_text and not lng_text:
            self._geocode(checked)
        elif not lat_text or not lng_text:
            key = "lat" if not lat_text else "lng"
            self._error(checked, key, "required", _("Give both latitude and longitude, or neither (to geocode)."))
            return
        else:
            try:
                lat, lng = float(lat_text), float(lng_text)
            except ValueError:
                key = "lng"
                try:
                    float(lat_text)
                except ValueError:
                    key = "lat"
                bad = lat_text if key == "lat" else lng_text
                self._error(
                    checked, key, "not_a_number", _("“%(value)s” is not a number in decimal degrees.") % {"value": bad}
                )
                return
            if outside_china(lat, lng):
                if not outside_china(lng, lat):
                    self._error(
                        checked,
                        "lat",
                        "swapped_coordinates",
                        _(
                            "Latitude %(lat)s and longitude %(lng)s look swapped: "
                            "in China latitudes are about 4–54 and longitudes 73–135."
                        )
                        % {"lat": lat_text, "lng": lng_text},
                    )
                else:
                    self._error(
                        checked,
                        "lng",
                        "outside_china",
                        _("The point (%(lat)s, %(lng)s) is outside China.") % {"lat": lat_text, "lng": lng_text},
                    )
                return
            lat, lng = to_wgs84(lat, lng, self.crs)
            checked.values["lat"], checked.values["lng"] = round(lat, 6), round(lng, 6)
        if district and district[1] is not None and "lat" in checked.values:
            distance = haversine_m(checked.values["lat"], checked.values["lng"], district[1], district[2])
            if distance > self.radius_m:
                self._warn(
                    checked,
                    "district",
                    "far_from_district",
                    _(
                        "The point is %(km).0f km from the centre of this district; "
                        "check the district or the coordinates."
                    )
                    % {"km": distance / 1000},
                )

    def _geocode(self, checked: CheckedRow) -> None:
        address = checked.values.get("address", "")
        if not self.geocoder_on:
            self._error(
                checked,
                "lat" if "lat" in self.positions else "address",
                "no_geocoder",
                _("No coordinates, and no geocoder is configured to find them from the address."),
            )
            return
        if not address:
            self._error(checked, "address", "required", _("No coordinates and no address to geocode."))
            return
        ahead = self.ahead
        try:
            if ahead is not None and address in ahead.places:
                place = ahead.places[address]
            elif ahead is not None and ahead.down:
                raise geocoding.GeocodingFailed(ahead.down)
            else:  # beyond the first pass's limit, or a one-off failure there: ask (once more)
                place = geocoding.geocode(address)
        except geocoding.GeocodingFailed as exc:
            self._error(
                checked,
                "address",
                "geocoding_failed",
                _("The geocoder could not be reached: %(reason)s") % {"reason": exc},
            )
            return
        if place is None:
            self._error(checked, "address", "address_not_found", _("The geocoder found no place for this address."))
            return
        if outside_china(place.lat, place.lng):
            self._error(checked, "address", "outside_china", _("The geocoder placed this address outside China."))
            return
        checked.values["lat"], checked.values["lng"] = round(place.lat, 6), round(place.lng, 6)
