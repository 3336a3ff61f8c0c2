"""Canvass results reach the person spoken to: their story and the ladder."""

import pytest

from powerbase.actions import ladder
from powerbase.actions.models import LadderLevel, LadderMove
from powerbase.field import services
from powerbase.field.models import Door
from powerbase.people import queries, timeline
from tests.conftest import act


@pytest.fixture
def marias_door(turfs, maria_registered) -> Door:
    return next(
        door
        for turf in turfs
        for door in turf.doors.all()
        if any(voter["voter_id"] == "F00001" for voter in door.voters)
    )


@pytest.fixture
def supporters_rung(organizer_actor, nutmeg):
    """A rung for members who told a canvasser they support us (1 or 2 on the usual scale)."""
    ladder.levels(nutmeg)
    return ladder.save_level(
        actor=organizer_actor,
        level=None,
        values={
            "name": "Supporter",
            "rank": 4,
            "canvass_support_at_most": 2,
            "description": "Told a canvasser they support us.",
        },
    )


def canvass_story(actor, person) -> list[timeline.Event]:
    page = queries.person_page(actor, person.pk)
    return timeline.story(actor, page.person, page.visibility, kind="canvass").events


def test_a_canvass_conversation_appears_on_the_persons_story_with_score_and_answers(
    organizer_actor, leader_actor, marias_door, maria_registered, director
):
    services.record_attempt(
        actor=leader_actor,
        door=marias_door,
        result="talked",
        support=1,
        answers={"q1": "Rent", "q2": "Yes"},
        voter_id="F00001",
    )
    [event] = canvass_story(director, maria_registered)
    assert event.title == (
        f"Canvassed in turf {marias_door.turf.number} (HD 10 doors): "
        "Talked, support 1 Strong support"
    )
    assert event.detail == "Top issue? Rent · Will you vote in the primary? Yes"


def test_the_door_address_is_shown_only_where_the_persons_address_may_be(
    director, leader_actor, marias_door, maria_registered
):
    """María's tenant union withholds contact details; as a direct member the address shows."""
    services.record_attempt(
        actor=leader_actor, door=marias_door, result="talked", support=2, voter_id="F00001"
    )
    assert "1 Elm St" not in canvass_story(director, maria_registered)[0].title
    type(maria_registered).objects.filter(pk=maria_registered.pk).update(is_direct_member=True)
    assert canvass_story(director, maria_registered)[0].title.startswith(
        f"Canvassed at {marias_door.address}"
    )


def test_a_support_score_moves_the_member_up_by_the_canvass_rule_and_back_down(
    supporters_rung, leader_actor, marias_door, maria_registered, director
):
    services.record_attempt(
        actor=leader_actor, door=marias_door, result="talked", support=1, voter_id="F00001"
    )
    move = LadderMove.objects.filter(person=maria_registered).first()
    assert move.to_level == supporters_rung
    assert move.rule == ("Supporter: told a canvasser support 2 or stronger (1 = strong support)")
    page = queries.person_page(director, maria_registered.pk)
    [event] = timeline.story(director, page.person, page.visibility, kind="ladder").events
    assert event.detail.startswith("moved by rule: Supporter: told a canvasser")
    services.record_attempt(
        actor=leader_actor, door=marias_door, result="talked", support=4, voter_id="F00001"
    )
    maria_registered.ladder_standing.refresh_from_db()
    assert maria_registered.ladder_standing.level.rank == 0, "the latest score counts"


def test_a_score_that_names_no_voter_moves_nobody(
    supporters_rung, leader_actor, marias_door, maria_registered
):
    services.record_attempt(actor=leader_actor, door=marias_door, result="talked", support=1)
    assert not LadderMove.objects.filter(person=maria_registered, to_level=supporters_rung).exists()


def test_an_affiliate_lead_sees_no_canvass_results(
    affiliate_lead, nutmeg, leader_actor, marias_door, maria_registered
):
    services.record_attempt(
        actor=leader_actor, door=marias_door, result="talked", support=1, voter_id="F00001"
    )
    assert canvass_story(act(affiliate_lead, nutmeg), maria_registered) == []


def test_the_ladder_rule_form_takes_a_support_score_from_1_to_5(nutmeg):
    from powerbase.actions.forms import LadderLevelForm

    form = LadderLevelForm({"name": "Supporter", "rank": 5, "canvass_support_at_most": 9})
    assert not form.is_valid() and "canvass_support_at_most" in form.errors
    assert LadderLevel._meta.get_field("canvass_support_at_most").help_text.startswith(
        "Told a canvasser"
    )
