from django.urls import path

from powerbase.voterfile import views

app_name = "voterfile"

urlpatterns = [
    path("o/<slug:org>/voter-file/", views.overview, name="overview"),
    path("o/<slug:org>/voter-file/versions/<int:number>/", views.show_version, name="version"),
    path("o/<slug:org>/voter-file/versions/<int:number>/use/", views.use_version, name="use"),
    path("o/<slug:org>/voter-file/import/", views.start_import, name="import"),
    path("o/<slug:org>/districts/", views.districts, name="districts"),
    path("o/<slug:org>/districts/<int:district_id>/", views.show_district, name="district"),
]
