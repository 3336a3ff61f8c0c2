from django.urls import path

from powerbase.coalition import views

app_name = "coalition"

urlpatterns = [
    path("o/<slug:org>/affiliates/", views.affiliates, name="affiliates"),
    path("o/<slug:org>/affiliates/new/", views.affiliate_new, name="affiliate_new"),
    path("o/<slug:org>/affiliates/<int:affiliate_id>/", views.show_affiliate, name="affiliate"),
    path(
        "o/<slug:org>/affiliates/<int:affiliate_id>/edit/",
        views.affiliate_edit,
        name="affiliate_edit",
    ),
    path(
        "o/<slug:org>/affiliates/<int:affiliate_id>/sharing/",
        views.sharing_terms,
        name="sharing_terms",
    ),
    path(
        "o/<slug:org>/affiliates/<int:affiliate_id>/access/",
        views.member_access,
        name="member_access",
    ),
    path(
        "o/<slug:org>/affiliates/<int:affiliate_id>/access.csv",
        views.member_access_csv,
        name="member_access_csv",
    ),
    path(
        "o/<slug:org>/members/<int:member_id>/affiliates/",
        views.lead_affiliates,
        name="lead_affiliates",
    ),
]
