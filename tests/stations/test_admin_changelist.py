from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stations.admin_changelist import CappedCountPaginator
from stations.models import District, Station
from tests.factories import OperatorFactory, StationFactory

from .admin_helpers import make_staff

CHANGELIST = "admin:stations_station_changelist"


def count_queries(client, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("role", ["superuser", "district"])
def test_changelist_query_count_does_not_grow_with_rows(client, db, role):
    putuo = District.objects.get(code="310107")
    client.force_login(make_staff(role, districts=[putuo]))
    for _ in range(3):
        StationFactory(district=putuo, operator=OperatorFactory())
    few, _page = count_queries(client)
    for _ in range(30):
        StationFactory(district=putuo, operator=OperatorFactory())
    many, page = count_queries(client)
    assert many == few
    assert page.count('class="action-select"') == 33


def test_changelist_query_count_is_pinned(admin_client, db, django_assert_num_queries):
    StationFactory.create_batch(5, district=District.objects.get(code="310107"))
    # session, user, the operator filter's choices, the capped count, the page of rows with
    # operator and district joined; nothing per row and no DISTINCT over the table.
    with django_assert_num_queries(5):
        admin_client.get(reverse(CHANGELIST))


def test_changelist_never_counts_more_than_the_cap(admin_client, db, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 4)
    StationFactory.create_batch(7)
    with CaptureQueriesContext(connection) as ctx:
        admin_client.get(reverse(CHANGELIST))
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 5" in sql for sql in counts)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("310107", {"普陀站"}),
        ("310100", {"普陀站", "长宁站"}),
        ("31", {"普陀站", "长宁站"}),
        ("310000", {"普陀站", "长宁站"}),
    ],
)
def test_district_filter_takes_a_code_or_prefix(admin_client, db, code, expected):
    StationFactory(name="普陀站", district=District.objects.get(code="310107"))
    StationFactory(name="长宁站", district=District.objects.get(code="310105"))
    StationFactory(name="无区站", district=None)
    _n, page = count_queries(admin_client, district_code=code)
    shown = {name for name in ("普陀站", "长宁站", "无区站") if name in page}
    assert shown == expected


def test_district_filter_rejects_a_non_code(admin_client, db):
    response = admin_client.get(reverse(CHANGELIST), {"district_code": "putuo"})
    assert response.status_code == 302 and "e=1" in response["Location"]


def test_district_staff_get_their_districts_as_filter_links(client, db):
    putuo = District.objects.get(code="310107")
    client.force_login(make_staff("district", districts=[putuo]))
    _n, page = count_queries(client)
    assert "?district_code=310107" in page
    assert "district_code=310105" not in page


def test_operator_filter_lists_only_operators_in_scope(client, db):
    mine = OperatorFactory(name="全家")
    OperatorFactory(name="罗森")
    client.force_login(make_staff("superuser"))
    _n, page = count_queries(client)
    assert "全家" in page and "罗森" in page
    client.force_login(make_staff("chain", operator=mine))
    _n, page = count_queries(client)
    assert "罗森" not in page


def test_search_finds_by_exact_store_code_and_name(admin_client, db):
    StationFactory(name="曹杨路店", store_code="FM-0001")
    StationFactory(name="长寿路店", store_code="FM-0002")
    _n, page = count_queries(admin_client, q="FM-0001")
    assert "曹杨路店" in page and "长寿路店" not in page
    _n, page = count_queries(admin_client, q="长寿")
    assert "长寿路店" in page and "曹杨路店" not in page
    assert Station.objects.count() == 2
