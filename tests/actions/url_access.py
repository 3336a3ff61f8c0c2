"""The actions objects the permission test's URLs point at.

Who may open each actions page is written in tests/permission_table.txt.
"""

from datetime import timedelta

from django.utils import timezone

from powerbase.actions import ladder, services
from powerbase.core.models import Role
from tests.conftest import act


def world(*, nutmeg, users_by_role, tenant_union, maria, **_) -> dict:
    organizer = act(users_by_role[Role.ORGANIZER], nutmeg)
    campaign = services.create_campaign(actor=organizer, name="Rent relief now")
    rally = services.create_action(
        actor=organizer,
        title="Rally at the Capitol",
        starts_at=timezone.now() + timedelta(days=7),
        campaign=campaign,
        is_public=True,
        is_structure_test=True,
    )
    attendance, _ = services.check_in(actor=organizer, action=rally, person=maria)
    meeting = services.log_one_on_one(
        actor=organizer,
        person=maria,
        held_on=timezone.localdate(),
        follow_up_on=timezone.localdate(),
    )
    return {
        "action_id": rally.pk,
        "campaign_id": campaign.pk,
        "attendance_id": attendance.pk,
        "level_id": ladder.levels(nutmeg)[1].pk,
        "one_on_one_id": meeting.pk,
        "org_slug": nutmeg.slug,
    }
