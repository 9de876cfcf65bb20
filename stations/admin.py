from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (
    admin_imports,  # noqa: F401 - registers the import admin (upload, preview, confirm)
    hours,
)
from . import amenities as amenity_vocab
from .models import District, Operator, Station


class StationAdminForm(forms.ModelForm):
    amenity_codes = forms.MultipleChoiceField(
        label=_("Amenities"),
        choices=amenity_vocab.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
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


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    form = StationAdminForm
    list_display = ("name", "operator", "district", "status", "is_24_7", "last_verified_at", "updated_at")
    list_filter = ("status", "is_24_7", "operator__kind", "operator", "district")
    search_fields = ("name", "address", "store_code")
    list_select_related = ("operator", "district")
    autocomplete_fields = ("operator", "district")
    readonly_fields = ("is_24_7", "created_at", "updated_at")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("operator", "store_code", "name", "address", "district")}),
        (_("Location (WGS-84)"), {"fields": ("lat", "lng")}),
        (_("Opening"), {"fields": ("opening_hours", "is_24_7", "status", "closed_until")}),
        (_("For riders"), {"fields": ("amenity_codes", "phone", "notes")}),
        (_("Provenance"), {"fields": ("source", "last_verified_at", "created_at", "updated_at")}),
    )
