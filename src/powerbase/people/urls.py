from django.urls import path

from powerbase.people import views

app_name = "people"

urlpatterns = [
    path("o/<slug:org>/people/", views.people, name="people"),
    path("o/<slug:org>/people/pick/", views.pick, name="pick"),
    path("o/<slug:org>/people/new/", views.person_new, name="person_new"),
    path("o/<slug:org>/people/lists/", views.save_list, name="save_list"),
    path("o/<slug:org>/people/fields/", views.custom_fields, name="custom_fields"),
    path(
        "o/<slug:org>/people/<int:person_id>/fields/",
        views.person_custom_value,
        name="person_custom_value",
    ),
    path("o/<slug:org>/people/export.<str:file_format>", views.export, name="export"),
    path("o/<slug:org>/people/<int:person_id>/", views.person, name="person"),
    path("o/<slug:org>/people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("o/<slug:org>/people/<int:person_id>/notes/", views.person_note, name="person_note"),
    path("o/<slug:org>/people/<int:person_id>/tags/", views.person_tag, name="person_tag"),
    path(
        "o/<slug:org>/people/<int:person_id>/tags/<int:tag_id>/remove/",
        views.person_untag,
        name="person_untag",
    ),
]
