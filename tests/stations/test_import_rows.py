from __future__ import annotations

import pytest
from django.utils import translation

from stations.models import Station
from tests import fake_geocoder
from tests.factories import OperatorFactory, StationFactory

from .importing_support import HEADER_EN, csv_bytes, row, run_import, start_nominatim

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return OperatorFactory(code="familymart-sh", name="全家 上海")


@pytest.mark.parametrize(
    ("overrides", "column", "code"),
    [
        ({"name": ""}, "门店名称", "required"),
        ({"store_code": ""}, "门店编号", "required"),
        ({"name": "店" * 121}, "门店名称", "too_long"),
        ({"lng": "东经121度"}, "经度", "not_a_number"),
        ({"lat": "abc"}, "纬度", "not_a_number"),
        ({"lat": "121.397210", "lng": "31.249618"}, "纬度", "swapped_coordinates"),
        ({"lat": "48.8566", "lng": "2.3522"}, "经度", "outside_china"),
        ({"lat": ""}, "纬度", "required"),
        ({"opening_hours": "每天早八点到晚十点"}, "营业时间", "invalid_opening_hours"),
        ({"is_24h": "也许"}, "是否24小时", "invalid_boolean"),
        ({"is_24h": "是", "opening_hours": "Mo-Fr 08:00-20:00"}, "是否24小时", "contradiction"),
        ({"amenities": "热水、按摩椅"}, "设施", "unknown_amenity"),
        ({"district": "火星区"}, "区", "unknown_district"),
    ],
)
def test_each_kind_of_bad_cell_is_a_row_error_naming_row_and_column(operator, overrides, column, code):
    data = csv_bytes([row("A1"), row("A2", **overrides), row("A3")])

    report = run_import(operator, data)

    assert report.counts["invalid"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [(3, column, code)]
    assert report.errors[0]["message"]
    assert not report.written
    assert not Station.objects.filter(operator=operator).exists()  # any invalid row → nothing imported


def test_duplicate_store_code_names_the_first_row(operator):
    report = run_import(operator, csv_bytes([row("A1"), row("A2"), row("A1")]))
    assert [(e["row"], e["code"]) for e in report.errors] == [(4, "duplicate_store_code")]
    assert "2" in report.errors[0]["message"]


def test_a_code_repeated_in_a_later_chunk_always_names_its_first_row(operator):
    from stations.importing.pipeline import CHUNK

    filler = [row(f"N{i:05d}") for i in range(CHUNK - 1)]  # A1 and these fill the first chunk
    report = run_import(operator, csv_bytes([row("A1"), *filler, row("A1"), row("A1")]))

    repeats = [(e["row"], e["message"]) for e in report.errors if e["code"] == "duplicate_store_code"]
    assert [r for r, _m in repeats] == [CHUNK + 2, CHUNK + 3]
    assert all("第 2 行" in message for _r, message in repeats), repeats


def test_a_too_long_store_code_is_a_row_error_on_every_database(operator):
    report = run_import(operator, csv_bytes([row("A" * 65), row("A2")]), skip_invalid=True)
    assert [(e["row"], e["code"]) for e in report.errors] == [(2, "too_long")]
    assert list(Station.objects.filter(operator=operator).values_list("store_code", flat=True)) == ["A2"]


def test_skip_invalid_imports_the_valid_rows_only(operator):
    data = csv_bytes([row("A1"), row("A2", lat="abc"), row("A3")])

    report = run_import(operator, data, skip_invalid=True)

    assert report.written
    assert report.counts["new"] == 2
    assert set(Station.objects.values_list("store_code", flat=True)) == {"A1", "A3"}


def test_point_far_from_its_district_is_a_warning_not_an_error(operator):
    # Chongming's coordinates, but the row claims Jinshan (≈ 100 km away).
    report = run_import(operator, csv_bytes([row("A1", lat="31.623080", lng="121.397230", district="金山区")]))
    assert report.counts["new"] == 1
    assert report.counts["invalid"] == 0
    assert [(w["row"], w["column"], w["code"]) for w in report.warnings] == [(2, "区", "far_from_district")]
    assert report.written


def test_district_by_code_and_24h_flag_make_the_station_24_7(operator):
    run_import(operator, csv_bytes([row("A1", district="310107", is_24h="是", opening_hours="")]))
    station = Station.objects.get()
    assert (station.district.code, station.opening_hours, station.is_24_7) == ("310107", "24/7", True)


def test_errors_speak_the_users_language(operator):
    data = csv_bytes([row("A1", lat="abc")])
    with translation.override("zh-hans"):
        chinese = run_import(operator, data).errors[0]["message"]
    with translation.override("en"):
        english = run_import(operator, data).errors[0]["message"]
    assert "not a number" in english
    assert chinese != english
    assert "数" in chinese


def test_rows_without_coordinates_are_errors_when_no_geocoder_is_configured(operator, settings):
    settings.WAYSTATION_GEOCODER = {"provider": ""}
    report = run_import(operator, csv_bytes([row("A1", lat="", lng="")]))
    assert [(e["column"], e["code"]) for e in report.errors] == [("纬度", "no_geocoder")]


@pytest.fixture
def nominatim(settings):
    from django.core.cache import cache

    cache.clear()
    server, handler = start_nominatim({"上海市普陀区曹杨路 1 号": (31.2496, 121.3972)})
    host, port = server.server_address
    settings.WAYSTATION_GEOCODER = {
        "provider": "nominatim",
        "options": {"domain": f"{host}:{port}", "scheme": "http", "user_agent": "waystation-tests"},
        "crs": "wgs84",
        "min_delay_seconds": 0,
        "error_wait_seconds": 0,
        "timeout": 5,
    }
    yield handler
    server.shutdown()


def test_rows_without_coordinates_are_geocoded_from_the_address(operator, nominatim):
    data = csv_bytes(
        [
            row("A1", lat="", lng=""),
            row("A2", lat="", lng="", address="上海市不存在路 999 号"),
        ]
    )

    report = run_import(operator, data, skip_invalid=True)

    station = Station.objects.get(operator=operator)
    assert (station.store_code, station.lat, station.lng) == ("A1", 31.2496, 121.3972)
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [(3, "地址", "address_not_found")]
    assert nominatim.queries == ["上海市普陀区曹杨路 1 号", "上海市不存在路 999 号"]


def test_addresses_are_geocoded_before_the_import_transaction_opens(operator, settings):
    """A slow geocoder must not hold the import's transaction (and the operator's lock) open."""
    from django.core.cache import cache
    from django.db import connections

    cache.clear()
    main = connections["default"]  # this thread's connection, looked at from the server's thread
    outside = len(main.atomic_blocks)  # the test's own wrapping transaction, if any
    depths: list[int] = []
    server, handler = fake_geocoder.start(
        {"上海市普陀区曹杨路 1 号": (31.2496, 121.3972)}, observe=lambda _query: depths.append(len(main.atomic_blocks))
    )
    settings.WAYSTATION_GEOCODER = fake_geocoder.geocoder_settings(server)
    try:
        report = run_import(operator, csv_bytes([row("A1", lat="", lng=""), row("A2"), row("A3", lat="", lng="")]))
    finally:
        fake_geocoder.stop(server)

    assert report.written and report.counts["new"] == 3
    assert handler.queries == ["上海市普陀区曹杨路 1 号"]  # asked once; A3 found it in the cache
    assert depths == [outside]  # asked while no import transaction was open
    assert Station.objects.get(store_code="A1").lat == 31.2496


def test_geocoding_results_are_cached_between_preview_and_import(operator, nominatim):
    data = csv_bytes([row("A1", lat="", lng="")])
    run_import(operator, data, dry_run=True)
    run_import(operator, data)
    assert nominatim.queries == ["上海市普陀区曹杨路 1 号"]
    assert Station.objects.filter(operator=operator).count() == 1


def test_a_file_without_coordinate_columns_geocodes_every_row(operator, nominatim):
    header = [h for h in HEADER_EN if h not in ("lat", "lng")]
    values = [v for h, v in zip(HEADER_EN, row("A1"), strict=True) if h not in ("lat", "lng")]
    report = run_import(operator, csv_bytes([values], header=header))
    assert report.counts["new"] == 1


def test_a_bad_row_at_the_end_leaves_existing_stations_untouched(operator):
    StationFactory(operator=operator, store_code="A1", name="旧名")
    rows = [row(f"N{i:04d}") for i in range(4_500)]  # more than two chunks are written first
    rows.insert(0, row("A1", name="新名"))
    rows.append(row("BAD", lat="north"))

    report = run_import(operator, csv_bytes(rows))

    assert report.counts["new"] == 4_500
    assert report.counts["invalid"] == 1
    assert not report.written
    assert list(Station.objects.filter(operator=operator).values_list("store_code", "name")) == [("A1", "旧名")]


def test_an_unreachable_geocoder_is_a_row_error_not_a_crash(operator, settings):
    import socket

    from django.core.cache import cache

    cache.clear()
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.WAYSTATION_GEOCODER = {
        "provider": "nominatim",
        "options": {"domain": f"127.0.0.1:{port}", "scheme": "http", "user_agent": "waystation-tests"},
        "min_delay_seconds": 0,
        "error_wait_seconds": 0,
        "timeout": 2,
    }

    report = run_import(operator, csv_bytes([row("A1", lat="", lng="")]))

    assert [(e["column"], e["code"]) for e in report.errors] == [("地址", "geocoding_failed")]
    assert not Station.objects.exists()


def test_the_command_reports_geocoding_progress_in_logs(operator, settings, tmp_path):
    """Looking up many addresses takes minutes: with -v 2 the command says how far it got."""
    from io import StringIO

    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    server, handler = fake_geocoder.start({"上海市普陀区": (31.2496, 121.3972)}, substring=True)
    settings.WAYSTATION_GEOCODER = fake_geocoder.geocoder_settings(server)
    path = tmp_path / "addresses.csv"
    rows = [row(f"A{i}", lat="", lng="", address=f"上海市普陀区曹杨路 {i} 号") for i in range(230)]
    path.write_bytes(csv_bytes(rows))
    out = StringIO()
    try:
        call_command("import_stations", str(path), f"--operator={operator.code}", "-v", "2", stdout=out)
    finally:
        fake_geocoder.stop(server)

    lines = out.getvalue().splitlines()
    geocoding_lines = [line for line in lines if "个地址" in line or "addresses" in line]
    assert geocoding_lines == ["已解析 100 个地址", "已解析 200 个地址"]
    assert len(handler.queries) == 230
    assert Station.objects.filter(operator=operator).count() == 230


def test_the_first_pass_hands_its_answers_over_however_small_the_cache(operator, settings):
    """The in-process cache keeps 300 entries: 350 addresses must still be asked only once each."""
    from django.core.cache import cache

    cache.clear()
    server, handler = fake_geocoder.start({"上海市普陀区": (31.2496, 121.3972)}, substring=True)
    settings.WAYSTATION_GEOCODER = fake_geocoder.geocoder_settings(server)
    rows = [row(f"A{i}", lat="", lng="", address=f"上海市普陀区曹杨路 {i} 号") for i in range(350)]
    try:
        report = run_import(operator, csv_bytes(rows))
    finally:
        fake_geocoder.stop(server)

    assert report.written and report.counts["new"] == 350
    assert len(handler.queries) == len(set(handler.queries)) == 350


def test_a_provider_that_keeps_failing_is_not_asked_again_inside_the_import(operator, settings):
    from django.core.cache import cache

    cache.clear()
    server, handler = fake_geocoder.start({})
    settings.WAYSTATION_GEOCODER = fake_geocoder.geocoder_settings(server)
    failing = fake_geocoder.FAILING_QUERY  # answered with HTTP 500
    rows = [row(f"A{i}", lat="", lng="", address=failing) for i in range(5)] + [row("B1")]
    try:
        report = run_import(operator, csv_bytes(rows), skip_invalid=True)
    finally:
        fake_geocoder.stop(server)

    # Three failed lookups in a row (geopy retries each once) before the transaction; none inside it.
    assert handler.queries == [failing] * 6
    assert [(e["row"], e["code"]) for e in report.errors] == [(n, "geocoding_failed") for n in range(2, 7)]
    assert list(Station.objects.filter(operator=operator).values_list("store_code", flat=True)) == ["B1"]
