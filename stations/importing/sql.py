"""Lists of store codes or ids in raw SQL, for every part of the import that queries by them."""

from __future__ import annotations

from typing import Any

from django.db import connection

# A list of codes or ids sent as one text parameter (see codes_condition).
CODE_ARRAY = "string_to_array(%s, chr(31))"


def join_codes(values: list[Any]) -> str:
    return "\x1f".join(map(str, values))


def codes_condition(column: str, codes: list[Any], *, cast: str = "") -> tuple[str, list[Any]]:
    """`column IN (...)` for these codes.

    On PostgreSQL one text parameter split by the server: psycopg adapts a Python list value
    by value in Python, which cost an import more than the query itself. Store codes cannot
    hold the separator (U+001F): the validator collapses whitespace, and Python counts it as such.
    """
    if connection.vendor == "postgresql":
        array = f"CAST({CODE_ARRAY} AS {cast}[])" if cast else CODE_ARRAY
        return f"{column} = ANY({array})", [join_codes(codes)]
    return f"{column} IN ({', '.join(['%s'] * len(codes))})", list(codes)
