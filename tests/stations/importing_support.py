"""Helpers shared by the import tests: small generated files and a one-call import."""

from __future__ import annotations

import csv
import io

from stations.importing.pipeline import Importer, ImportOptions, Report
from stations.models import Operator
from tests import fake_geocoder

HEADER_ZH = ["门店编号", "门店名称", "地址", "经度", "纬度", "营业时间", "是否24小时", "电话", "设施", "区"]
HEADER_EN = ["store_code", "name", "address", "lng", "lat", "opening_hours", "is_24h", "phone", "amenities", "district"]


def row(code: str, **overrides: str) -> list[str]:
    """One valid Putuo row in HEADER order, with fields overridden by header key."""
    values = {
        "store_code": code,
        "name": f"全家 {code} 店",
        "address": "上海市普陀区曹杨路 1 号",
        "lng": "121.397210",
        "lat": "31.249618",
        "opening_hours": "Mo-Su 07:00-23:00",
        "is_24h": "否",
        "phone": "021-12345678",
        "amenities": "热水、微波炉",
        "district": "普陀区",
    }
    values.update(overrides)
    return [values[k] for k in HEADER_EN]


def csv_bytes(rows: list[list[str]], *, header: list[str] = HEADER_ZH, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def run_import(operator: Operator, data: bytes, *, name: str = "stores.csv", **options) -> Report:
    return Importer(operator=operator, options=ImportOptions(**options)).run(io.BytesIO(data), name=name)


def start_nominatim(places: dict[str, tuple[float, float]]):
    """A local Nominatim answering these exact addresses; the handler records every query."""
    return fake_geocoder.start(places)
