from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("stations/<int:pk>/", views.station_detail, name="detail"),
    # The map's JS strings (djangojs catalogue from the project's locale/), in the request's language.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["stations"]), name="jsi18n"),
]
