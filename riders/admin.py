from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
