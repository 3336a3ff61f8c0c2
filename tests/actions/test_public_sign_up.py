"""The public RSVP page and the calendar feed: no login, no leaks, no spam."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from powerbase.actions import services, signup
from powerbase.actions.models import PublicSubmission, Rsvp
from powerbase.people.models import Person, Source

FORM = {
    "given_name": "Dolores",
    "family_name": "Huerta-Vale",
    "email": "dolores@example.org",
    "phone": "",
    "website": "",
    "by": "",
}


def page(action) -> str:
    return reverse(
        "actions:sign_up", kwargs={"org_slug": action.organization.slug, "action_id": action.pk}
    )


def test_a_new_person_signs_up_and_is_added_with_the_form_as_source(client, rally):
    response = client.post(page(rally), FORM)
    assert response.status_code == 302
    person = Person.objects.get(family_name="Huerta-Vale")
    assert person.source.kind == Source.Kind.FORM
    assert person.source.label == "Sign-up page: Rally at the Capitol"
    assert person.is_direct_member
    rsvp = Rsvp.objects.get(action=rally)
    assert (rsvp.person, rsvp.channel) == (person, Rsvp.Channel.FORM)
    thanks = client.get(response["Location"])
    assert b"You're signed up" in thanks.content


def test_a_returning_person_is_matched_by_email_and_their_record_left_alone(client, rally, maria):
    client.post(
        page(rally),
        {
            **FORM,
            "given_name": "Someone",
            "family_name": "Else",
            "email": "MARIA@tenants.example",
            "phone": "203 555 0999",
        },
    )
    assert Rsvp.objects.get(action=rally).person == maria
    assert Person.objects.count() == 1
    maria.refresh_from_db()
    assert maria.given_name == "María"
    assert [p.e164 for p in maria.phones.all()] == ["+12035550123"]


def test_a_returning_person_is_matched_by_phone_and_family_name(client, rally, maria):
    client.post(
        page(rally),
        {
            **FORM,
            "given_name": "Maria",
            "family_name": "Gonzalez",
            "email": "",
            "phone": "(203) 555-0123",
        },
    )
    assert Rsvp.objects.get(action=rally).person == maria


def test_a_shared_household_phone_with_another_name_is_someone_new(client, rally, maria):
    client.post(page(rally), {**FORM, "email": "", "phone": "(203) 555-0123"})
    assert Rsvp.objects.get(action=rally).person != maria
    assert Person.objects.count() == 2


def test_the_page_never_shows_who_else_signed_up(client, rally, maria, organizing):
    services.record_rsvp(actor=organizing, action=rally, person=maria)
    for response in (client.get(page(rally)), client.post(page(rally), FORM, follow=True)):
        assert b"Gonz" not in response.content and b"tenants.example" not in response.content
        assert b"1 RSVP" not in response.content


def test_the_answer_is_the_same_for_a_known_and_an_unknown_email(client, rally, maria):
    known = client.post(page(rally), {**FORM, "email": "maria@tenants.example"}, follow=True)
    unknown = client.post(page(rally), {**FORM, "email": "new@example.org"}, follow=True)
    assert without_csrf_token(known.content) == without_csrf_token(unknown.content)


def without_csrf_token(html: bytes) -> bytes:
    return re.sub(rb'"X-CSRFToken": "[^"]*"', b"", html)


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_saved(client, rally):
    response = client.post(page(rally), {**FORM, "website": "http://spam.example"}, follow=True)
    assert b"You're signed up" in response.content
    assert not Rsvp.objects.exists() and not Person.objects.exists()
    assert PublicSubmission.objects.get().was_refused


def test_a_client_posting_too_often_is_refused_for_a_while(client, rally):
    for number in range(signup.LIMIT):
        client.post(page(rally), {**FORM, "email": f"person{number}@example.org"})
    response = client.post(page(rally), {**FORM, "email": "one-more@example.org"})
    assert response.status_code == 429
    assert b"too many sign-ups from your connection" in response.content
    assert Rsvp.objects.count() == signup.LIMIT
    other = client.post(
        page(rally), {**FORM, "email": "neighbour@example.org"}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_sign_up_needs_an_email_or_a_phone(client, rally):
    response = client.post(page(rally), {**FORM, "email": "", "phone": ""})
    assert response.status_code == 200
    assert b"Give an email address or a mobile phone number" in response.content


def test_a_bad_phone_number_is_named_in_the_error(client, rally):
    response = client.post(page(rally), {**FORM, "phone": "555-01"})
    assert "“555-01” is not a phone number".encode() in response.content


def test_a_recruiters_link_credits_them(client, rally, rosa, tenant_union):
    token = signup.recruiter_token(rally, leader=rosa)
    client.post(page(rally), {**FORM, "by": token})
    rsvp = Rsvp.objects.get(action=rally)
    assert rsvp.recruited_by == rosa
    assert rsvp.credited_affiliate == tenant_union


def test_a_tampered_recruiter_link_credits_nobody(client, rally, rosa, organizing):
    other = services.create_action(
        actor=organizing,
        title="Other",
        starts_at=timezone.now() + timedelta(days=3),
        is_public=True,
    )
    client.post(page(rally), {**FORM, "by": signup.recruiter_token(other, leader=rosa)})
    client.post(page(rally), {**FORM, "email": "x@example.org", "by": "p:1:forged"})
    assert list(Rsvp.objects.values_list("recruited_by", flat=True)) == [None, None]


def test_a_person_may_say_which_committed_affiliate_they_came_with(
    client, rally, organizing, teachers_union
):
    services.set_commitment(actor=organizing, action=rally, affiliate=teachers_union, number=5)
    assert teachers_union.name.encode() in client.get(page(rally)).content
    client.post(page(rally), {**FORM, "affiliate": teachers_union.pk})
    assert Rsvp.objects.get().credited_affiliate == teachers_union


@pytest.mark.parametrize("public", [False, True])
def test_only_public_actions_take_sign_ups(client, organizing, public):
    action = services.create_action(
        actor=organizing,
        title="Steering committee",
        starts_at=timezone.now() + timedelta(days=2),
        is_public=public,
    )
    assert client.get(page(action)).status_code == (200 if public else 404)


def test_sign_ups_close_when_the_action_starts(client, rally):
    from tests.actions.conftest import hold

    hold(rally)
    response = client.post(page(rally), FORM)
    assert b"sign-ups are closed" in response.content
    assert not Rsvp.objects.exists()


def test_the_sign_up_page_fits_a_phone_and_has_no_inline_script(client, rally):
    response = client.get(page(rally))
    assert b'name="viewport"' in response.content
    assert b"<script>" not in response.content and b"style=" not in response.content


def test_the_calendar_feed_lists_public_actions_only(client, rally, organizing, nutmeg):
    services.create_action(
        actor=organizing, title="Steering committee", starts_at=timezone.now() + timedelta(days=2)
    )
    response = client.get(reverse("actions:calendar", kwargs={"org_slug": nutmeg.slug}))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Rally at the Capitol"]
    assert str(events[0]["URL"]).endswith(page(rally))
    assert str(events[0]["LOCATION"]) == "Capitol steps"
    assert events[0].decoded("DTSTART") == rally.starts_at.replace(microsecond=0)
