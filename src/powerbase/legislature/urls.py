from django.urls import path

from powerbase.legislature import public_views, views

app_name = "legislature"

ORG = "o/<slug:org>/legislature/"
OFFICIAL = ORG + "officials/<int:official_id>/"
VERSION = ORG + "platform/versions/<int:version_id>/"
BILL = ORG + "bills/<int:bill_id>/"
SCORECARD = ORG + "scorecards/<int:scorecard_id>/"
BOARD = ORG + "whip/<int:board_id>/"

urlpatterns = [
    # The public page of the scorecards an organization chose to publish.
    path("scorecards/<slug:org_slug>/", public_views.public_scorecards, name="public_scorecards"),
    path(
        "scorecards/<slug:org_slug>/<int:scorecard_id>/",
        public_views.public_scorecard,
        name="public_scorecard",
    ),
    # Officials and the bloc.
    path(ORG, views.show_officials, name="officials"),
    path(ORG + "officials/new/", views.official_new, name="official_new"),
    path(ORG + "officials/import/", views.official_import, name="official_import"),
    path(OFFICIAL, views.show_official, name="official"),
    path(OFFICIAL + "edit/", views.official_edit, name="official_edit"),
    path(OFFICIAL + "bloc/", views.bloc_join, name="bloc_join"),
    path(OFFICIAL + "pledges/", views.pledge_new, name="pledge_new"),
    path(OFFICIAL + "targets/", views.target_new, name="target_new"),
    path(ORG + "bloc/<int:membership_id>/leave/", views.bloc_leave, name="bloc_leave"),
    # Platform, demands and bills.
    path(ORG + "platform/", views.platforms, name="platforms"),
    path(ORG + "platform/new/", views.platform_new, name="platform_new"),
    path(ORG + "platform/<int:platform_id>/next/", views.version_next, name="version_next"),
    path(VERSION, views.platform_version, name="platform_version"),
    path(VERSION + "planks/", views.plank_new, name="plank_new"),
    path(VERSION + "adopt/", views.version_adopt, name="version_adopt"),
    path(ORG + "platform/planks/<int:plank_id>/demands/", views.demand_new, name="demand_new"),
    path(ORG + "bills/", views.bills, name="bills"),
    path(ORG + "bills/new/", views.bill_new, name="bill_new"),
    path(ORG + "bills/import/", views.bills_import, name="bills_import"),
    path(BILL, views.show_bill, name="bill"),
    path(BILL + "position/", views.bill_position, name="bill_position"),
    path(BILL + "actions/", views.bill_action, name="bill_action"),
    path(BILL + "demands/", views.bill_demand, name="bill_demand"),
    # Roll calls.
    path(ORG + "votes/", views.roll_calls, name="roll_calls"),
    path(ORG + "votes/new/", views.roll_call_new, name="roll_call_new"),
    path(ORG + "votes/import/", views.votes_import, name="votes_import"),
    path(ORG + "votes/<int:roll_call_id>/", views.show_roll_call, name="roll_call"),
    # Scorecards and accountability.
    path(ORG + "scorecards/", views.scorecards, name="scorecards"),
    path(ORG + "scorecards/new/", views.scorecard_new, name="scorecard_new"),
    path(SCORECARD, views.show_scorecard, name="scorecard"),
    path(SCORECARD + "votes/", views.scorecard_vote, name="scorecard_vote"),
    path(
        SCORECARD + "votes/<int:item_id>/remove/",
        views.scorecard_vote_remove,
        name="scorecard_vote_remove",
    ),
    path(SCORECARD + "publish/", views.scorecard_publish, name="scorecard_publish"),
    path(ORG + "accountability/", views.accountability, name="accountability"),
    # Whip counts and the calendar.
    path(ORG + "whip/", views.whip_boards, name="whip_boards"),
    path(ORG + "whip/new/", views.whip_board_new, name="whip_board_new"),
    path(BOARD, views.whip_board, name="whip_board"),
    path(BOARD + "live/", views.whip_board_live, name="whip_board_live"),
    path(BOARD + "officials/<int:official_id>/", views.whip_stance, name="whip_stance"),
    path(ORG + "calendar/", views.calendar, name="calendar"),
    path(ORG + "calendar.ics", views.calendar_ics, name="calendar_ics"),
    path(ORG + "calendar/new/", views.event_new, name="event_new"),
]
