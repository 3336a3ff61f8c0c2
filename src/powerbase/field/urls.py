from django.urls import path

from powerbase.field import views, volunteer_views

app_name = "field"

ORG = "o/<slug:org>/field/"
UNIVERSE = ORG + "universes/<int:universe_id>/"
TURF = ORG + "turfs/<int:turf_id>/"

urlpatterns = [
    # A volunteer's pages, opened with a link's token instead of an account.
    path("canvass/<str:link_token>/", volunteer_views.volunteer, name="volunteer"),
    path(
        "canvass/<str:link_token>/doors/<int:door_id>/",
        volunteer_views.volunteer_door,
        name="volunteer_door",
    ),
    # The organization's pages.
    path(ORG, views.overview, name="overview"),
    path(ORG + "universes/new/", views.universe_new, name="universe_new"),
    path(ORG + "universes/count/", views.universe_count, name="universe_count"),
    path(UNIVERSE, views.universe, name="universe"),
    path(UNIVERSE + "edit/", views.universe_edit, name="universe_edit"),
    path(UNIVERSE + "cut/", views.universe_cut, name="universe_cut"),
    path(TURF, views.turf, name="turf"),
    path(TURF + "goal/", views.turf_goal, name="turf_goal"),
    path(TURF + "walk-list.pdf", views.turf_walk_list, name="turf_walk_list"),
    path(TURF + "phone-list.csv", views.turf_phone_list, name="turf_phone_list"),
    path(TURF + "links/", views.link_new, name="link_new"),
    path(TURF + "canvassers/", views.turf_assign, name="turf_assign"),
    path(ORG + "links/<int:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path(ORG + "canvass/", views.canvass_turfs, name="canvass_turfs"),
    path(TURF + "canvass/", views.canvass, name="canvass"),
    path(TURF + "canvass/doors/<int:door_id>/", views.canvass_door, name="canvass_door"),
]
