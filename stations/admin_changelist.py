"""Station changelist pieces that stay fast at 200,000 rows: filters and a bounded paginator."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .scoping import districts_visible_to, operators_visible_to, scope_of

NEVER, STALE, FRESH = "never", "stale", "fresh"
VERIFICATION_LABELS = {NEVER: _("Never verified"), STALE: _("Stale"), FRESH: _("Fresh")}


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Return the moment before which a verification counts as stale."""
    return (now or timezone.now()) - dt.timedelta(days=settings.WAYSTATION_STALE_AFTER_DAYS)


def verification_state_expression(now: dt.datetime | None = None) -> Case:
    """SQL for a station's verification state: never / stale / fresh."""
    return Case(
        When(last_verified_at__isnull=True, then=Value(NEVER)),
        When(last_verified_at__lt=stale_cutoff(now), then=Value(STALE)),
        default=Value(FRESH),
        output_field=CharField(),
    )


def verification_q(state: str, now: dt.datetime | None = None) -> Q:
    """Filter for one verification state, written so the last_verified_at index can serve it."""
    cutoff = stale_cutoff(now)
    return {
        NEVER: Q(last_verified_at__isnull=True),
        STALE: Q(last_verified_at__lt=cutoff),
        FRESH: Q(last_verified_at__gte=cutoff),
    }[state]


class VerificationFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [(key, VERIFICATION_LABELS[key]) for key in (STALE, FRESH, NEVER)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in VERIFICATION_LABELS:
            raise IncorrectLookupParameters(value)
        return queryset.filter(verification_q(value))


class ScopedOperatorFilter(admin.RelatedFieldListFilter):
    """Operator filter listing only the operators the user may see (a short list)."""

    def field_choices(self, field, request, model_admin):
        return [(op.pk, str(op)) for op in operators_visible_to(request.user).only("pk", "name")]


class DistrictCodeFilter(admin.SimpleListFilter):
    """Filter by GB/T 2260 code or prefix (31 = Shanghai, 310107 = Putuo).

    A text box instead of a list, because all of China has about 3,000 districts; district
    staff also get their own districts as links.
    """

    title = _("district")
    parameter_name = "district_code"
    template = "admin/stations/input_filter.html"
    _valid = re.compile(r"^\d{2,6}$")

    def __init__(self, request, params, model, model_admin):
        self.request = request
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        if not scope_of(request.user).limited_by_district:
            return []
        return [(d.code, str(d)) for d in districts_visible_to(request.user)]

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not self._valid.match(value):
            raise IncorrectLookupParameters(value)
        if len(value) == 6:
            # A province (XX0000) or city (XXXX00) code stands for every district under it.
            value = value[:2] if value.endswith("0000") else value[:4] if value.endswith("00") else value
        return queryset.filter(district__code__startswith=value)

    def choices(self, changelist):
        other = [
            (key, value)
            for key, values in changelist.params.items()
            if key not in (self.parameter_name, "p", "_changelist_filters")
            for value in (values if isinstance(values, list) else [values])
        ]
        yield {
            "form": True,
            "value": self.value() or "",
            "hidden": other,
            "placeholder": _("Code or prefix, e.g. 310107"),
        }
        yield from super().choices(changelist)


class CappedCountPaginator(Paginator):
    """Count at most CAP rows, so an unfiltered list of 200,000 stations never counts them all.

    Pages past the cap are not offered; search or filter to narrow the list.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "values"):
            # Only the filtered keys matter for a count: no sort, no computed columns.
            rows = rows.order_by().values("pk")
        return rows[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP
