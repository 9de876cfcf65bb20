from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("stations/<int:pk>/", views.station_detail, name="detail"),
]
