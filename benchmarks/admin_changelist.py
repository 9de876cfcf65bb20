"""Time the station changelist in the admin with many stations, as superuser and as scoped staff.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waystation_bench \\
        python -m benchmarks.admin_changelist --count 200000

Uses the benchmark database (BENCH_DATABASE_URL, default var/bench.sqlite3), migrates it, seeds synthetic
stations with seed_demo when there are fewer than --count, then requests each changelist view
through Django's test client and prints the median time per request (whole request, and the
part spent in SQL), the query count and the rows shown.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.common import setup_django

SCENARIOS = [
    ("unfiltered, page 1", {}),
    ("page 100", {"p": "100"}),
    ("sort by last verified", {"o": "6"}),
    ("filter stale", {"verification": "stale"}),
    ("filter never verified", {"verification": "never"}),
    ("filter 24 h + open", {"is_24_7__exact": "1", "status__exact": "open"}),
    ("filter district 31 (Shanghai)", {"district_code": "31"}),
    ("search name '上海'", {"q": "上海"}),
    ("search exact store code", {"q": "SYN-1-0100000"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--count", "--stations", type=int, default=200_000, help="synthetic stations to have (default 200,000)"
    )
    parser.add_argument("--repeat", type=int, default=7, help="requests per scenario (median is printed)")
    # `make bench` passes every benchmark the same arguments; ignore the ones meant for others.
    args, _unknown = parser.parse_known_args()
    url = setup_django()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from stations.models import District, Operator, Station

    if Station.objects.count() < args.count:
        print(f"Seeding {args.count:,} synthetic stations…", flush=True)
        call_command("seed_demo", count=args.count, verbosity=1)
    with connection.cursor() as cursor:
        # Fresh planner statistics, as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) would keep.
        cursor.execute("ANALYZE")
    User = get_user_model()
    putuo = District.objects.get(code="310107")
    chain = Operator.objects.filter(stations__isnull=False).order_by("pk").first()
    superuser, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    call_command("create_staff", "bench-putuo", district=["310107"], verbosity=0)
    call_command("create_staff", "bench-chain", operator=chain.code, verbosity=0)
    roles = {
        "superuser": superuser,
        f"district staff ({putuo.name})": User.objects.get(username="bench-putuo"),
        f"chain staff ({chain.name})": User.objects.get(username="bench-chain"),
    }
    total = Station.objects.count()
    print(f"\n== Admin station changelist · {connection.vendor} · {url.split('@')[-1]}")
    print(f"{total:,} stations; median of {args.repeat} requests\n")
    print(f"{'role':<28} {'scenario':<32} {'ms':>8} {'db ms':>8} {'queries':>8} {'rows':>6}")
    for role, user in roles.items():
        client = Client()
        client.force_login(user)
        client.get("/admin/stations/station/")  # warm up templates and connections
        for name, params in SCENARIOS:
            timings = []
            db_timings = []
            queries = 0
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get("/admin/stations/station/", params)
                    timings.append((time.perf_counter() - started) * 1000)
                queries = len(ctx.captured_queries)
                db_timings.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
            if response.status_code != 200:
                print(f"{role:<28} {name:<32} HTTP {response.status_code}")
                continue
            rows = response.content.count(b'class="action-select"')
            print(
                f"{role:<28} {name:<32} {statistics.median(timings):>8.1f} {statistics.median(db_timings):>8.1f} "
                f"{queries:>8} {rows:>6}",
                flush=True,
            )


if __name__ == "__main__":
    main()
