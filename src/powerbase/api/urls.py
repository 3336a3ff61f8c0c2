"""The API on Action Network's paths (/api/v2/...), and the settings page for keys and webhooks.

No trailing slashes: Action Network's clients join `people` to the base URL as it is.
"""

from django.urls import path, re_path

from powerbase.api import views

app_name = "api"

urlpatterns = [
    path("api/v2/openapi.json", views.openapi_json, name="openapi"),
    re_path(r"^api/v2/?$", views.entry, name="entry"),
    path("api/v2/people", views.people, name="people"),
    path("api/v2/people/<str:person_id>", views.person, name="person"),
    path(
        "api/v2/people/<str:person_id>/taggings", views.person_taggings_view, name="person_taggings"
    ),
    path(
        "api/v2/people/<str:person_id>/attendances",
        views.person_attendances_view,
        name="person_attendances",
    ),
    path("api/v2/tags", views.tags, name="tags"),
    path("api/v2/tags/<str:tag_id>", views.tag, name="tag"),
    path("api/v2/tags/<str:tag_id>/taggings", views.taggings, name="taggings"),
    path("api/v2/tags/<str:tag_id>/taggings/<str:tagging_id>", views.tagging, name="tagging"),
    path("api/v2/lists", views.lists, name="lists"),
    path("api/v2/lists/<str:list_id>", views.saved_list, name="list"),
    path("api/v2/lists/<str:list_id>/items", views.items, name="items"),
    path("api/v2/events", views.events, name="events"),
    path("api/v2/events/<str:event_id>", views.event, name="event"),
    path("api/v2/events/<str:event_id>/attendances", views.attendances, name="attendances"),
    path(
        "api/v2/events/<str:event_id>/attendances/<str:attendance_id>",
        views.attendance,
        name="attendance",
    ),
    path("o/<slug:org>/settings/api/", views.api_settings, name="settings"),
    path("o/<slug:org>/settings/api/keys/new", views.key_create, name="key_create"),
    path("o/<slug:org>/settings/api/keys/<int:key_id>/revoke", views.key_revoke, name="key_revoke"),
    path("o/<slug:org>/settings/api/webhooks/new", views.webhook_create, name="webhook_create"),
    path(
        "o/<slug:org>/settings/api/webhooks/<int:webhook_id>/remove",
        views.webhook_remove,
        name="webhook_remove",
    ),
]
