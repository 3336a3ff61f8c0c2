from datetime import timedelta

from django.utils import timezone

from powerbase.actions import ladder, services
from powerbase.core.models import Role
from tests.conftest import act
from tests.url_access import Row, roles_with

VIEW = roles_with("actions.view")
MANAGE = roles_with("actions.manage")
CHECK_IN = roles_with("actions.check_in")

URL_ACCESS = {
    "actions:actions": Row(VIEW),
    "actions:action_new": Row(MANAGE),
    "actions:action": Row(VIEW),
    "actions:action_edit": Row(MANAGE),
    "actions:commit": Row(VIEW, method="post"),
    "actions:structure_test": Row(VIEW),
    "actions:structure_test_csv": Row(VIEW),
    "actions:rsvps": Row(MANAGE),
    "actions:rsvp_add": Row(MANAGE, method="post"),
    "actions:check_in": Row(CHECK_IN),
    "actions:check_in_person": Row(CHECK_IN, method="post"),
    "actions:check_in_walk_in": Row(CHECK_IN, method="post"),
    "actions:undo_check_in": Row(CHECK_IN, method="post"),
    "actions:campaign_new": Row(MANAGE),
    "actions:campaign": Row(VIEW),
    "actions:campaign_edit": Row(MANAGE),
    "actions:ladder": Row(VIEW),
    "actions:ladder_level_new": Row(MANAGE),
    "actions:ladder_level": Row(MANAGE),
    "actions:ladder_recompute": Row(MANAGE, method="post"),
    "actions:one_on_ones": Row(CHECK_IN),
    "actions:one_on_one_new": Row(CHECK_IN),
    # The organizer held it: roles that see only their own one-on-ones do not find it.
    "actions:follow_up_done": Row(MANAGE, method="post",
                                  out_of_scope=frozenset({Role.LEADER, Role.AFFILIATE_LEAD})),
    "actions:sign_up": Row("public"),
    "actions:signed_up": Row("public"),
    "actions:calendar": Row("public"),
}


def world(*, nutmeg, users_by_role, tenant_union, maria, **_) -> dict:
    organizer = act(users_by_role[Role.ORGANIZER], nutmeg)
    campaign = services.create_campaign(actor=organizer, name="Rent relief now")
    rally = services.create_action(actor=organizer, title="Rally at the Capitol",
                                   starts_at=timezone.now() + timedelta(days=7),
                                   campaign=campaign, is_public=True, is_structure_test=True)
    attendance, _ = services.check_in(actor=organizer, action=rally, person=maria)
    meeting = services.log_one_on_one(actor=organizer, person=maria,
                                      held_on=timezone.localdate(),
                                      follow_up_on=timezone.localdate())
    return {"action_id": rally.pk, "campaign_id": campaign.pk, "attendance_id": attendance.pk,
            "level_id": ladder.levels(nutmeg)[1].pk, "one_on_one_id": meeting.pk,
            "org_slug": nutmeg.slug}
