"""The API objects the permission test's URLs point at.

The OSDI addresses (/api/v2/...) take a key, not a session: in tests/permission_table.txt a
signed-in session gets 401 from them, whatever its role. What each role's *key* may do at
each of them is tested in tests/api/test_access_by_role.py, from a table written there.
"""

from datetime import timedelta

from django.utils import timezone

from powerbase.actions.models import Action, Rsvp
from powerbase.api.models import ApiKey, WebhookSubscription
from powerbase.core.models import Role
from powerbase.people.models import PersonTag, SavedList, Tag


def world(*, nutmeg, users_by_role, maria, **_) -> dict:
    tag = Tag.objects.create(organization=nutmeg, name="building captain")
    tagging = PersonTag.objects.create(
        organization=nutmeg, person=maria, tag=tag, source=maria.source
    )
    saved = SavedList.objects.create(
        organization=nutmeg, name="Gonzalez", filters={"q": "gonzalez"}
    )
    rally = Action.objects.create(
        organization=nutmeg, title="Rent strike rally", starts_at=timezone.now() + timedelta(days=3)
    )
    rsvp = Rsvp.objects.create(organization=nutmeg, action=rally, person=maria)
    key = ApiKey.objects.create(
        organization=nutmeg,
        user=users_by_role[Role.ADMIN],
        name="admin's key",
        prefix="0123456789ab",
        secret_hash="0" * 64,
    )
    hook = WebhookSubscription.objects.create(
        organization=nutmeg, url="https://example.org/h", events=["rsvp"], secret="s" * 64
    )
    return {
        "person_id": maria.pk,
        "tag_id": tag.pk,
        "tagging_id": tagging.pk,
        "list_id": saved.pk,
        "event_id": rally.pk,
        "attendance_id": f"rsvp-{rsvp.pk}",
        "key_id": key.pk,
        "webhook_id": hook.pk,
    }
