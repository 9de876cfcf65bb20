"""Fast multi-row inserts for seeding and imports, below the ORM's per-object cost.

The ORM's bulk_create spends most of its time preparing each field of each object;
for hundreds of thousands of rows we hand plain tuples to the driver instead:
PostgreSQL's COPY through psycopg 3, SQLite's executemany. Callers validate rows
first: these functions write exactly what they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        # Most cells need no escaping; checking is far cheaper than translating every one.
        return value if value.isprintable() and "\\" not in value else value.translate(_COPY_ESCAPES)
    return str(value)  # ints, floats (repr round-trips), dates, aware datetimes (ISO with offset)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], *, batch: int = 10_000) -> int:
    """Insert rows into `table` and return how many were written.

    On PostgreSQL the COPY text is formatted here and handed over 1,000 rows at a time:
    psycopg's write_row() costs a Python call per value, which doubled an import's client time.
    """
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:  # the psycopg 3 cursor
                block: list[str] = []
                for row in rows:
                    block.append("\t".join(map(_copy_field, row)))
                    if len(block) >= 1_000:
                        copy.write("\n".join(block) + "\n")
                        written += len(block)
                        block.clear()
                if block:
                    copy.write("\n".join(block) + "\n")
                    written += len(block)
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
