from django.urls import path

from powerbase.bargaining import views

app_name = "bargaining"

ORG = "o/<slug:org>/bargaining/"
UNIT = ORG + "units/<int:unit_id>/"
CAMPAIGN = ORG + "campaigns/<int:campaign_id>/"

urlpatterns = [
    path(ORG, views.overview, name="overview"),
    path(ORG + "units/new/", views.unit_new, name="unit_new"),
    path(ORG + "calendar/", views.calendar, name="calendar"),
    path(ORG + "wins/", views.wins, name="wins"),
    path(UNIT, views.unit, name="unit"),
    path(UNIT + "edit/", views.unit_edit, name="unit_edit"),
    path(UNIT + "campaigns/", views.campaign_new, name="campaign_new"),
    path(CAMPAIGN, views.campaign, name="campaign"),
    path(CAMPAIGN + "status/", views.campaign_status, name="campaign_status"),
    path(CAMPAIGN + "settle/", views.settle, name="settle"),
    path(CAMPAIGN + "sessions/", views.session_new, name="session_new"),
    path(CAMPAIGN + "demands/", views.demand_new, name="demand_new"),
    path(CAMPAIGN + "partners/", views.partner_new, name="partner_new"),
    path(CAMPAIGN + "actions/", views.action_link, name="action_link"),
    path(CAMPAIGN + "targets/", views.target_new, name="target_new"),
    path(ORG + "demands/<int:demand_id>/outcome/", views.demand_outcome, name="demand_outcome"),
    path(ORG + "targets/<int:target_id>/stances/", views.stance_new, name="stance_new"),
]
