from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from stations import demo
from stations.models import District, Station
from stations.services import operator_ensure, station_upsert


class Command(BaseCommand):
    help = (
        "Load the Shanghai demo stations (about 440, all 16 districts, labelled as demo data). "
        "Safe to run again: rows are matched by operator and store code."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2025, help="Random seed of the demo layout.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if demo stations are already there (so staff edits to them survive).",
        )

    @transaction.atomic
    def handle(self, *args, seed: int, if_empty: bool, verbosity: int, **options) -> None:
        if if_empty and Station.objects.filter(source=demo.DEMO_SOURCE).exists():
            if verbosity:
                self.stdout.write("Demo stations are already loaded.")
            return
        districts = {
            d.code: (d.name, d.centre_lat, d.centre_lng)
            for d in District.objects.filter(code__startswith="31", level=District.Level.DISTRICT)
        }
        missing = {code for code, _s, _n in demo.DISTRICT_SPREAD} - districts.keys()
        if missing:
            raise CommandError(f"Shanghai districts missing ({', '.join(sorted(missing))}); run migrate first.")
        district_ids = dict(District.objects.filter(code__in=districts).values_list("code", "id"))
        operators = {op.code: operator_ensure(code=op.code, name=op.name, kind=op.kind) for op in demo.OPERATORS}
        today = timezone.localdate()
        now = timezone.now()
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        # Dates are relative to the day of the first load; later runs leave them alone.
        loaded = set(Station.objects.filter(operator__code__in=operators).values_list("operator__code", "store_code"))
        for row in demo.demo_rows(districts, seed=seed):
            dated: dict[str, object] = {}
            if (row["operator_code"], row["store_code"]) not in loaded:
                closed_days = row["closed_until_days"]
                verified = row["verified_days_ago"]
                dated["closed_until"] = today + dt.timedelta(days=closed_days) if closed_days else None
                if verified is not None:
                    dated["last_verified_at"] = now - dt.timedelta(days=verified)
            _station, outcome = station_upsert(
                operator=operators[row["operator_code"]],
                store_code=row["store_code"],
                name=row["name"],
                address=row["address"],
                district_id=district_ids[row["district_code"]],
                lat=row["lat"],
                lng=row["lng"],
                opening_hours=row["opening_hours"],
                amenity_mask=row["amenity_mask"],
                phone=row["phone"],
                status=row["status"],
                source=demo.DEMO_SOURCE,
                **dated,
            )
            counts[outcome] += 1
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo stations: {created} created, {updated} updated, {unchanged} unchanged.".format(**counts)
                )
            )
