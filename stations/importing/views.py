"""The downloadable import template, in Chinese or English, as CSV or XLSX."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse

from .columns import template_rows


def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """Serve the header row and one example row; ?lang=zh (default) or ?lang=en."""
    language = "en" if request.GET.get("lang") == "en" else "zh"
    rows = template_rows(language)
    name = f"waystation-import-template-{language}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        # With a BOM, Excel and WPS open the Chinese headers correctly.
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
