from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User

# Fields only a platform administrator may change: they decide what an account can reach.
_SCOPE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions", "districts", "operator")


@admin.register(User)
class WaystationUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "phone", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "display_name", "phone", "email")
    filter_horizontal = ("districts", "groups", "user_permissions")
    autocomplete_fields = ("operator",)
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Rider"), {"fields": ("phone", "display_name")}),
        (_("Staff scope"), {"fields": ("districts", "operator")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Riders carry no district yet, so scoped staff see only their own account here.
        return queryset.filter(pk=request.user.pk)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *_SCOPE_FIELDS)
