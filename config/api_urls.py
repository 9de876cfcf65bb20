"""The REST API under /api/v1/: one router for every app."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from stations.api import views as stations_api
from stations.api.geocode import GeocodeView
from stations.importing import api as imports_api
from stations.importing import views as imports_views

router = DefaultRouter()
router.register("stations", stations_api.StationViewSet, basename="station")
router.register("operators", stations_api.OperatorViewSet, basename="operator")
router.register("districts", stations_api.DistrictViewSet, basename="district")
router.register("amenities", stations_api.AmenityViewSet, basename="amenity")

urlpatterns = [
    path("geocode/", GeocodeView.as_view(), name="geocode"),
    path("operators/<slug:code>/imports/", imports_api.ImportView.as_view(), name="operator-imports"),
    path("imports/template.<str:fmt>", imports_views.import_template, name="import-template"),
    *router.urls,
]
