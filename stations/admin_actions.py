"""Station changelist actions; each goes through a service so it lands in the history."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .services import stations_close_temporarily, stations_mark_verified, stations_reopen


class CloseUntilForm(forms.Form):
    until = forms.DateField(
        label=_("Reopens on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the stations open again. They show as closed until then."),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise ValidationError(_("The reopening day must be after today."))
        return until


@admin.action(description=_("Mark selected stations verified"), permissions=["change"])
def mark_verified(modeladmin, request, queryset):
    count = stations_mark_verified(stations=queryset, actor=request.user)
    modeladmin.message_user(
        request,
        ngettext("Marked %(count)d station verified.", "Marked %(count)d stations verified.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Reopen selected stations"), permissions=["change"])
def reopen(modeladmin, request, queryset):
    count = stations_reopen(stations=queryset, actor=request.user)
    modeladmin.message_user(
        request,
        ngettext("Reopened %(count)d station.", "Reopened %(count)d stations.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Close selected stations temporarily…"), permissions=["change"])
def close_temporarily(modeladmin, request, queryset):
    """Ask for the reopening day on an intermediate page, then close the stations."""
    form = CloseUntilForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        count = stations_close_temporarily(stations=queryset, actor=request.user, until=form.cleaned_data["until"])
        modeladmin.message_user(
            request,
            ngettext("Closed %(count)d station until %(date)s.", "Closed %(count)d stations until %(date)s.", count)
            % {"count": count, "date": form.cleaned_data["until"].isoformat()},
            messages.SUCCESS,
        )
        return None
    opts = modeladmin.model._meta
    preview = list(queryset.select_related("operator", "district")[:50])
    return TemplateResponse(
        request,
        "admin/stations/station/close_temporarily.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Close stations temporarily"),
            "opts": opts,
            "form": form,
            "stations": preview,
            "total": queryset.count(),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": modeladmin.media,
        },
    )


EXPORT_COLUMNS = (
    "id",
    "operator",
    "store_code",
    "name",
    "address",
    "district",
    "lat",
    "lng",
    "opening_hours",
    "status",
    "closed_until",
    "phone",
    "source",
    "last_verified_at",
)


def _cell(value: object) -> object:
    # A spreadsheet would run a cell starting with = + - @ as a formula; names come from imports.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@admin.action(description=_("Export selected stations as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    """Download the selected stations (never more than the user's scope) as UTF-8 CSV."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="stations.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese text as UTF-8
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    rows = queryset.select_related("operator", "district").order_by("pk").iterator(chunk_size=2000)
    for s in rows:
        writer.writerow(
            _cell(value)
            for value in [
                s.pk,
                s.operator.code,
                s.store_code,
                s.name,
                s.address,
                s.district.code if s.district else "",
                s.lat,
                s.lng,
                s.opening_hours,
                s.status,
                s.closed_until.isoformat() if s.closed_until else "",
                s.phone,
                s.source,
                timezone.localtime(s.last_verified_at).isoformat() if s.last_verified_at else "",
            ]
        )
    return response
