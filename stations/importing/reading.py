"""Read CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX files as a stream of text rows.

Rows come out as (spreadsheet row number, list of cell strings); the header is row 1,
as the user sees it in Excel or WPS. Nothing holds the whole file in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import FileProblem

ENCODINGS = ("auto", "utf-8", "gbk", "gb18030")
_XLSX_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20


def detect_encoding(binary: IO[bytes]) -> str:
    """Tell UTF-8 (with or without BOM) from GB18030 by decoding the whole file strictly as UTF-8.

    Decoding a valid UTF-8 file as GB18030 rarely fails, so UTF-8 must be tried first, and on
    the whole file: a GBK byte may first appear on row 90,000. This is one C-speed pass.
    """
    binary.seek(0)
    head = binary.read(3)
    binary.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        while chunk := binary.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        binary.seek(0)
        return "gb18030"
    binary.seek(0)
    return "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"


def is_xlsx(binary: IO[bytes], name: str) -> bool:
    binary.seek(0)
    magic = binary.read(4)
    binary.seek(0)
    return magic == _XLSX_MAGIC or name.lower().endswith((".xlsx", ".xlsm"))


def read_rows(binary: IO[bytes], *, name: str, encoding: str = "auto") -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """Return the detected format ("csv (utf-8)", "xlsx", …) and an iterator of numbered rows."""
    binary = getattr(binary, "file", binary)  # a Django upload wraps the real file object
    if encoding not in ENCODINGS:
        raise FileProblem(_("Unknown encoding “%(value)s”.") % {"value": encoding})
    if is_xlsx(binary, name):
        return "xlsx", _xlsx_rows(binary)
    chosen = detect_encoding(binary) if encoding == "auto" else encoding
    if chosen == "utf-8":
        chosen = "utf-8-sig"  # tolerate a BOM even when the user said UTF-8
    return f"csv ({chosen.removesuffix('-sig')})", _csv_rows(binary, chosen)


def _csv_rows(binary: IO[bytes], encoding: str) -> Iterator[tuple[int, list[str]]]:
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline="")
    row_number = 0
    try:
        first = text.readline()
        delimiter = max(",\t;", key=first.count) if first else ","
        reader = csv.reader(_chain_line(first, text), delimiter=delimiter)
        for row_number, row in enumerate(reader, start=1):
            yield row_number, row
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _("The file is not valid %(encoding)s text (near row %(row)s). Choose its encoding explicitly.")
            % {"encoding": encoding.removesuffix("-sig").upper(), "row": row_number + 1}
        ) from exc
    except csv.Error as exc:
        raise FileProblem(
            _("Row %(row)s is not valid CSV: %(reason)s") % {"row": row_number + 1, "reason": exc}
        ) from exc
    finally:
        text.detach()


def _chain_line(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    # Not `yield from rest`: closing this generator would then close the file, which belongs to
    # the caller (and may already be detached from its binary upload).
    for line in rest:  # noqa: UP028
        yield line


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a store code typed as a number: 1001, not 1001.0
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(binary: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    binary.seek(0)
    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        # Read-only sheets yield every row from the first, empty ones included, so the
        # position is the spreadsheet's own row number.
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row_number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def too_large(size: int) -> str | None:
    """Why an upload of `size` bytes is refused (it is larger than WAYSTATION_IMPORT_MAX_MB), or None."""
    limit = settings.WAYSTATION_IMPORT_MAX_MB
    if size > limit * 1024 * 1024:
        return _("The file is larger than %(limit)s MB.") % {"limit": limit}
    return None
