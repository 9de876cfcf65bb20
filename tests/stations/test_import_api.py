from __future__ import annotations

import io

import pytest
from rest_framework.authtoken.models import Token

from riders.models import User
from stations.importing.models import ImportRun
from stations.models import Station
from tests.factories import OperatorFactory

from .importing_support import csv_bytes, row

pytestmark = pytest.mark.django_db
URL = "/api/v1/operators/familymart-sh/imports/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploads are kept in default storage; keep them out of the project


@pytest.fixture
def familymart():
    return OperatorFactory(code="familymart-sh", name="全家 上海")


@pytest.fixture
def lawson():
    return OperatorFactory(code="lawson-sh", name="罗森 上海")


def token_for(user: User) -> str:
    return Token.objects.create(user=user).key


def upload(data: bytes, name: str = "stores.csv", **options):
    file = io.BytesIO(data)
    file.name = name
    return {"file": file, **options}


def test_without_credentials_it_is_401(api, familymart):
    response = api.post(URL, upload(csv_bytes([row("A1")])), format="multipart")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_another_operators_staff_get_403_and_nothing_is_written(api, familymart, lawson):
    staff = User.objects.create_user("lawson-it", password="x", operator=lawson)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(staff)}")

    response = api.post(URL, upload(csv_bytes([row("A1")])), format="multipart")

    assert response.status_code == 403
    assert not Station.objects.exists()
    assert not ImportRun.objects.exists()


def test_an_operators_own_account_imports_with_a_token_and_gets_the_report(api, familymart):
    staff = User.objects.create_user("fm-it", password="x", operator=familymart)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(staff)}")

    response = api.post(URL, upload(csv_bytes([row("A1"), row("A2")]), crs="gcj02"), format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["counts"]["new"] == 2
    assert body["written"] is True
    run = ImportRun.objects.get(pk=body["import_id"])
    assert (run.user, run.source, run.options["crs"], run.counts["new"]) == (staff, "api", "gcj02", 2)
    assert len(run.sha256) == 64
    assert Station.objects.filter(operator=familymart).count() == 2


def test_dry_run_is_200_with_the_diff_and_writes_nothing(api, familymart):
    admin = User.objects.create_superuser("root", password="x")
    api.force_authenticate(admin)
    response = api.post(URL, upload(csv_bytes([row("A1")]), dry_run="true"), format="multipart")
    assert response.status_code == 200
    assert response.json()["counts"]["new"] == 1
    assert not Station.objects.exists()


def test_invalid_rows_are_400_with_row_numbered_errors(api, familymart):
    staff = User.objects.create_user("fm-it", password="x", operator=familymart)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(staff)}")

    response = api.post(URL, upload(csv_bytes([row("A1"), row("A2", lat="abc")])), format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "rejected"
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [(3, "纬度", "not_a_number")]
    assert not Station.objects.exists()

    response = api.post(
        URL, upload(csv_bytes([row("A1"), row("A2", lat="abc")]), skip_invalid="true"), format="multipart"
    )
    assert response.status_code == 201
    assert Station.objects.count() == 1


@pytest.mark.parametrize(
    ("options", "field"),
    [({"crs": "mars"}, "crs"), ({"mode": "replace"}, "mode"), ({"encoding": "big5"}, "encoding")],
)
def test_bad_options_are_400_with_field_errors(api, familymart, options, field):
    api.force_authenticate(User.objects.create_superuser("root", password="x"))
    response = api.post(URL, upload(csv_bytes([row("A1")]), **options), format="multipart")
    assert response.status_code == 400
    assert field in response.json()


def test_a_missing_file_and_an_unreadable_file_are_400(api, familymart):
    api.force_authenticate(User.objects.create_superuser("root", password="x"))
    assert "file" in api.post(URL, {"crs": "wgs84"}, format="multipart").json()
    response = api.post(URL, upload(b"\x00\x01garbage", name="x.xlsx"), format="multipart")
    assert response.status_code == 400
    assert response.json()["file"]


def test_session_login_works_too_and_unknown_operators_are_404_for_superusers(client, familymart):
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    response = client.post(URL, upload(csv_bytes([row("A1")])))
    assert response.status_code == 201
    response = client.post("/api/v1/operators/nobody/imports/", upload(csv_bytes([row("A1")])))
    assert response.status_code == 404


def test_a_file_over_the_size_limit_is_400_naming_the_field(api, familymart, settings):
    settings.WAYSTATION_IMPORT_MAX_MB = 1
    staff = User.objects.create_user("fm-it", password="x", operator=familymart)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(staff)}", HTTP_ACCEPT_LANGUAGE="en")
    big = csv_bytes([row(f"A{i:06d}", address="上海市普陀区曹杨路 1 号" * 4) for i in range(9_000)])

    response = api.post(URL, upload(big), format="multipart")

    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 1 MB."]}
    assert not ImportRun.objects.exists() and not Station.objects.exists()
