from __future__ import annotations

import re
from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import admin_actions, admin_imports, admin_views, hours  # noqa: F401 - admin_imports registers the import admin
from . import amenities as amenity_vocab
from .admin_changelist import (
    NEVER,
    STALE,
    VERIFICATION_LABELS,
    CappedCountPaginator,
    DistrictCodeFilter,
    ScopedOperatorFilter,
    VerificationFilter,
    verification_state_expression,
)
from .models import District, Operator, Station
from .scoping import ScopedAdminMixin, districts_visible_to, operators_visible_to, scope_of
from .widgets import LocationPickerWidget

STORE_CODE_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]*\d[A-Za-z0-9_.:/-]*")


class StationAdminForm(forms.ModelForm):
    amenity_codes = forms.MultipleChoiceField(
        label=_("Amenities"),
        choices=amenity_vocab.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    location_map = forms.CharField(
        label=_("Map"),
        required=False,
        widget=LocationPickerWidget(lat_field="lat", lng_field="lng"),
        help_text=_(
            "Click the map or drag the marker; the latitude and longitude above follow, and the other way round."
        ),
    )

    class Meta:
        model = Station
        fields = [
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
            "notes",
            "source",
            "last_verified_at",
        ]
        widgets = {
            "lat": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "lng": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["amenity_codes"] = self.instance.amenities

    def clean_opening_hours(self) -> str:
        return hours.clean(self.cleaned_data.get("opening_hours"))

    def save(self, commit: bool = True):
        self.instance.amenity_mask = amenity_vocab.to_mask(self.cleaned_data.get("amenity_codes") or [])
        return super().save(commit=commit)


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "phone")
    list_filter = ("kind",)
    search_fields = ("name", "code")

    def get_queryset(self, request):
        # Chain staff see their own operator only (also in the station form's autocomplete).
        return operators_visible_to(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        in_scope = obj is None or operators_visible_to(request.user).filter(pk=obj.pk).exists()
        return super().has_view_permission(request, obj) and in_scope


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)

    def get_queryset(self, request):
        # District staff see their own districts only (also in the station form's autocomplete).
        return districts_visible_to(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        in_scope = obj is None or districts_visible_to(request.user).filter(pk=obj.pk).exists()
        return super().has_view_permission(request, obj) and in_scope


@admin.register(Station)
class StationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = StationAdminForm
    list_display = ("name", "operator", "district", "status", "is_24_7", "last_verified_at", "verification")
    list_filter = (
        VerificationFilter,
        "status",
        # Explicit: a GeneratedField would otherwise get a SELECT DISTINCT over every station.
        ("is_24_7", admin.BooleanFieldListFilter),
        ("operator", ScopedOperatorFilter),
        DistrictCodeFilter,
    )
    search_fields = ("name", "=store_code", "address")
    list_select_related = ("operator", "district")
    autocomplete_fields = ("operator", "district")
    readonly_fields = ("is_24_7", "last_verified_by", "created_at", "updated_at")
    actions = (
        admin_actions.mark_verified,
        admin_actions.close_temporarily,
        admin_actions.reopen,
        admin_actions.export_csv,
    )
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("operator", "store_code", "name", "address", "district")}),
        (_("Location (WGS-84)"), {"fields": (("lat", "lng"), "location_map")}),
        (_("Opening"), {"fields": ("opening_hours", "is_24_7", "status", "closed_until")}),
        (_("For riders"), {"fields": ("amenity_codes", "phone", "notes")}),
        (
            _("Provenance"),
            {"fields": ("source", "last_verified_at", "last_verified_by", "created_at", "updated_at")},
        ),
    )

    class Media:
        css = {"all": ["css/admin/stations.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(verification_state=verification_state_expression())

    @admin.display(description=_("verification"), ordering="last_verified_at")
    def verification(self, obj: Station) -> str:
        state = getattr(obj, "verification_state", None)
        label = VERIFICATION_LABELS.get(state, "")
        css = {STALE: "ws-stale", NEVER: "ws-never"}.get(state, "ws-fresh")
        return format_html('<span class="{}">{}</span>', css, label)

    def get_search_results(self, request, queryset, search_term):
        # A term shaped like a store code that matches one exactly needs no scan of every name.
        term = search_term.strip()
        if STORE_CODE_SHAPE.fullmatch(term):
            exact = queryset.filter(store_code=term)
            if exact.exists():
                return exact, False
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/poster/",
                wrap(partial(admin_views.poster, model_admin=self)),
                name="stations_station_poster",
            ),
            path(
                "<path:object_id>/verify/",
                wrap(partial(admin_views.verify, model_admin=self)),
                name="stations_station_verify",
            ),
            path(
                "geocode/",
                wrap(partial(admin_views.geocode, model_admin=self)),
                name="stations_station_geocode",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    # History is scoped like the rows: an out-of-scope station's history is not found, and only
    # platform administrators may read the history of a deleted station.
    def history_view(self, request, object_id, extra_context=None):
        if not scope_of(request.user).everything:
            self.get_scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_scoped_object_or_404(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
