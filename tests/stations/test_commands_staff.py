from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from stations.models import District
from stations.roles import CHAIN_STAFF, DISTRICT_STAFF
from tests.factories import OperatorFactory

SAMPLE = Path(__file__).parent / "data" / "districts_sample.csv"
User = get_user_model()


def run(*args, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_staff_scopes_account_to_districts_and_tells_how_to_set_password():
    output = run("create_staff", "putuo1", "--district", "310107", "--district", "310105")
    user = User.objects.get(username="putuo1")
    assert user.is_staff and not user.is_superuser
    assert sorted(user.districts.values_list("code", flat=True)) == ["310105", "310107"]
    assert list(user.groups.values_list("name", flat=True)) == [DISTRICT_STAFF]
    assert not user.has_usable_password()
    assert "changepassword putuo1" in output
    assert user.has_perm("stations.change_station")


@pytest.mark.django_db
def test_create_staff_updates_an_existing_account_to_chain_staff(monkeypatch):
    operator = OperatorFactory(code="familymart-sh")
    run("create_staff", "fm", "--district", "310107")
    output = run(
        "create_staff",
        "fm",
        "--operator",
        "familymart-sh",
        "--password-stdin",
        stdin="Dz9!long-pass\n",
        monkeypatch=monkeypatch,
    )
    user = User.objects.get(username="fm")
    assert user.operator == operator
    assert user.districts.count() == 0
    assert list(user.groups.values_list("name", flat=True)) == [CHAIN_STAFF]
    assert user.check_password("Dz9!long-pass")
    assert "Updated" in output and "changepassword" not in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--district", "999999"], "Unknown district code(s): 999999"),
        (["x", "--operator", "nobody"], "Unknown operator code: nobody"),
        (["x"], "Give --district"),
        (["x", "--district", "310107", "--operator", "any"], "not both"),
    ],
)
def test_create_staff_rejects_bad_input_without_creating_anything(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("create_staff", *args)
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_create_staff_rejects_a_weak_password_from_stdin(monkeypatch):
    with pytest.raises(CommandError, match="Password rejected"):
        run("create_staff", "weak", "--district", "310107", "--password-stdin", stdin="123\n", monkeypatch=monkeypatch)
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_load_districts_derives_levels_and_parents_and_is_idempotent():
    first = run("load_districts", str(SAMPLE))
    hangzhou = District.objects.get(code="330100")
    xihu = District.objects.get(code="330106")
    zhejiang = District.objects.get(code="330000")
    assert (zhejiang.level, zhejiang.parent) == ("province", None)
    assert (hangzhou.level, hangzhou.parent) == ("city", zhejiang)
    assert (xihu.level, xihu.parent) == ("district", hangzhou)
    # Beijing's districts have no city row in the sample: they hang from the municipality.
    assert District.objects.get(code="110105").parent.code == "110000"
    assert "created" in first
    before = District.objects.count()
    second = run("load_districts", str(SAMPLE))
    assert District.objects.count() == before
    assert "0 created, 0 updated" in second


@pytest.mark.django_db
def test_load_districts_reports_every_bad_row_by_line_and_loads_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n330000,浙江省\n33010,短\n330100,\n330106,西湖区,440000\n330000,重复\n", encoding="utf-8")
    before = District.objects.count()
    with pytest.raises(CommandError) as info:
        run("load_districts", str(bad))
    message = str(info.value)
    assert "line 3: code '33010' is not six digits" in message
    assert "line 4: the name is empty" in message
    assert "line 6: code 330000 already appears on line 2" in message
    assert "line 5: parent 440000" in message
    assert District.objects.count() == before


@pytest.mark.django_db
def test_load_districts_refuses_a_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        run("load_districts", "/nonexistent/districts.csv")
