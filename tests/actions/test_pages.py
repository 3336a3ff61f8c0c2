"""The pages: scheduling, committing, the door, and what each role is offered."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from powerbase.actions import services
from powerbase.actions.models import Action, Attendance, Campaign, Commitment


def url(name: str, **kwargs) -> str:
    return reverse(f"actions:{name}", kwargs={"org": "nutmeg", **kwargs})


def test_an_organizer_schedules_a_campaigns_action_from_the_form(client, organizer, campaign):
    client.force_login(organizer)
    response = client.post(
        url("action_new"),
        {
            "title": "Lobby day",
            "kind": "lobby_day",
            "campaign": campaign.pk,
            "starts_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "is_structure_test": "on",
            "turnout_goal": "60",
        },
    )
    action = Action.objects.get(title="Lobby day")
    assert response.status_code == 302 and action.campaign == campaign
    assert action.is_structure_test and action.turnout_goal == 60


def test_an_action_that_ends_before_it_starts_is_refused_with_a_reason(client, organizer):
    client.force_login(organizer)
    start = timezone.localtime() + timedelta(days=3)
    response = client.post(
        url("action_new"),
        {
            "title": "Backwards",
            "kind": "rally",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert b"The action ends before it starts" in response.content
    assert not Action.objects.exists()


def test_a_campaign_is_started_and_edited(client, organizer):
    client.force_login(organizer)
    client.post(url("campaign_new"), {"name": "Fund transit", "demands": "Free buses"})
    campaign = Campaign.objects.get()
    client.post(
        url("campaign_edit", campaign_id=campaign.pk),
        {"name": "Fund transit now", "demands": "Free buses"},
    )
    campaign.refresh_from_db()
    assert campaign.name == "Fund transit now"


def test_the_actions_page_lists_upcoming_and_recent_in_few_queries(
    client, organizer, organizing, rally, django_assert_max_num_queries
):
    for n in range(5):
        services.create_action(
            actor=organizing, title=f"Canvass {n}", starts_at=timezone.now() + timedelta(days=n + 1)
        )
    client.force_login(organizer)
    with django_assert_max_num_queries(14):
        response = client.get(url("actions"))
    assert b"Canvass 4" in response.content and b"Rally at the Capitol" in response.content


def test_a_commitment_is_set_from_the_action_page(client, organizer, rally, tenant_union):
    client.force_login(organizer)
    client.post(
        url("commit", action_id=rally.pk), {"who": f"affiliate:{tenant_union.pk}", "number": "25"}
    )
    page = client.get(url("action", action_id=rally.pk)).content.decode()
    assert Commitment.objects.get(action=rally).number == 25
    assert "committed 25" in page


def test_an_affiliate_lead_is_offered_only_their_own_affiliate_to_commit(
    client, affiliate_lead, rally, tenant_union, teachers_union
):
    client.force_login(affiliate_lead)
    page = client.get(url("action", action_id=rally.pk)).content.decode()
    assert tenant_union.name in page and teachers_union.name not in page
    client.post(
        url("commit", action_id=rally.pk), {"who": f"affiliate:{teachers_union.pk}", "number": "25"}
    )
    assert not Commitment.objects.exists()


def test_the_action_page_gives_each_committed_recruiter_a_link(
    client, organizer, organizing, rally, rosa
):
    services.set_commitment(actor=organizing, action=rally, leader=rosa, number=8)
    client.force_login(organizer)
    page = client.get(url("action", action_id=rally.pk)).content.decode()
    assert "Rosa Quintero</strong>: <a" in page and "?by=" in page


def test_the_door_searches_checks_in_and_undoes(client, users_by_role, rally, maria):
    client.force_login(users_by_role["leader"])
    results = client.get(
        url("check_in", action_id=rally.pk), {"q": "gon"}, headers={"HX-Request": "true"}
    )
    assert b"Mar\xc3\xada Gonzalez" in results.content and b"<html" not in results.content
    response = client.post(
        url("check_in_person", action_id=rally.pk), {"person": maria.pk}, follow=True
    )
    assert "Checked in María Gonzalez.".encode() in response.content
    attendance = Attendance.objects.get(action=rally)
    response = client.post(
        url("undo_check_in", action_id=rally.pk, attendance_id=attendance.pk), follow=True
    )
    assert "Undid the check-in of María Gonzalez.".encode() in response.content
    assert not Attendance.objects.exists()


def test_the_door_adds_a_walk_in_from_three_fields(client, organizer, rally):
    client.force_login(organizer)
    response = client.post(
        url("check_in_walk_in", action_id=rally.pk),
        {"name": "Kwame Mensah", "phone": "203-555-0199", "email": ""},
        follow=True,
    )
    assert b"Checked in Kwame Mensah." in response.content
    assert Attendance.objects.get(action=rally).is_walk_in


def test_a_walk_in_with_a_bad_phone_says_what_is_wrong(client, organizer, rally):
    client.force_login(organizer)
    response = client.post(
        url("check_in_walk_in", action_id=rally.pk),
        {"name": "Kwame", "phone": "12", "email": ""},
        follow=True,
    )
    assert "“12” is not a phone number".encode() in response.content
    assert not Attendance.objects.exists()


def test_the_check_in_page_answers_in_few_queries(
    client, organizer, organizing, rally, maria, walter, django_assert_max_num_queries
):
    services.check_in(actor=organizing, action=rally, person=walter)
    client.force_login(organizer)
    # 16, and three for the labels that tell people of one name apart (memberships, phones,
    # addresses), whatever the number of results, and five for the search pace counter
    # (core/limits.py) in the database cache.
    with django_assert_max_num_queries(24):
        response = client.get(url("check_in", action_id=rally.pk), {"q": "ma"})
    assert b"Check in" in response.content and b"Walter" in response.content


def test_a_leader_sees_their_follow_ups_on_the_actions_page(client, users_by_role, leading, maria):
    services.log_one_on_one(
        actor=leading, person=maria, held_on=timezone.localdate(), follow_up_on=timezone.localdate()
    )
    client.force_login(users_by_role["leader"])
    page = client.get(url("actions")).content.decode()
    assert "1 one-on-one follow-up due" in page and "María Gonzalez" in page


def test_a_one_on_one_is_logged_from_the_page(client, users_by_role, maria):
    client.force_login(users_by_role["leader"])
    found = client.get(url("one_on_ones"), {"q": "maria"}).content.decode()
    assert "Log a one-on-one with María Gonzalez" in found
    client.post(
        url("one_on_one_new", person_id=maria.pk),
        {
            "held_on": timezone.localdate().isoformat(),
            "self_interest": "Rent",
            "commitment": "Come to the rally",
            "follow_up_on": "",
        },
    )
    page = client.get(url("one_on_ones")).content.decode()
    assert "Come to the rally" in page


def test_staff_find_someone_and_rsvp_them_with_the_leader_who_brought_them(
    client, organizer, rally, rosa, maria, tenant_union
):
    from powerbase.actions.models import Rsvp

    client.force_login(organizer)
    page = client.get(url("rsvps", action_id=rally.pk), {"q": "maria"}).content.decode()
    assert f'name="person" value="{maria.pk}"' in page
    assert 'name="recruited_by"' in page  # one "Brought by" picker for every result
    leaders = client.get(url("leader_pick"), {"q": "rosa"}).content.decode()
    assert f'data-value="{rosa.pk}"' in leaders  # Rosa leads: she can be credited
    response = client.post(
        url("rsvp_add", action_id=rally.pk), {"person": maria.pk, "recruited_by": rosa.pk}
    )
    assert response.status_code == 302
    rsvp = Rsvp.objects.get(action=rally, person=maria)
    assert (rsvp.recruited_by, rsvp.channel) == (rosa, Rsvp.Channel.STAFF)
    assert rsvp.credited_affiliate == tenant_union
    again = client.post(url("rsvp_add", action_id=rally.pk), {"person": maria.pk}, follow=True)
    assert "had already RSVP" in again.content.decode()
    assert Rsvp.objects.filter(action=rally).count() == 1
    listing = client.get(url("rsvps", action_id=rally.pk)).content.decode()
    assert "Rosa Quintero" in listing and "Entered by staff" in listing


def test_an_rsvp_for_someone_of_another_organization_is_not_found(client, organizer, rally, harbor):
    from powerbase.coalition.services import create_affiliate
    from powerbase.core import access
    from tests.conftest import add_member

    harbor_tenants = create_affiliate(actor=access.command_line(harbor), name="Harbor Tenants")
    elsewhere = add_member(harbor, harbor_tenants, "Ana", "Diaz")
    client.force_login(organizer)
    response = client.post(url("rsvp_add", action_id=rally.pk), {"person": elsewhere.pk})
    assert response.status_code == 404


def test_a_follow_up_before_the_meeting_is_shown_next_to_the_follow_up_field(
    client, organizer, maria
):
    client.force_login(organizer)
    today = timezone.localdate()
    response = client.post(
        url("one_on_one_new", person_id=maria.pk),
        {"held_on": today.isoformat(), "follow_up_on": (today - timedelta(days=2)).isoformat()},
    )
    form = response.context["form"]
    assert form.errors == {"follow_up_on": ["The follow-up date is before the meeting."]}
    assert b"has-error" in response.content and not form.non_field_errors()
