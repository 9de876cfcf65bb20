"""Admin for station imports: upload → preview → confirm, and the record of every import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .crs import CRS_CHOICES
from .importing.errors import FileProblem
from .importing.models import ImportRun
from .importing.pipeline import IMPORTED_FIELDS, ImportOptions
from .importing.reading import too_large
from .importing.selectors import import_operators_for, import_runs_visible_to
from .importing.services import PreviewExpired, import_confirm, import_preview
from .models import Operator, Station
from .scoping import scope_of

CRS_LABELS = {
    "wgs84": _("WGS-84 (GPS, OpenStreetMap)"),
    "gcj02": _("GCJ-02 (Amap, Tencent)"),
    "bd09": _("BD-09 (Baidu)"),
}


class ImportUploadForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Operator"), queryset=Operator.objects.none())
    file = forms.FileField(label=_("File"))
    crs = forms.ChoiceField(label=_("Coordinate system"), choices=[(c, CRS_LABELS[c]) for c in CRS_CHOICES])
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("auto", _("Detect")), ("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030")],
        help_text=_("For CSV files only."),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            ("upsert", _("Add and update")),
            ("sync", _("Sync: also close stations missing from the file")),
        ],
    )

    def __init__(self, *args: Any, operators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["file"].help_text = gettext(
            "CSV (UTF-8 or GBK) or XLSX, at most %(limit)s MB; column headers on the first row."
        ) % {"limit": settings.WAYSTATION_IMPORT_MAX_MB}
        if operators.count() == 1:
            self.fields["operator"].initial = operators.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if problem := too_large(upload.size):
            raise forms.ValidationError(problem)
        return upload


class ImportConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label=_("Skip the invalid rows and import the rest"),
        required=False,
    )
    overwrite_conflicts = forms.BooleanField(
        label=_("Overwrite fields staff edited since the last import (conflicts)"),
        required=False,
        help_text=_("Unticked, staff edits are kept and the conflicts stay listed for the next import."),
    )

    def __init__(self, *args, invalid: int = 0, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")  # each label follows its checkbox: no colon
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def clean(self) -> dict:
        cleaned = super().clean()
        # Confirming a file with invalid rows without skipping them would import nothing and use up
        # the preview: say so here instead, while the user can still tick the box.
        if self.invalid and not cleaned.get("skip_invalid"):
            self.add_error(
                "skip_invalid",
                ngettext(
                    "%(count)s row is invalid: tick this to import the other rows, "
                    "or fix the file and upload it again.",
                    "%(count)s rows are invalid: tick this to import the other rows, "
                    "or fix the file and upload it again.",
                    self.invalid,
                )
                % {"count": self.invalid},
            )
        return cleaned


def field_label(name: str) -> str:
    field = "district" if name == "district_id" else name
    return str(Station._meta.get_field(field).verbose_name)


def render_report(run: ImportRun) -> str:
    report = run.report or {}
    labels = {name: field_label(name) for name in IMPORTED_FIELDS}
    changes = [
        {**c, "fields": [(labels.get(k, k), v) for k, v in c["fields"].items()]} for c in report.get("changes", [])
    ]
    conflicts = [
        {**c, "fields": [(labels.get(k, k), v) for k, v in c["fields"].items()]} for c in report.get("conflicts", [])
    ]
    return render_to_string(
        "admin/stations/importrun/_report.html",
        {"run": run, "report": report, "counts": run.counts, "changes": changes, "conflicts": conflicts},
    )


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "operator", "file_name", "source", "status", "summary", "user")
    list_filter = ("status", "source", "operator")
    search_fields = ("file_name", "sha256", "operator__name", "operator__code")
    list_select_related = ("operator", "user")
    date_hierarchy = "created_at"
    fields = (
        "operator",
        "user",
        "source",
        "file_name",
        "sha256",
        "options",
        "status",
        "message",
        "created_at",
        "started_at",
        "finished_at",
        "report_view",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return import_runs_visible_to(request.user)

    def operators_for(self, request: HttpRequest):
        return import_operators_for(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # No query: the admin asks this for every page's sidebar.
        scope = scope_of(request.user)
        return super().has_add_permission(request) and (scope.everything or scope.operator_id is not None)

    def has_change_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False  # an import record is history

    def has_delete_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False

    @admin.display(description=_("counts"))
    def summary(self, run: ImportRun) -> str:
        counts = run.counts or {}
        if not counts:
            return "—"
        return gettext("%(new)s new · %(changed)s changed · %(unchanged)s unchanged · %(invalid)s invalid") % {
            "new": counts.get("new", 0),
            "changed": counts.get("changed", 0),
            "unchanged": counts.get("unchanged", 0),
            "invalid": counts.get("invalid", 0),
        }

    @admin.display(description=_("report"))
    def report_view(self, run: ImportRun) -> str:
        return render_report(run)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="stations_importrun_upload"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="stations_importrun_preview"),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:stations_importrun_upload"))

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        operators = self.operators_for(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None, operators=operators)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            options = ImportOptions(crs=data["crs"], encoding=data["encoding"], mode=data["mode"])
            try:
                run, _report = import_preview(
                    operator=data["operator"],
                    user=request.user,
                    source=ImportRun.Source.ADMIN,
                    binary=upload,
                    file_name=upload.name,
                    options=options,
                )
            except FileProblem as exc:
                form.add_error("file", str(exc))
            else:
                return HttpResponseRedirect(reverse("admin:stations_importrun_preview", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import stations"),
            "form": form,
            "template_links": [
                ("zh", "csv", "中文模板 (CSV)"),
                ("zh", "xlsx", "中文模板 (XLSX)"),
                ("en", "csv", "English template (CSV)"),
                ("en", "xlsx", "English template (XLSX)"),
            ],
        }
        return TemplateResponse(request, "admin/stations/importrun/upload.html", context)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if run.status != ImportRun.Status.PREVIEWED:
            return HttpResponseRedirect(reverse("admin:stations_importrun_change", args=[run.pk]))
        form = ImportConfirmForm(
            request.POST if request.method == "POST" else None, invalid=(run.counts or {}).get("invalid", 0)
        )
        if request.method == "POST" and form.is_valid():
            try:
                report = import_confirm(run=run, user=request.user, **form.cleaned_data)
            except (PreviewExpired, FileProblem) as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                if report.written:
                    self.message_user(
                        request,
                        gettext("Imported: %(new)s new, %(changed)s changed, %(to_close)s closed.") % report.counts,
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request,
                        gettext("Nothing was imported: %(invalid)s rows are invalid.") % report.counts,
                        messages.ERROR,
                    )
            return HttpResponseRedirect(reverse("admin:stations_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Preview: %(file)s") % {"file": run.file_name},
            "run": run,
            "form": form,
            "report_html": render_report(run),
        }
        return TemplateResponse(request, "admin/stations/importrun/preview.html", context)
