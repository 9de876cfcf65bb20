"""No role can list, view, change, delete, export or act on a station outside its scope.

Three stations, four roles, every operation through the real admin over HTTP:

    station   district    operator      superuser  district staff (普陀)  chain staff (全家)  unscoped staff
    A         普陀 310107  全家           yes        yes                   yes                no
    B         长宁 310105  全家           yes        no                    yes                no
    C         长宁 310105  罗森           yes        no                    no                 no
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import District, Station
from tests.factories import OperatorFactory, StationFactory

from .admin_helpers import change_form_data, make_staff

ROLES = ("superuser", "district", "chain", "unscoped")
IN_SCOPE = {
    "superuser": {"A", "B", "C"},
    "district": {"A"},
    "chain": {"A", "B"},
    "unscoped": set(),
}


@pytest.fixture
def world(db):
    putuo = District.objects.get(code="310107")
    changning = District.objects.get(code="310105")
    familymart = OperatorFactory(code="familymart", name="全家")
    lawson = OperatorFactory(code="lawson", name="罗森")
    stations = {
        "A": StationFactory(name="甲站-普陀全家", store_code="A-1", district=putuo, operator=familymart),
        "B": StationFactory(name="乙站-长宁全家", store_code="B-1", district=changning, operator=familymart),
        "C": StationFactory(name="丙站-长宁罗森", store_code="C-1", district=changning, operator=lawson),
    }
    for station in stations.values():
        station.status = Station.Status.TEMPORARILY_CLOSED
        station._history_user = None
        station.save()
    users = {
        "superuser": make_staff("superuser"),
        "district": make_staff("district", districts=[putuo]),
        "chain": make_staff("chain", operator=familymart),
        "unscoped": make_staff("district"),
    }
    return stations, users


def url(name: str, *args) -> str:
    return reverse(f"admin:stations_station_{name}", args=args)


def post_action(client, action: str, station: Station, **extra):
    return client.post(url("changelist"), {"action": action, "_selected_action": [station.pk], "index": 0, **extra})


# Each operation returns True when the user managed to do it, checked in the database or the response.
def op_list(client, station):
    response = client.get(url("changelist"))
    return response.status_code == 200 and station.name in response.content.decode()


def op_search(client, station):
    response = client.get(url("changelist"), {"q": station.store_code})
    return response.status_code == 200 and station.name in response.content.decode()


def op_view(client, station):
    response = client.get(url("change", station.pk))
    return response.status_code == 200 and station.name in response.content.decode()


def op_change(client, station):
    client.post(url("change", station.pk), change_form_data(station, name="改过的名字"))
    return Station.objects.get(pk=station.pk).name == "改过的名字"


def op_delete(client, station):
    client.post(url("delete", station.pk), {"post": "yes"})
    return not Station.objects.filter(pk=station.pk).exists()


def op_history(client, station):
    response = client.get(url("history", station.pk))
    return response.status_code == 200 and station.name in response.content.decode()


def op_revert(client, station):
    record = station.history.earliest()
    client.post(
        reverse("admin:stations_station_simple_history", args=[station.pk, record.history_id]),
        change_form_data(record.instance, name="回退的名字"),
    )
    return Station.objects.get(pk=station.pk).name == "回退的名字"


def op_export(client, station):
    response = post_action(client, "export_csv", station)
    return response.status_code == 200 and station.store_code in response.content.decode("utf-8-sig")


def op_mark_verified_action(client, station):
    post_action(client, "mark_verified", station)
    return Station.objects.get(pk=station.pk).last_verified_at is not None


def op_reopen_action(client, station):
    post_action(client, "reopen", station)
    return Station.objects.get(pk=station.pk).status == Station.Status.OPEN


def op_close_action(client, station):
    until = timezone.localdate() + dt.timedelta(days=7)
    post_action(client, "close_temporarily", station, apply="1", until=until.isoformat())
    return Station.objects.get(pk=station.pk).closed_until == until


def op_verify_button(client, station):
    client.post(url("verify", station.pk))
    return Station.objects.get(pk=station.pk).last_verified_at is not None


def op_poster(client, station):
    response = client.get(url("poster", station.pk), {"size": "a5"})
    return response.status_code == 200 and station.name in response.content.decode()


OPERATIONS = {
    "list": op_list,
    "search": op_search,
    "view": op_view,
    "change": op_change,
    "delete": op_delete,
    "history": op_history,
    "revert": op_revert,
    "export": op_export,
    "mark_verified_action": op_mark_verified_action,
    "reopen_action": op_reopen_action,
    "close_action": op_close_action,
    "verify_button": op_verify_button,
    "poster": op_poster,
}


@pytest.mark.parametrize("key", ["A", "B", "C"])
@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_reaches_exactly_its_scope(client, world, role, operation, key):
    stations, users = world
    client.force_login(users[role])
    did_it = OPERATIONS[operation](client, stations[key])
    assert did_it == (key in IN_SCOPE[role]), f"{role} {operation} station {key}"


def test_district_staff_can_only_pick_their_districts_and_not_leave_it_empty(client, world):
    stations, users = world
    client.force_login(users["district"])
    station = stations["A"]
    changning = District.objects.get(code="310105")
    response = client.post(url("change", station.pk), change_form_data(station, district=changning.pk))
    assert response.status_code == 200 and "errornote" in response.content.decode()
    client.post(url("change", station.pk), change_form_data(station, district=""))
    assert Station.objects.get(pk=station.pk).district.code == "310107"


def test_district_staff_cannot_add_a_station_outside_their_districts(client, world):
    stations, users = world
    client.force_login(users["district"])
    data = change_form_data(stations["C"], store_code="NEW-1", name="新站")
    client.post(url("add"), data)
    assert not Station.objects.filter(store_code="NEW-1").exists()
    client.post(url("add"), {**data, "district": District.objects.get(code="310107").pk})
    assert Station.objects.get(store_code="NEW-1").district.code == "310107"


def test_chain_staff_can_only_pick_their_operator(client, world):
    stations, users = world
    client.force_login(users["chain"])
    lawson = stations["C"].operator
    client.post(url("change", stations["B"].pk), change_form_data(stations["B"], operator=lawson.pk))
    assert Station.objects.get(pk=stations["B"].pk).operator.code == "familymart"


@pytest.mark.parametrize(
    ("role", "field", "expected"),
    [
        ("district", "district", ["普陀区 (310107)"]),
        ("chain", "operator", ["全家"]),
        ("unscoped", "district", []),
        ("unscoped", "operator", []),
    ],
)
def test_autocomplete_offers_only_choices_in_scope(client, world, role, field, expected):
    _stations, users = world
    client.force_login(users[role])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "stations", "model_name": "station", "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == expected


@pytest.mark.parametrize("role", ["district", "chain"])
def test_scoped_staff_cannot_open_other_users_or_change_their_own_scope(client, world, role):
    _stations, users = world
    user = users[role]
    client.force_login(user)
    other = users["superuser"]
    assert client.get(reverse("admin:riders_user_change", args=[other.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("admin:riders_user_changelist")).status_code == 403


def test_district_staff_see_only_their_districts_in_the_district_admin(client, world):
    _stations, users = world
    client.force_login(users["district"])
    page = client.get(reverse("admin:stations_district_changelist")).content.decode()
    assert "310107" in page and "310105" not in page
    other = District.objects.get(code="310105")
    assert client.get(reverse("admin:stations_district_change", args=[other.pk])).status_code == 302


def test_chain_staff_see_only_their_operator_in_the_operator_admin(client, world):
    stations, users = world
    client.force_login(users["chain"])
    page = client.get(reverse("admin:stations_operator_changelist")).content.decode()
    assert "全家" in page and "罗森" not in page
    lawson = stations["C"].operator
    assert client.get(reverse("admin:stations_operator_change", args=[lawson.pk])).status_code == 302


def test_export_neutralises_spreadsheet_formulas(admin_client, world):
    stations, _users = world
    Station.objects.filter(pk=stations["A"].pk).update(name="=HYPERLINK(1)")
    response = post_action(admin_client, "export_csv", stations["A"])
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["admin:index", "admin:stations_station_add"])
def test_each_role_gets_a_working_admin_index_and_add_form(client, world, role, page):
    _stations, users = world
    client.force_login(users[role])
    response = client.get(reverse(page))
    assert response.status_code in (200, 403)
    if role != "unscoped":
        assert response.status_code == 200
