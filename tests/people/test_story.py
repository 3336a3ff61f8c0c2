"""A person's story: everything done with them, newest first, filterable, fast when long."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import services as actions
from powerbase.actions.models import Action
from powerbase.people import queries, timeline
from tests.actions.conftest import hold
from tests.conftest import act, add_member


@pytest.fixture
def organizing(organizer, nutmeg):
    return act(organizer, nutmeg)


@pytest.fixture
def rally(organizing):
    return actions.create_action(
        actor=organizing,
        title="Rally at the Capitol",
        starts_at=timezone.now() + timedelta(days=7),
        is_structure_test=True,
    )


def story_of(actor, person, **options) -> timeline.Story:
    page = queries.person_page(actor, person.pk)
    return timeline.story(actor, page.person, page.visibility, **options)


def titles(story: timeline.Story) -> list[str]:
    return [event.title for event in story.events]


def test_the_story_tells_rsvps_check_ins_one_on_ones_and_ladder_moves_newest_first(
    organizing, rally, maria
):
    actions.record_rsvp(actor=organizing, action=rally, person=maria)
    hold(rally, days_ago=0)
    actions.check_in(actor=organizing, action=rally, person=maria)
    actions.log_one_on_one(
        actor=organizing,
        person=maria,
        held_on=timezone.localdate(),
        commitment="Bring two neighbours",
    )
    story = story_of(organizing, maria)
    kinds = [event.kind for event in story.events]
    assert {"rsvp", "attendance", "one_on_one", "ladder", "membership", "records"} <= set(kinds)
    assert "RSVP'd to Rally at the Capitol" in titles(story)[kinds.index("rsvp")]
    assert titles(story)[kinds.index("attendance")] == "Checked in at Rally at the Capitol"
    assert kinds.index("attendance") < kinds.index("rsvp"), "newest first"
    ladder = story.events[kinds.index("ladder")]
    assert ladder.title == "Placed on the ladder: Member"
    assert ladder.detail == "moved by rule: Member: In the base."
    dates = [event.at for event in story.events]
    assert dates == sorted(dates, reverse=True)


def test_a_check_in_that_meets_a_rung_says_which_rule_moved_them(organizing, nutmeg, maria):
    for days_ago in (3, 2):
        action = actions.create_action(
            actor=organizing,
            title=f"Meeting {days_ago}",
            starts_at=timezone.now() + timedelta(days=1),
        )
        hold(action, days_ago=days_ago)
        actions.check_in(actor=organizing, action=action, person=maria)
    ladder = story_of(organizing, maria, kind="ladder")
    assert titles(ladder)[0] == "Moved up the ladder: Member → Active"
    assert ladder.events[0].detail == ("moved by rule: Active: attended 2 actions within 90 days")


def test_a_leaders_commitment_shows_what_they_promised_then_what_they_delivered(
    organizing, rally, nutmeg, tenant_union, maria
):
    rosa = add_member(nutmeg, tenant_union, "Rosa", "Quintero")
    actions.set_commitment(actor=organizing, action=rally, leader=rosa, number=3)
    assert titles(story_of(organizing, rosa, kind="commitment")) == [
        "Committed to bring 3 to Rally at the Capitol"
    ]
    hold(rally, days_ago=0)
    actions.check_in(
        actor=organizing, action=rally, person=maria, credit=actions.Credit(recruited_by=rosa)
    )
    assert titles(story_of(organizing, rosa, kind="commitment")) == [
        "Delivered 1 of 3 committed to Rally at the Capitol"
    ]


def test_filtering_by_kind_shows_only_that_kind(organizing, rally, maria):
    actions.record_rsvp(actor=organizing, action=rally, person=maria)
    story = story_of(organizing, maria, kind="rsvp")
    assert [event.kind for event in story.events] == ["rsvp"]
    assert story_of(organizing, maria, kind="nonsense").kind == "", "unknown kinds show all"


def test_a_long_story_is_cut_with_more_to_show(organizing, maria):
    for number in range(6):
        action = actions.create_action(
            actor=organizing,
            title=f"Action {number}",
            starts_at=timezone.now() + timedelta(days=number + 1),
        )
        actions.record_rsvp(actor=organizing, action=action, person=maria)
    first = story_of(organizing, maria, kind="rsvp", limit=4)
    assert len(first.events) == 4 and first.has_more and first.more_limit == 8
    assert not story_of(organizing, maria, kind="rsvp", limit=8).has_more


def test_the_person_page_costs_the_same_queries_for_a_long_story(
    client, organizer, nutmeg, organizing, maria
):
    url = reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": maria.pk})
    client.force_login(organizer)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    action = actions.create_action(
        actor=organizing, title="First", starts_at=timezone.now() + timedelta(days=1)
    )
    actions.record_rsvp(actor=organizing, action=action, person=maria)
    short = queries_for_page()
    for number in range(15):
        action = Action.objects.create(
            organization=nutmeg,
            title=f"Action {number}",
            starts_at=timezone.now() - timedelta(days=number + 1),
        )
        actions.record_rsvp(actor=organizing, action=action, person=maria)
        actions.check_in(actor=organizing, action=action, person=maria)
    assert queries_for_page() == short
    assert short <= 45


def test_the_page_filters_and_shows_more_with_htmx(
    client, organizer, nutmeg, organizing, rally, maria
):
    actions.record_rsvp(actor=organizing, action=rally, person=maria)
    client.force_login(organizer)
    url = reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": maria.pk})
    page = client.get(url, {"story": "rsvp", "shown": "1"}, HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert page.status_code == 200 and body.lstrip().startswith('<section id="story"')
    assert "RSVP&#x27;d to Rally at the Capitol" in body
    assert "Checked in" not in body and "Member of" not in body
    assert client.get(url, {"shown": "lots"}).status_code == 200
