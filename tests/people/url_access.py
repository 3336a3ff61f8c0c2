from powerbase.core.models import Role
from powerbase.people.models import Tag
from tests.url_access import Row, roles_with

URL_ACCESS = {
    "people:people": Row(roles_with("people.view")),
    "people:person_new": Row(roles_with("people.edit")),
    "people:save_list": Row(roles_with("people.view"), method="post"),
    # A member leader sees only the people they work with; María is not one of theirs.
    "people:person": Row(roles_with("people.view") - {Role.LEADER},
                         out_of_scope=frozenset({Role.LEADER})),
    "people:person_edit": Row(roles_with("people.edit")),
    "people:person_note": Row(roles_with("people.edit"), method="post"),
    "people:person_tag": Row(roles_with("people.edit"), method="post"),
    "people:person_untag": Row(roles_with("people.edit"), method="post"),
    "people:export": Row(roles_with("people.export")),
    "people:custom_fields": Row(roles_with("people.view")),
    "people:person_custom_value": Row(roles_with("people.edit"), method="post"),
}


def world(*, nutmeg, maria, **_) -> dict:
    tag = Tag.objects.create(organization=nutmeg, name="building captain")
    return {"person_id": maria.pk, "tag_id": tag.pk, "file_format": "csv"}
