from django.urls import path

from powerbase.actions import public_views, views

app_name = "actions"

urlpatterns = [
    path("o/<slug:org>/actions/", views.actions, name="actions"),
    path("o/<slug:org>/actions/new/", views.action_new, name="action_new"),
    path("o/<slug:org>/actions/<int:action_id>/", views.show_action, name="action"),
    path("o/<slug:org>/actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("o/<slug:org>/actions/<int:action_id>/commitments/", views.commit, name="commit"),
    path("o/<slug:org>/actions/<int:action_id>/rsvps/", views.rsvps, name="rsvps"),
    path("o/<slug:org>/actions/<int:action_id>/rsvps/add/", views.rsvp_add, name="rsvp_add"),
    path("o/<slug:org>/actions/<int:action_id>/rsvps/bulk/", views.rsvp_bulk, name="rsvp_bulk"),
    path("o/<slug:org>/actions/leaders/pick/", views.leader_pick, name="leader_pick"),
    path(
        "o/<slug:org>/actions/<int:action_id>/report/", views.structure_test, name="structure_test"
    ),
    path(
        "o/<slug:org>/actions/<int:action_id>/report.csv",
        views.structure_test_csv,
        name="structure_test_csv",
    ),
    path("o/<slug:org>/actions/<int:action_id>/check-in/", views.check_in, name="check_in"),
    path(
        "o/<slug:org>/actions/<int:action_id>/check-in/person/",
        views.check_in_person,
        name="check_in_person",
    ),
    path(
        "o/<slug:org>/actions/<int:action_id>/check-in/walk-in/",
        views.check_in_walk_in,
        name="check_in_walk_in",
    ),
    path(
        "o/<slug:org>/actions/<int:action_id>/check-in/<int:attendance_id>/undo/",
        views.undo_check_in,
        name="undo_check_in",
    ),
    path("o/<slug:org>/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("o/<slug:org>/campaigns/<int:campaign_id>/", views.show_campaign, name="campaign"),
    path(
        "o/<slug:org>/campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"
    ),
    path("o/<slug:org>/ladder/", views.ladder_page, name="ladder"),
    path("o/<slug:org>/ladder/rungs/new/", views.ladder_level, name="ladder_level_new"),
    path("o/<slug:org>/ladder/rungs/<int:level_id>/", views.ladder_level, name="ladder_level"),
    path("o/<slug:org>/ladder/recompute/", views.ladder_recompute, name="ladder_recompute"),
    path("o/<slug:org>/one-on-ones/", views.one_on_ones, name="one_on_ones"),
    path(
        "o/<slug:org>/one-on-ones/with/<int:person_id>/",
        views.one_on_one_new,
        name="one_on_one_new",
    ),
    path(
        "o/<slug:org>/one-on-ones/<int:one_on_one_id>/done/",
        views.follow_up_done,
        name="follow_up_done",
    ),
    # Public: no sign-in.
    path("act/<slug:org_slug>/<int:action_id>/", public_views.sign_up, name="sign_up"),
    path("act/<slug:org_slug>/<int:action_id>/thanks/", public_views.signed_up, name="signed_up"),
    path("act/<slug:org_slug>/calendar.ics", public_views.calendar_feed, name="calendar"),
]
