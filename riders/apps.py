from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RidersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "riders"
    verbose_name = _("Riders and accounts")
