from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stations.models import District

_CODE = re.compile(r"^\d{6}$")
HEADER = ("code", "name", "parent")


@dataclass
class Row:
    line: int
    code: str
    name: str
    parent: str | None
    level: str


def level_of(code: str) -> str:
    """Derive the level from the code's structure: XX0000 province, XXXX00 city, else district."""
    if code.endswith("0000"):
        return District.Level.PROVINCE
    if code.endswith("00"):
        return District.Level.CITY
    return District.Level.DISTRICT


def parent_candidates(code: str) -> list[str]:
    """Codes that may be this one's parent, nearest first (a district's city, else its province)."""
    level = level_of(code)
    if level == District.Level.PROVINCE:
        return []
    if level == District.Level.CITY:
        return [code[:2] + "0000"]
    return [code[:4] + "00", code[:2] + "0000"]


class Command(BaseCommand):
    help = (
        "Load GB/T 2260 administrative divisions from a UTF-8 CSV with the columns code,name[,parent]. "
        "Without a parent, it and the level come from the code (XX0000 province, XXXX00 city, else "
        "district under its city, or its province where no city row exists, as for Shanghai). "
        "Idempotent; all rows or none."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path to the CSV file (a header row code,name[,parent] is optional).")

    def handle(self, *args, file: str, verbosity: int, **options) -> None:
        path = Path(file)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text.") from exc
        rows, errors = self._parse(text)
        known = set(District.objects.values_list("code", flat=True)) | {row.code for row in rows}
        for row in rows:
            if row.parent is None:
                row.parent = next((c for c in parent_candidates(row.code) if c in known), None)
            elif row.parent not in known:
                errors.append(f"line {row.line}: parent {row.parent} is neither in the file nor loaded.")
            elif row.parent == row.code:
                errors.append(f"line {row.line}: a division cannot be its own parent.")
        if errors:
            raise CommandError("Nothing was loaded:\n" + "\n".join(errors))

        created = updated = 0
        with transaction.atomic():
            # Parents first, so every row can point at one that is already saved.
            order = {District.Level.PROVINCE: 0, District.Level.CITY: 1, District.Level.DISTRICT: 2}
            by_code = {d.code: d for d in District.objects.all()}
            for row in sorted(rows, key=lambda r: (order[r.level], r.code)):
                parent = by_code.get(row.parent) if row.parent else None
                district = by_code.get(row.code)
                if district is None:
                    district = District.objects.create(code=row.code, name=row.name, level=row.level, parent=parent)
                    by_code[row.code] = district
                    created += 1
                elif (district.name, district.level, district.parent_id) != (
                    row.name,
                    row.level,
                    parent.pk if parent else None,
                ):
                    district.name, district.level, district.parent = row.name, row.level, parent
                    district.save(update_fields=["name", "level", "parent"])
                    updated += 1
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {len(rows)} divisions from {path.name}: {created} created, {updated} updated, "
                    f"{len(rows) - created - updated} unchanged."
                )
            )

    def _parse(self, text: str) -> tuple[list[Row], list[str]]:
        rows: list[Row] = []
        errors: list[str] = []
        seen: dict[str, int] = {}
        for line, record in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if line == 1 and cells[0].lower() == "code":
                continue
            if len(cells) not in (2, 3):
                errors.append(f"line {line}: expected code,name[,parent], got {len(cells)} columns.")
                continue
            code, name, parent = cells[0], cells[1], (cells[2] if len(cells) == 3 else "") or None
            if not _CODE.match(code):
                errors.append(f"line {line}: code {code!r} is not six digits.")
                continue
            if not name:
                errors.append(f"line {line}: the name is empty.")
                continue
            if len(name) > District._meta.get_field("name").max_length:
                errors.append(f"line {line}: the name is longer than 50 characters.")
                continue
            if parent is not None and not _CODE.match(parent):
                errors.append(f"line {line}: parent {parent!r} is not six digits.")
                continue
            if code in seen:
                errors.append(f"line {line}: code {code} already appears on line {seen[code]}.")
                continue
            seen[code] = line
            rows.append(Row(line, code, name, parent, level_of(code)))
        if not rows and not errors:
            errors.append("the file has no rows.")
        return rows, errors
