from django.urls import path

from powerbase.coalition import views

app_name = "coalition"

urlpatterns = [
    path("o/<slug:org>/affiliates/", views.affiliates, name="affiliates"),
    path("o/<slug:org>/members/<int:member_id>/affiliates/", views.lead_affiliates,
         name="lead_affiliates"),
]
