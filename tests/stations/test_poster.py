from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import StationFactory


@pytest.fixture
def station(db):
    return StationFactory(name="环球港全家", opening_hours="24/7")


@pytest.mark.parametrize(("size", "page_rule"), [("a4", "size: A4 portrait"), ("a5", "size: A5 portrait")])
def test_poster_has_qr_svg_linking_to_public_page_name_welcome_and_print_size(admin_client, station, size, page_rule):
    response = admin_client.get(reverse("admin:stations_station_poster", args=[station.pk]), {"size": size})
    assert response.status_code == 200
    page = response.content.decode()
    public_url = f"http://testserver/stations/{station.pk}/"
    assert re.search(r"<svg[^>]*>.*<path[^>]+d=\"M", page, re.S), "an inline SVG QR code"
    assert public_url in page
    assert "环球港全家" in page
    assert "侬好,小哥" in page and "累了就坐,渴了就喝,这里是你家" in page
    assert page_rule in page and "@media print" in page


def test_poster_qr_encodes_the_public_url(admin_client, station):
    import segno

    page = admin_client.get(reverse("admin:stations_station_poster", args=[station.pk])).content.decode()
    expected = segno.make(f"http://testserver/stations/{station.pk}/", error="m")
    # Same modules as a code made from the public URL: the path data of the matrix matches.
    path = re.search(r'<path[^>]+d="([^"]+)"', page).group(1)
    assert path in expected.svg_inline(scale=10, border=2, dark="#111", omitsize=True)


def test_poster_rejects_an_unknown_size(admin_client, station):
    response = admin_client.get(reverse("admin:stations_station_poster", args=[station.pk]), {"size": "a3"})
    assert response.status_code == 400
    assert "size" in response.json()


def test_poster_is_staff_only(client, station):
    response = client.get(reverse("admin:stations_station_poster", args=[station.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
