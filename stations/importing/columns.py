"""The accepted spreadsheet columns, their Chinese and English headers, and header matching.

docs/importing.md lists the same table for users; the downloadable template is built from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import FileProblem


@dataclass(frozen=True)
class Column:
    key: str
    zh: str  # the header in the Chinese template
    en: str  # the header in the English template
    aliases: tuple[str, ...]
    description: object  # lazily translated
    example: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "store_code",
        "门店编号",
        "store_code",
        ("门店编码", "门店代码", "店号", "store code", "store id", "store_id"),
        gettext_lazy("Required. Your own id for the outlet; the same code updates the same station."),
        "FM-0001",
    ),
    Column(
        "name",
        "门店名称",
        "name",
        ("名称", "站点名称", "驿站名称", "store name", "store_name"),
        gettext_lazy("Required. The name riders see."),
        "全家 曹杨路店",
    ),
    Column(
        "address",
        "地址",
        "address",
        ("门店地址", "详细地址"),
        gettext_lazy("Street address."),
        "上海市普陀区曹杨路 1 号",
    ),
    Column(
        "lng",
        "经度",
        "lng",
        ("longitude", "lon", "long"),
        gettext_lazy("Longitude in decimal degrees. Leave both coordinates empty to geocode the address."),
        "121.397210",
    ),
    Column(
        "lat",
        "纬度",
        "lat",
        ("latitude",),
        gettext_lazy("Latitude in decimal degrees."),
        "31.249618",
    ),
    Column(
        "opening_hours",
        "营业时间",
        "opening_hours",
        ("opening hours", "hours", "营业时段"),
        gettext_lazy("OpenStreetMap opening_hours syntax, e.g. 24/7 or Mo-Fr 07:00-23:00. Empty means unknown."),
        "Mo-Su 07:00-23:00",
    ),
    Column(
        "is_24h",
        "是否24小时",
        "is_24h",
        ("24小时", "24小时营业", "是否24小时营业", "24h", "open 24h", "is_24_7"),
        gettext_lazy("是/否, yes/no, 1/0 or true/false. Yes means 24/7 and may leave the hours empty."),
        "否",
    ),
    Column(
        "phone",
        "电话",
        "phone",
        ("联系电话", "门店电话", "tel", "telephone"),
        gettext_lazy("Phone number."),
        "021-12345678",
    ),
    Column(
        "amenities",
        "设施",
        "amenities",
        ("服务设施", "配套设施", "设施服务"),
        gettext_lazy("Amenity names or codes separated by 、 , ; or |, e.g. 热水、微波炉、手机充电."),
        "热水、微波炉、手机充电",
    ),
    Column(
        "district",
        "区",
        "district",
        ("所属区", "区县", "行政区", "district code", "district_code", "区划代码"),
        gettext_lazy("District name (普陀区) or six-digit code (310107)."),
        "普陀区",
    ),
)

BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = ("store_code", "name")

_SPACES = re.compile(r"[\s_\-\ufeff]+")


def normalise_header(text: str) -> str:
    """Compare headers case- and space-insensitively (“Store Code” = “store_code” = “storecode”)."""
    return _SPACES.sub("", text).casefold()


_BY_HEADER: dict[str, str] = {}
for _c in COLUMNS:
    for _h in (_c.key, _c.zh, _c.en, *_c.aliases):
        _BY_HEADER[normalise_header(_h)] = _c.key


@dataclass(frozen=True)
class HeaderMap:
    positions: dict[str, int]  # column key → index in the row
    labels: dict[str, str]  # column key → the header as written in the file
    ignored: tuple[str, ...]  # headers we do not know


def map_headers(header: list[str]) -> HeaderMap:
    """Match a header row to our columns; raise FileProblem for missing or repeated ones."""
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        text = raw.strip().lstrip("\ufeff")
        if not text:
            continue
        key = _BY_HEADER.get(normalise_header(text))
        if key is None:
            ignored.append(text)
            continue
        if key in positions:
            raise FileProblem(
                _("Columns “%(first)s” and “%(second)s” both mean %(column)s; keep one.")
                % {"first": labels[key], "second": text, "column": BY_KEY[key].en}
            )
        positions[key] = index
        labels[key] = text
    missing = [BY_KEY[k] for k in REQUIRED if k not in positions]
    if missing:
        raise FileProblem(
            _("Required column missing: %(columns)s. The first row must hold the column headers.")
            % {"columns": ", ".join(f"{c.zh}/{c.en}" for c in missing)}
        )
    if ("lat" in positions) != ("lng" in positions):
        raise FileProblem(_("Give both a latitude (纬度/lat) and a longitude (经度/lng) column, or neither."))
    if "lat" not in positions and "address" not in positions:
        raise FileProblem(_("Without coordinate columns the file needs an address (地址/address) column to geocode."))
    return HeaderMap(positions, labels, tuple(ignored))


def template_rows(language: str) -> list[list[str]]:
    """The header and one example row for the downloadable template ("zh" or "en")."""
    header = [c.zh if language == "zh" else c.en for c in COLUMNS]
    return [header, [c.example for c in COLUMNS]]
