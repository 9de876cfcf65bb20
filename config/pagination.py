"""API pagination that answers a bad page size with 400 instead of quietly clamping it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class StrictPageNumberPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": [_("Must be a whole number.")]}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": [_("Must be between 1 and %(max)d.") % {"max": self.max_page_size}]})
        return size
