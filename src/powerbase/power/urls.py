from django.urls import path

from powerbase.power import views

app_name = "power"

urlpatterns = [
    path("o/<slug:org>/", views.dashboard, name="dashboard"),
]
