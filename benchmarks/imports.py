"""Benchmark station imports: 200,000 rows fresh, unchanged, 1% changed, vs a naive ORM import.

    python -m benchmarks.imports [--rows 200000] [--baseline 5000]

The database is BENCH_DATABASE_URL, else var/bench.sqlite3 (created and migrated by benchmarks.common).
Each phase runs in its own process so its peak RSS (resource.getrusage maxrss) is its own.
Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOURS = ["24/7", "Mo-Su 07:00-23:00", "Mo-Fr 08:00-20:00; Sa,Su 09:00-18:00", "06:00-24:00", "22:00-06:00", ""]
AMENITIES = ["热水、微波炉", "手机充电|wifi", "座椅、饮用水、卫生间", "", "heating;air_conditioning"]
DISTRICTS = [
    ("普陀区", 31.249618, 121.397210),
    ("徐汇区", 31.188523, 121.436525),
    ("浦东新区", 31.221517, 121.544379),
    ("闵行区", 31.112813, 121.381709),
    ("宝山区", 31.405457, 121.489934),
]
HEADER = ["门店编号", "门店名称", "地址", "经度", "纬度", "营业时间", "是否24小时", "电话", "设施", "区"]


def setup_django() -> str:
    """The shared benchmark set-up: BENCH_DATABASE_URL (else var/bench.sqlite3), migrated."""
    from benchmarks.common import setup_django as shared_setup

    return shared_setup()


def write_file(path: Path, rows: int, *, changed_every: int = 0, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            name, lat, lng = DISTRICTS[i % len(DISTRICTS)]
            changed = changed_every and i % changed_every == 0
            writer.writerow(
                [
                    f"B{i:07d}",
                    f"便利店 {i} 号{'（新）' if changed else ''}",
                    f"上海市{name}测试路 {i} 号",
                    f"{lng + rng.uniform(-0.05, 0.05):.6f}",
                    f"{lat + rng.uniform(-0.05, 0.05):.6f}",
                    HOURS[i % len(HOURS)],
                    "",
                    f"021-{i:08d}",
                    AMENITIES[i % len(AMENITIES)],
                    name,
                ]
            )


def phase(name: str, path: Path, operator: str) -> dict:
    """Run one phase in this process (called in a child) and return its figures."""
    setup_django()
    from django.db import transaction

    from stations.importing.pipeline import Importer, ImportOptions
    from stations.models import Operator

    op, _ = Operator.objects.get_or_create(code=operator, defaults={"name": operator, "kind": "chain"})
    if name == "baseline":
        return baseline(op, path)
    started = time.perf_counter()
    with path.open("rb") as handle:
        report = Importer(operator=op, options=ImportOptions()).run(handle, name=path.name)
    elapsed = time.perf_counter() - started
    assert report.written and not report.counts["invalid"], report.errors[:3]
    del transaction
    return {"rows": report.rows, "seconds": elapsed, "counts": report.counts}


def baseline(op, path: Path) -> dict:
    """The naive way: one validated ORM save per row (what row-by-row import tools do)."""
    from django.db import transaction

    from stations import amenities as vocab
    from stations.models import District
    from stations.services import station_upsert

    districts = {d.name: d for d in District.objects.all()}
    started = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8", newline="") as handle, transaction.atomic():
        reader = csv.reader(handle)
        next(reader)
        for code, name, address, lng, lat, hours, _flag, phone, amenity_text, district in reader:
            mask = 0
            for word in amenity_text.replace("|", "、").replace(";", "、").split("、"):
                if word and (found := vocab.lookup(word)):
                    mask |= found.mask
            station_upsert(
                operator=op,
                store_code=code,
                name=name,
                address=address,
                lat=float(lat),
                lng=float(lng),
                opening_hours=hours,
                phone=phone,
                amenity_mask=mask,
                district=districts[district],
            )
            count += 1
    return {"rows": count, "seconds": time.perf_counter() - started}


def run_child(name: str, path: Path, operator: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.imports", "--phase", name, "--file", str(path), "--operator", operator],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def reset(operators: list[str]) -> None:
    """Delete the benchmark operators' stations in SQL (the ORM's delete() would load them all)."""
    from django.db import connection

    from stations.importing.models import ImportRun, StationImportState
    from stations.models import Operator, Station

    ids = list(Operator.objects.filter(code__in=operators).values_list("pk", flat=True))
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    station, state = Station._meta.db_table, StationImportState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {state} WHERE station_id IN (SELECT id FROM {station} WHERE operator_id IN ({marks}))", ids
        )
        cursor.execute(f"DELETE FROM {station} WHERE operator_id IN ({marks})", ids)
    ImportRun.objects.filter(operator_id__in=ids).delete()
    if connection.vendor == "postgresql":
        # Start every run from a clean table, as a new deployment would: without this the dead
        # rows of the previous run slow every index probe and the figures drift run to run.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {station}, {state}")


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM resets at exec; ru_maxrss on Linux does not)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--baseline", type=int, default=5_000)
    parser.add_argument("--phase")
    parser.add_argument("--file")
    parser.add_argument("--operator")
    args, _unknown = parser.parse_known_args()  # `make bench` passes one argument list to every module
    if args.phase:
        figures = phase(args.phase, Path(args.file), args.operator)
        figures["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(figures))
        return

    url = setup_django()
    from django.db import connection

    operators = ["bench-imports", "bench-small", "bench-baseline"]
    reset(operators)
    connection.close()
    print(f"Station import benchmark on {connection.vendor} ({url.split('@')[-1]})")
    with tempfile.TemporaryDirectory() as tmp:
        full, changed = Path(tmp) / "full.csv", Path(tmp) / "changed.csv"
        small, naive = Path(tmp) / "small.csv", Path(tmp) / "naive.csv"
        write_file(full, args.rows)
        write_file(changed, args.rows, changed_every=100)
        write_file(small, args.rows // 10)
        write_file(naive, args.baseline)
        plan = [
            (f"fresh import, {args.rows:,} rows", "fresh", full, "bench-imports"),
            ("re-import, unchanged", "unchanged", full, "bench-imports"),
            ("re-import, 1% changed", "changed", changed, "bench-imports"),
            (f"fresh import, {args.rows // 10:,} rows (memory vs size)", "fresh", small, "bench-small"),
            (f"naive ORM row-by-row, {args.baseline:,} rows (baseline)", "baseline", naive, "bench-baseline"),
        ]
        print(f"{'phase':<52} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'peak RSS':>9}")
        for label, name, path, operator in plan:
            figures = run_child(name, path, operator)
            rate = figures["rows"] / figures["seconds"] if figures["seconds"] else float("inf")
            print(
                f"{label:<52} {figures['rows']:>9,} {figures['seconds']:>8.2f} {rate:>9,.0f} "
                f"{figures['peak_rss_mb']:>7.0f}MB"
            )
    reset(operators)


if __name__ == "__main__":
    main()
