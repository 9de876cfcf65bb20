"""The fixed amenity vocabulary, stored on a station as a bit mask.

A bit mask makes "has all of these amenities" one indexed-row condition
(`mask & wanted = wanted`) on SQLite and PostgreSQL alike. Bits are part of the
stored data: never renumber an amenity, only append new ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Amenity:
    code: str
    bit: int
    label: str  # lazily translated; zh-hans in the catalogue, English in the source
    icon: str  # a short glyph the map shows next to the text label
    aliases: tuple[str, ...] = ()

    @property
    def mask(self) -> int:
        return 1 << self.bit


AMENITIES: tuple[Amenity, ...] = (
    Amenity("seating", 0, _("Seating"), "🪑", ("座椅", "座位", "休息座椅", "seat", "seats")),
    Amenity("drinking_water", 1, _("Drinking water"), "🚰", ("饮用水", "饮水", "饮水机", "water")),
    Amenity("hot_water", 2, _("Hot water"), "♨", ("热水", "开水")),
    Amenity("microwave", 3, _("Microwave"), "🍱", ("微波炉", "加热", "热饭")),
    Amenity("phone_charging", 4, _("Phone charging"), "🔌", ("手机充电", "充电", "充电插座", "charging")),
    Amenity("ebike_charging", 5, _("E-bike charging"), "🛵", ("电动车充电", "电瓶车充电")),
    Amenity("battery_swap", 6, _("Battery swap"), "🔋", ("换电", "换电柜")),
    Amenity("heating", 7, _("Heating"), "🔥", ("取暖", "暖气", "供暖")),
    Amenity("air_conditioning", 8, _("Air conditioning"), "❄", ("空调", "纳凉", "降温")),
    Amenity("restroom", 9, _("Restroom"), "🚻", ("卫生间", "厕所", "洗手间", "toilet", "toilets")),
    Amenity("first_aid", 10, _("First-aid kit"), "⛑", ("急救箱", "医药箱", "药箱", "first_aid_kit")),
    Amenity("umbrella", 11, _("Umbrella"), "☂", ("雨伞", "借伞", "爱心雨伞")),
    Amenity("locker", 12, _("Storage locker"), "🔐", ("储物柜", "寄存", "临时寄存", "storage")),
    Amenity("wifi", 13, _("Wi-Fi"), "📶", ("无线网络", "WiFi", "wi-fi")),
    Amenity("repair_kit", 14, _("Repair kit"), "🔧", ("维修工具", "打气筒", "修车工具")),
    Amenity("books", 15, _("Reading corner"), "📚", ("书报", "图书角", "阅读角")),
)

BY_CODE: dict[str, Amenity] = {a.code: a for a in AMENITIES}
CODES: tuple[str, ...] = tuple(BY_CODE)
ALL_MASK = sum(a.mask for a in AMENITIES)


def _normalise(word: str) -> str:
    return word.strip().lower().replace(" ", "").replace("-", "_")


# Codes, English labels and Chinese aliases, all normalised, to the amenity.
_LOOKUP: dict[str, Amenity] = {}
for _a in AMENITIES:
    for _name in (_a.code, *_a.aliases):
        _LOOKUP[_normalise(_name)] = _a


def lookup(word: str) -> Amenity | None:
    """Find an amenity by code, Chinese name or English alias."""
    return _LOOKUP.get(_normalise(word))


def to_mask(codes: Iterable[str]) -> int:
    """Turn amenity codes into a bit mask; raise KeyError naming an unknown code."""
    mask = 0
    for code in codes:
        mask |= BY_CODE[code].mask
    return mask


def from_mask(mask: int) -> list[str]:
    """List the amenity codes set in a mask, in vocabulary order."""
    return [a.code for a in AMENITIES if mask & a.mask]


def choices() -> list[tuple[str, object]]:
    return [(a.code, a.label) for a in AMENITIES]
