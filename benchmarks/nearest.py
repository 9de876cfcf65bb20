"""Nearest-station search at 200,000 stations: selector, raw SQL, API view, brute force.

Run: `make bench` (all benchmarks) or `python -m benchmarks.nearest [--stations N] [--queries Q]`.
BENCH_DATABASE_URL picks the database (default: var/bench.sqlite3).
"""

from __future__ import annotations

import argparse
import math
import random
import time

from benchmarks.common import percentiles, setup_django


def query_points(count: int, seed: int = 99) -> list[tuple[float, float]]:
    """Points near city centres, weighted like the stations themselves."""
    from stations.demo import CITIES

    rng = random.Random(seed)
    picks = rng.choices(CITIES, weights=[c[3] for c in CITIES], k=count)
    points = []
    for _name, lat, lng, _w, _sigma in picks:
        north, east = rng.gauss(0, 3000), rng.gauss(0, 3000)
        points.append((lat + north / 111_320, lng + east / (111_320 * math.cos(math.radians(lat)))))
    return points


def timed(fn, points) -> list[float]:
    samples = []
    for lat, lng in points:
        started = time.perf_counter()
        fn(lat, lng)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stations", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--reuse", action="store_true", help="Keep synthetic stations already seeded.")
    args, _unknown = parser.parse_known_args()  # `make bench` passes one argument list to all

    url = setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from stations.geo import bounding_box, haversine_m
    from stations.models import Station
    from stations.selectors import StationFilters, _in_box, stations_nearest

    print(f"\n== Nearest search · {connection.vendor} · {url.split('@')[-1]}")
    have = Station.objects.filter(source="synthetic").count()
    if not (args.reuse and have == args.stations):
        started = time.perf_counter()
        call_command("seed_demo", "--count", str(args.stations), "--seed", "1", verbosity=0)
        print(f"seed_demo --count {args.stations:,}: {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE stations_station")
    total = Station.objects.count()
    print(f"stations in the database: {total:,}")
    points = query_points(args.queries)
    warm = points[:50]
    for lat, lng in warm:
        stations_nearest(lat=lat, lng=lng, limit=10)

    plain = timed(lambda lat, lng: stations_nearest(lat=lat, lng=lng, limit=10), points)
    print(f"selector  nearest-10            {percentiles(plain)}")
    night = StationFilters(open_24h=True)
    only_24 = timed(lambda lat, lng: stations_nearest(lat=lat, lng=lng, limit=10, filters=night), points)
    print(f"selector  nearest-10, open_24h  {percentiles(only_24)}")

    # The database's share: the final ring's box query alone, as the selector sends it.
    def final_box_sql(lat, lng, filters=StationFilters()):
        result = stations_nearest(lat=lat, lng=lng, limit=10, filters=filters)
        radius = max(r.distance_m for r in result) if result else 1000
        return filters.apply(_in_box(Station.objects.order_by(), bounding_box(lat, lng, radius))).values_list(
            "id", "lat", "lng", "opening_hours", "status", "closed_until"
        )

    def db_time(filters):
        samples = []
        for lat, lng in points[:300]:
            sql, params = final_box_sql(lat, lng, filters).query.sql_with_params()
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                samples.append((time.perf_counter() - started) * 1000)
        return samples

    print(f"database  final ring query      {percentiles(db_time(StationFilters()))}")
    print(f"database  same, open_24h        {percentiles(db_time(night))}")
    with connection.cursor() as cursor:
        sql, params = final_box_sql(*points[0]).query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    print(f"plan: {plan[:300]}")

    client = Client()
    api = timed(
        lambda lat, lng: client.get("/api/v1/stations/nearest/", {"lat": lat, "lng": lng, "limit": 10}),
        points,
    )
    print(f"API view  nearest-10            {percentiles(api)}")
    api24 = timed(
        lambda lat, lng: client.get(
            "/api/v1/stations/nearest/", {"lat": lat, "lng": lng, "limit": 10, "open_24h": "true"}
        ),
        points,
    )
    print(f"API view  nearest-10, open_24h  {percentiles(api24)}")

    def brute(lat, lng):
        rows = Station.objects.exclude(status="permanently_closed").values_list("id", "lat", "lng")
        return sorted((haversine_m(lat, lng, a, b), pk) for pk, a, b in rows.iterator(chunk_size=10_000))[:10]

    brute_samples = timed(brute, points[:15])
    print(f"baseline  brute-force scan      {percentiles(brute_samples)}")
    ratio = sorted(brute_samples)[len(brute_samples) // 2] / sorted(plain)[len(plain) // 2]
    print(f"selector is {ratio:,.0f}× faster than the brute-force scan at p50")
    # Spot-check correctness on the benchmark data itself.
    for lat, lng in points[:5]:
        got = [r.station.pk for r in stations_nearest(lat=lat, lng=lng, limit=10)]
        assert got == [pk for _d, pk in brute(lat, lng)], "nearest disagrees with brute force"


if __name__ == "__main__":
    main()
