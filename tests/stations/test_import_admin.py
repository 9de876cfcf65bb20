"""The admin upload → preview → confirm flow, in a real browser, and its scoping."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from riders.models import User
from stations.importing.models import ImportRun
from stations.models import Station
from tests.factories import OperatorFactory, StationFactory

from .importing_support import csv_bytes, row


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def chain_staff(operator) -> User:
    user = User.objects.create_user("fm-staff", password="pw-123456", is_staff=True, operator=operator)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_importrun", "view_importrun"]))
    return user


@pytest.mark.browser
def test_chain_staff_upload_preview_and_confirm_in_the_browser(page, live_server, transactional_db, tmp_path):
    operator = OperatorFactory(code="familymart-sh", name="全家 上海")
    OperatorFactory(code="lawson-sh", name="罗森 上海")
    StationFactory(operator=operator, store_code="A1", name="全家 A1 店", opening_hours="Mo-Su 07:00-23:00")
    chain_staff(operator)
    upload = tmp_path / "门店.csv"
    upload.write_bytes(csv_bytes([row("A1", name="全家 曹杨路店"), row("A2"), row("A3", lat="abc")], encoding="gbk"))

    # The admin has no favicon; the browser's automatic request for one is not this page's error.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/stations/importrun/upload/")
    page.fill("#id_username", "fm-staff")
    page.fill("#id_password", "pw-123456")
    page.click("input[type=submit]")
    page.wait_for_url("**/importrun/upload/")
    # Chain staff see only their own operator.
    assert page.locator("#id_operator option").all_inner_texts() == ["---------", "全家 上海"]
    assert page.locator("a.import-template").count() == 4
    page.select_option("#id_operator", label="全家 上海")
    page.set_input_files("#id_file", str(upload))
    page.click("input[name=preview]")

    page.wait_for_url("**/preview/")
    report = page.locator("#import-report")
    assert report.locator("[data-count=new]").inner_text() == "1"
    assert report.locator("[data-count=changed]").inner_text() == "1"
    assert report.locator("[data-count=invalid]").inner_text() == "1"
    assert "全家 曹杨路店" in report.locator("table.import-changes").inner_text()
    error_row = report.locator("table.import-errors tbody tr").first.inner_text()
    assert "4" in error_row and "纬度" in error_row
    assert not Station.objects.filter(store_code="A2").exists()  # a preview writes nothing

    # Confirming without skipping the invalid row would import nothing: the page says so instead.
    page.click("input[name=confirm]")
    page.wait_for_load_state()
    assert "1 行无效" in page.locator("#import-confirm-form .errorlist").inner_text()
    assert ImportRun.objects.get().status == "previewed" and not Station.objects.filter(store_code="A2").exists()

    page.check("#id_skip_invalid")
    page.click("input[name=confirm]")
    page.wait_for_url("**/change/")
    assert page.locator("#import-report [data-count=new]").inner_text() == "1"
    assert page.console_errors == []

    assert set(Station.objects.filter(operator=operator).values_list("store_code", "name")) == {
        ("A1", "全家 曹杨路店"),
        ("A2", "全家 A2 店"),
    }
    run = ImportRun.objects.get()
    assert (run.status, run.source, run.user.username, run.file_name) == ("succeeded", "admin", "fm-staff", "门店.csv")


@pytest.mark.django_db
def test_confirm_revalidates_against_the_database_as_it_is_now(client):
    operator = OperatorFactory(code="familymart-sh", name="全家 上海")
    client.force_login(chain_staff(operator))
    response = client.post(
        "/admin/stations/importrun/upload/",
        {
            "operator": operator.pk,
            "file": _named(csv_bytes([row("A1", name="新名")]), "a.csv"),
            "crs": "wgs84",
            "encoding": "auto",
            "mode": "upsert",
        },
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.counts["new"]) == ("previewed", 1)
    # Between preview and confirm someone else creates the station: confirm updates it instead.
    StationFactory(operator=operator, store_code="A1", name="旧名")

    client.post(f"/admin/stations/importrun/{run.pk}/preview/", {})

    run.refresh_from_db()
    assert (run.status, run.counts["new"], run.counts["changed"]) == ("succeeded", 0, 1)
    assert Station.objects.get(store_code="A1").name == "新名"


@pytest.mark.django_db
def test_chain_staff_cannot_see_or_confirm_another_operators_imports(client):
    operator = OperatorFactory(code="familymart-sh", name="全家 上海")
    lawson = OperatorFactory(code="lawson-sh", name="罗森 上海")
    other = ImportRun.objects.create(
        operator=lawson, source="api", file_name="x.csv", sha256="0" * 64, status="previewed"
    )
    client.force_login(chain_staff(operator))

    assert client.get(f"/admin/stations/importrun/{other.pk}/preview/").status_code == 404
    assert client.get("/admin/stations/importrun/").status_code == 200
    response = client.post(
        "/admin/stations/importrun/upload/",
        {
            "operator": lawson.pk,
            "file": _named(csv_bytes([row("A1")]), "a.csv"),
            "crs": "wgs84",
            "encoding": "auto",
            "mode": "upsert",
        },
    )
    assert response.status_code == 200  # the form refuses an operator outside the account's scope
    assert "operator" in response.context["form"].errors
    assert ImportRun.objects.count() == 1


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_a_form_error_and_nothing_is_recorded(client, settings):
    settings.WAYSTATION_IMPORT_MAX_MB = 1
    operator = OperatorFactory(code="familymart-sh", name="全家 上海")
    client.force_login(chain_staff(operator))
    big = csv_bytes([row(f"A{i:06d}", address="上海市普陀区曹杨路 1 号" * 4) for i in range(9_000)])
    assert len(big) > 1024 * 1024

    response = client.post(
        "/admin/stations/importrun/upload/",
        {"operator": operator.pk, "file": _named(big, "big.csv"), "crs": "wgs84", "encoding": "auto", "mode": "upsert"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["文件大于 1 MB。"]
    assert not ImportRun.objects.exists()
