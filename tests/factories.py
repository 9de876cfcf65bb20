"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory

from stations.models import District, Operator, Station


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"op-{n}")
    name = factory.Sequence(lambda n: f"运营方 {n}")
    kind = Operator.Kind.CHAIN


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{990000 + n}")
    name = factory.Sequence(lambda n: f"测试区 {n}")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    operator = factory.SubFactory(OperatorFactory)
    store_code = factory.Sequence(lambda n: f"S{n:06d}")
    name = factory.Sequence(lambda n: f"驿站 {n}")
    address = "上海市普陀区曹杨路 1 号"
    lat = 31.2496
    lng = 121.3972
    opening_hours = "24/7"
    amenity_mask = 0
