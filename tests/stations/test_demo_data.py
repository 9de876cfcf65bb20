from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from stations.models import District, Operator, Station

pytestmark = pytest.mark.django_db


def test_load_demo_covers_all_sixteen_districts_with_a_realistic_mix():
    call_command("load_demo", verbosity=0)
    demo = Station.objects.filter(source="demo")
    assert demo.count() >= 400
    shanghai = District.objects.filter(parent__code="310000")
    assert set(demo.values_list("district__code", flat=True)) == set(shanghai.values_list("code", flat=True))
    assert all(name.startswith("【演示】") for name in demo.values_list("name", flat=True))
    kinds = set(demo.values_list("operator__kind", flat=True))
    assert {"chain", "union", "party_community", "community_centre"} <= kinds
    always = demo.filter(is_24_7=True).count()
    assert 0.3 * demo.count() < always < 0.9 * demo.count()  # both 24 h and part-time stations
    assert demo.filter(opening_hours="").exists()  # some with unknown hours
    assert demo.exclude(amenity_mask=0).count() == demo.count()
    # Every demo station lies within ~40 km of its district's seat (it is in Shanghai).
    for station in demo.select_related("district")[:50]:
        assert abs(station.lat - station.district.centre_lat) < 0.4
        assert abs(station.lng - station.district.centre_lng) < 0.4


def test_load_demo_is_idempotent_and_if_empty_keeps_staff_edits():
    call_command("load_demo", verbosity=0)
    before = Station.objects.count()
    station = Station.objects.filter(source="demo").first()
    call_command("load_demo", verbosity=0)
    assert Station.objects.count() == before
    Station.objects.filter(pk=station.pk).update(phone="021-00000000")
    call_command("load_demo", "--if-empty", verbosity=0)
    station.refresh_from_db()
    assert station.phone == "021-00000000"


def test_seed_demo_replaces_the_synthetic_set_and_leaves_others_alone():
    call_command("load_demo", verbosity=0)
    demo_count = Station.objects.filter(source="demo").count()
    call_command("seed_demo", "--count", "3000", "--seed", "7", verbosity=0)
    assert Station.objects.filter(source="synthetic").count() == 3000
    call_command("seed_demo", "--count", "1000", "--seed", "8", verbosity=0)
    assert Station.objects.filter(source="synthetic").count() == 1000
    assert Station.objects.filter(source="demo").count() == demo_count
    synthetic = Station.objects.filter(source="synthetic")
    # Shanghai's share of the country's stations gets districts; Beijing's do not.
    in_shanghai = synthetic.filter(lat__range=(31.1, 31.35), lng__range=(121.35, 121.6))
    assert in_shanghai.exists()
    assert not in_shanghai.filter(district=None).exists()
    assert not synthetic.filter(lat__range=(39.7, 40.1), lng__range=(116.2, 116.6)).exclude(district=None).exists()
    assert Operator.objects.filter(code__startswith="synthetic-").count() == 4


def test_seed_demo_is_deterministic_for_a_seed():
    call_command("seed_demo", "--count", "200", "--seed", "5", verbosity=0)
    first = list(Station.objects.filter(source="synthetic").order_by("store_code").values_list("lat", "lng"))
    call_command("seed_demo", "--count", "200", "--seed", "5", verbosity=0)
    again = list(Station.objects.filter(source="synthetic").order_by("store_code").values_list("lat", "lng"))
    assert first == again


@pytest.mark.parametrize("count", ["0", "-5", "2000000"])
def test_seed_demo_refuses_a_bad_count(count):
    with pytest.raises(CommandError, match="--count"):
        call_command("seed_demo", "--count", count, verbosity=0)
    assert not Station.objects.exists()
