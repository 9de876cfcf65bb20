"""What the map asks the API for at each zoom, with N stations: bytes and time per viewport.

    python -m benchmarks.map_viewport [--count 200000] [--repeat 5]

BENCH_DATABASE_URL picks the database (default: var/bench-map.sqlite3, so the dev database
is left alone). The synthetic stations are seeded once by `seed_demo` and reused. Times are
through Django's test client (routing, DRF, serialisation included), median of --repeat cold
runs (the minute-long cache of wide cluster views is emptied first: a shared view is far faster).
Budget: a viewport response under 100 KB. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from .common import bench_client, setup_django

CENTRE = (31.2304, 121.4737)  # People's Square, Shanghai
SCREENS = {"phone 412×915": (412, 915), "desktop 1920×1080": (1920, 1080)}


def bbox(lat: float, lng: float, zoom: int, width_px: int, height_px: int, pad: float = 0.15) -> str:
    """The map's padded bbox as the page sends it (Web Mercator: 256 px tiles)."""
    deg_per_px = 360.0 / (256 * 2**zoom)
    half_w = width_px * deg_per_px * (0.5 + pad)
    half_h = height_px * deg_per_px * math.cos(math.radians(lat)) * (0.5 + pad)
    return ",".join(
        f"{v:.6f}"
        for v in (
            max(-180, lng - half_w),
            max(-85, lat - half_h),
            min(180, lng + half_w),
            min(85, lat + half_h),
        )
    )


def timed(client, url: str, params: dict, repeat: int) -> tuple[float, int, dict]:
    """Median time of cold requests: the shared cluster cache is emptied before each one."""
    from django.core.cache import cache

    times = []
    response = None
    for _ in range(repeat):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
    assert response is not None and response.status_code == 200, (url, params, response and response.content[:300])
    return statistics.median(times), len(response.content), response.json()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args, _unknown = parser.parse_known_args()  # `make bench` passes one argument list to all
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from stations import demo
    from stations.models import Station

    synthetic = Station.objects.filter(source=demo.SYNTHETIC_SOURCE).count()
    if synthetic != args.count:
        print(f"seeding {args.count:,} synthetic stations (found {synthetic:,})…")
        call_command("seed_demo", count=args.count, verbosity=0)
    from stations.views import VIEWPORT_LIMIT

    total = Station.objects.count()
    client = bench_client()
    print(f"\n{total:,} stations on {connection.vendor}; median of {args.repeat} requests through Django")
    print(f"{'view':<44} {'ms':>8} {'bytes':>9} {'cells/rows':>10} {'stations':>9}")
    views = [
        ("China", (34.0, 108.0), 4),
        ("Yangtze delta", (31.0, 120.5), 7),
        ("Shanghai city", CENTRE, 11),
        ("Shanghai centre", CENTRE, 13),
        ("street", CENTRE, 15),
        ("street, close", CENTRE, 17),
    ]
    for screen, (w, h) in SCREENS.items():
        for name, (lat, lng), zoom in views:
            for open_now in (False, True):
                params = {"bbox": bbox(lat, lng, zoom, w, h)}
                if open_now:
                    params["open_now"] = "true"
                if zoom < 15:
                    params["zoom"] = zoom
                    ms, size, data = timed(client, "/api/v1/stations/clusters/", params, args.repeat)
                    rows, count = len(data["clusters"]), data["count"]
                else:
                    params |= {"compact": "true", "page_size": VIEWPORT_LIMIT}
                    ms, size, data = timed(client, "/api/v1/stations/", params, args.repeat)
                    rows, count = len(data["features"]), data["count"]
                label = f"{screen}, {name} z{zoom}{' open now' if open_now else ''}"
                print(f"{label:<44} {ms:>8.1f} {size:>9,} {rows:>10,} {count:>9,}")
    params = {"lat": CENTRE[0], "lng": CENTRE[1], "limit": 20, "open_now": "true"}
    ms, size, data = timed(client, "/api/v1/stations/nearest/", params, args.repeat)
    print(f"{'nearest 20 open now (the list)':<44} {ms:>8.1f} {size:>9,} {len(data['results']):>10,}")


if __name__ == "__main__":
    main()
