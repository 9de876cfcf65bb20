from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

# django-leaflet's admin module imports GeoDjango, which needs the GDAL C library.
# We store plain latitude/longitude columns and use Leaflet without GeoDjango, so
# its admin module is skipped instead of making every machine install GDAL.
_SKIP = {"leaflet"}


class WaystationAdminConfig(SimpleAdminConfig):
    """Discover each app's admin module, except those that would pull in GDAL."""

    def ready(self) -> None:
        super().ready()
        from django.contrib import admin

        admin.site.site_header = _("Waystation administration")
        admin.site.site_title = _("Waystation")
        admin.site.index_title = _("Stations, riders and reports")
        for app_config in apps.get_app_configs():
            if app_config.name in _SKIP:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
