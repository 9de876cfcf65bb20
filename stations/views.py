"""Server-rendered pages for riders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import amenities as amenity_vocab
from .models import Station
from .selectors import stations_with_related


def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "stations/map.html", {"amenities": amenity_vocab.AMENITIES})


def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station: Station = get_object_or_404(stations_with_related(), pk=pk)
    now = timezone.now()
    return render(
        request,
        "stations/detail.html",
        {
            "station": station,
            "is_open": station.is_open_at(now),
            "next_change": station.next_change_after(now),
            "amenities": [amenity_vocab.BY_CODE[c] for c in station.amenities],
        },
    )
