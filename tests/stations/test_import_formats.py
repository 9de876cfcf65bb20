from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from stations.models import Station
from tests.factories import OperatorFactory

from .importing_support import HEADER_EN, csv_bytes, row, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return OperatorFactory(code="familymart-sh", name="全家 上海")


def names(operator) -> list[str]:
    return list(Station.objects.filter(operator=operator).order_by("store_code").values_list("name", flat=True))


@pytest.mark.parametrize(
    ("encoding", "expected_format"),
    [("utf-8", "csv (utf-8)"), ("utf-8-sig", "csv (utf-8)"), ("gbk", "csv (gb18030)"), ("gb18030", "csv (gb18030)")],
)
def test_csv_encodings_are_detected_and_chinese_survives(operator, encoding, expected_format):
    data = csv_bytes([row("A1", name="全家 曹杨路店"), row("A2", name="全家 真如店")], encoding=encoding)

    report = run_import(operator, data)

    assert report.format == expected_format
    assert report.counts["new"] == 2
    assert names(operator) == ["全家 曹杨路店", "全家 真如店"]


def test_bom_does_not_hide_the_first_header(operator):
    data = csv_bytes([row("A1")], encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")

    report = run_import(operator, data, encoding="utf-8")

    assert report.counts["new"] == 1
    assert Station.objects.get(operator=operator).store_code == "A1"


def test_gbk_file_whose_first_rows_are_ascii_is_still_detected(operator):
    rows = [row(f"A{i}", name=f"Store {i}", address="Caoyang Rd") for i in range(300)]
    rows.append(row("Z1", name="全家 最后一家"))
    data = csv_bytes(rows, header=HEADER_EN, encoding="gbk")

    report = run_import(operator, data)

    assert report.format == "csv (gb18030)"
    assert Station.objects.get(operator=operator, store_code="Z1").name == "全家 最后一家"


def test_explicit_encoding_overrides_detection_and_a_wrong_one_is_a_clear_file_error(operator):
    from stations.importing.errors import FileProblem

    data = csv_bytes([row("A1", name="全家 曹杨路店")], encoding="gbk")

    assert run_import(operator, data, encoding="gbk").counts["new"] == 1
    with pytest.raises(FileProblem, match="UTF-8"):
        run_import(operator, data, encoding="utf-8")


def test_english_headers_match_whatever_their_case_and_spacing(operator):
    header = [
        " Store Code",
        "NAME",
        "Address ",
        "Longitude",
        "LATITUDE",
        "Opening Hours",
        "IS 24H",
        "Phone",
        "Amenities",
    ]
    data = csv_bytes([row("A1", amenities="hot_water|wifi")[:9]], header=header)

    report = run_import(operator, data)

    assert report.counts == {**report.counts, "new": 1, "invalid": 0}
    station = Station.objects.get(operator=operator)
    assert station.amenities == ["hot_water", "wifi"]
    assert station.opening_hours == "Mo-Su 07:00-23:00"


def test_unknown_columns_are_reported_as_ignored(operator):
    header = [*HEADER_EN, "备注"]
    report = run_import(operator, csv_bytes([[*row("A1"), "随便"]], header=header))
    assert report.ignored_columns == ["备注"]
    assert report.counts["new"] == 1


def test_missing_required_column_stops_the_file_with_a_clear_message(operator):
    from stations.importing.errors import FileProblem

    with pytest.raises(FileProblem, match="门店编号/store_code"):
        run_import(operator, csv_bytes([["x", "y"]], header=["名称", "地址"]))


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_numeric_cells_and_a_blank_row_keeps_spreadsheet_row_numbers(operator):
    data = xlsx_bytes(
        [
            HEADER_EN,
            [1001, "全家 一号", "上海市", 121.39721, 31.249618, "24/7", "是", "021-1", "热水", "310107"],
            [None] * 10,
            [1002, "全家 二号", "上海市", 121.39721, 131.0, "", "", "", "", ""],
        ]
    )

    report = run_import(operator, data, name="stores.xlsx")

    assert report.format == "xlsx"
    assert report.counts["invalid"] == 1
    assert report.errors[0]["row"] == 4
    assert not report.written
    report = run_import(operator, data, name="stores.xlsx", skip_invalid=True)
    assert report.written
    station = Station.objects.get(operator=operator)
    assert station.store_code == "1001"  # not "1001.0"
    assert station.opening_hours == "24/7"
    assert station.district.code == "310107"


@pytest.mark.parametrize(("lang", "first_header"), [("zh", "门店编号"), ("en", "store_code")])
def test_downloaded_templates_import_as_they_are(client, operator, lang, first_header):
    csv_response = client.get(f"/api/v1/imports/template.csv?lang={lang}")
    xlsx_response = client.get(f"/api/v1/imports/template.xlsx?lang={lang}")

    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"].endswith(f'-{lang}.csv"')
    assert csv_response.content.decode("utf-8-sig").startswith(first_header)
    sheet = load_workbook(io.BytesIO(xlsx_response.content), read_only=True).worksheets[0]
    assert next(sheet.iter_rows(values_only=True))[0] == first_header
    assert run_import(operator, csv_response.content).counts["new"] == 1
    assert run_import(operator, xlsx_response.content, name="t.xlsx").counts["unchanged"] == 1


def test_backslashes_quotes_and_line_breaks_in_cells_are_stored_as_written(operator):
    data = csv_bytes([row("A1", name="全家 \\ 店", address='上海市 "引号" 路\\N 号', phone="021\t1234")])

    run_import(operator, data)

    station = Station.objects.get(operator=operator)
    assert (station.name, station.address, station.phone) == ("全家 \\ 店", '上海市 "引号" 路\\N 号', "021 1234")
