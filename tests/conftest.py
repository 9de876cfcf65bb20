from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from stations.hours import SHANGHAI


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def shanghai(*args: int) -> dt.datetime:
    """An aware datetime on the Shanghai wall clock."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def putuo(db):
    from stations.models import District

    return District.objects.get(code="310107")
