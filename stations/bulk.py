"""Fast multi-row inserts for seeding and imports, below the ORM's per-object cost.

The ORM's bulk_create spends most of its time preparing each field of each object;
for hundreds of thousands of rows we hand plain tuples to the driver instead:
PostgreSQL's COPY through psycopg 3, SQLite's executemany. Callers validate rows
first: these functions write exactly what they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], *, batch: int = 10_000) -> int:
    """Insert rows into `table` and return how many were written."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {name} ({quoted}) VALUES ({placeholders})"  # noqa: S608 - names are quoted identifiers
        chunk: list[Sequence[object]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                written += len(chunk)
                chunk.clear()
        if chunk:
            cursor.executemany(sql, chunk)
            written += len(chunk)
    return written
