from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from stations import demo
from stations.bulk import insert_rows
from stations.geo import haversine_m
from stations.models import District, Station
from stations.services import operator_ensure

MAX_COUNT = 1_000_000
_SHANGHAI = (31.2304, 121.4737)


class Command(BaseCommand):
    help = (
        "Replace the synthetic stations with N new ones spread like China's cities, for "
        "benchmarks and load tests. Demo and real stations are left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, required=True, help=f"How many stations (1–{MAX_COUNT:,}).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, count: int, seed: int, batch_size: int, verbosity: int, **options) -> None:
        if not 1 <= count <= MAX_COUNT:
            raise CommandError(f"--count must be between 1 and {MAX_COUNT:,}, not {count}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be positive.")
        started = time.perf_counter()
        operators = [
            operator_ensure(code=code, name=name, kind=kind) for code, name, kind, _share in demo.SYNTHETIC_OPERATORS
        ]
        centres = list(
            District.objects.filter(code__startswith="31", level=District.Level.DISTRICT)
            .exclude(centre_lat=None)
            .values_list("id", "centre_lat", "centre_lng")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())

        def rows():
            for i, (city, lat, lng, op_index, expression, mask) in enumerate(demo.synthetic_points(count, seed)):
                district_id = None
                near_shanghai = abs(lat - _SHANGHAI[0]) < 1 and abs(lng - _SHANGHAI[1]) < 1.2
                if near_shanghai and haversine_m(lat, lng, *_SHANGHAI) < 80_000:
                    district_id = demo.nearest_district(lat, lng, centres, within_m=40_000)
                yield (
                    operators[op_index].pk,
                    f"SYN-{seed}-{i + 1:07d}",
                    f"合成驿站 {city} #{i + 1}",
                    f"{city}（合成数据）",
                    district_id,
                    lat,
                    lng,
                    expression,
                    "open",
                    mask,
                    "",
                    "",
                    demo.SYNTHETIC_SOURCE,
                    now,
                    now,
                )

        with transaction.atomic():
            deleted = _delete_synthetic([op.pk for op in operators])
            written = insert_rows(
                Station._meta.db_table,
                [
                    "operator_id",
                    "store_code",
                    "name",
                    "address",
                    "district_id",
                    "lat",
                    "lng",
                    "opening_hours",
                    "status",
                    "amenity_mask",
                    "phone",
                    "notes",
                    "source",
                    "created_at",
                    "updated_at",
                ],
                rows(),
                batch=batch_size,
            )
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {written:,} synthetic stations (replaced {deleted:,}) "
                    f"in {time.perf_counter() - started:.1f} s."
                )
            )


def _delete_synthetic(operator_ids: list[int]) -> int:
    """Delete the synthetic stations in plain SQL.

    They are benchmark data written without history, so there is nothing to record; the ORM's
    delete() would load every row to send the history signals (minutes for 200,000 rows).
    """
    from stations.importing.models import StationImportState

    quote = connection.ops.quote_name
    station = quote(Station._meta.db_table)
    placeholders = ", ".join(["%s"] * len(operator_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(StationImportState._meta.db_table)} WHERE station_id IN "  # noqa: S608
            f"(SELECT id FROM {station} WHERE operator_id IN ({placeholders}))",
            operator_ids,
        )
        cursor.execute(f"DELETE FROM {station} WHERE operator_id IN ({placeholders})", operator_ids)  # noqa: S608
        return cursor.rowcount
