from django.urls import path

from powerbase.power import views

app_name = "power"

urlpatterns = [
    path("o/<slug:org>/", views.dashboard, name="dashboard"),
    path("o/<slug:org>/power/", views.show_power_map, name="map"),
    path("o/<slug:org>/power/districts/<int:district_id>/", views.district, name="district"),
    path("o/<slug:org>/power/census/", views.census, name="census"),
    path("o/<slug:org>/power/census/import/", views.census_import, name="census_import"),
]
