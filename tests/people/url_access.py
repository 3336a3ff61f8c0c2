"""The people objects the permission test's URLs point at.

Who may open each people page is written in tests/permission_table.txt.
"""

from powerbase.people.models import Tag


def world(*, nutmeg, maria, **_) -> dict:
    tag = Tag.objects.create(organization=nutmeg, name="building captain")
    return {"person_id": maria.pk, "tag_id": tag.pk, "file_format": "csv"}
