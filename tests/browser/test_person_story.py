"""A person's page tells their story: an RSVP, a check-in, a canvass answer and the ladder move
it caused, all made by this test, then filtered to one kind, at a phone's width."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.actions import ladder
from powerbase.actions import services as actions
from powerbase.actions.models import LadderLevel
from powerbase.core.access import command_line
from powerbase.core.models import Role
from powerbase.field import services as field
from powerbase.field.models import Door
from powerbase.identity.models import VoterLink
from tests.browser.test_shell import sign_in
from tests.conftest import act, make_user
from tests.field.voters import make_voter_file

pytestmark = pytest.mark.browser


@pytest.fixture
def marias_year(transactional_db, settings, tmp_path, nutmeg, maria):
    """María RSVPs to a rally and is checked in; a canvasser hears she strongly supports us,
    which the "Active" rung's rule counts."""
    settings.DATA_DIR = tmp_path / "data"
    organizer = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    organizing = act(organizer, nutmeg)
    make_voter_file(nutmeg, tmp_path / "source")
    VoterLink.objects.create(organization=nutmeg, person=maria, voter_id="F00001")

    rally = actions.create_action(
        actor=organizing,
        title="Rent rally on the Green",
        starts_at=timezone.now() + timedelta(days=2),
    )
    actions.record_rsvp(actor=organizing, action=rally, person=maria)
    actions.check_in(actor=organizing, action=rally, person=maria)

    ladder.levels(nutmeg)
    ladder.save_level(
        actor=organizing,
        level=LadderLevel.objects.get(organization=nutmeg, rank=1),
        values={"canvass_support_at_most": 1},
    )
    universe = field.save_universe(
        actor=command_line(nutmeg),
        name="Precinct 1 doors",
        filters={"precincts": ["Hampden/PCT 1"]},
        survey="Top issue? | Rent | Wages | Schools",
    )
    field.cut_turfs(actor=command_line(nutmeg), universe=universe, doors_per_turf=10)
    door = next(
        door
        for door in Door.objects.filter(turf__universe=universe)
        if any(voter["voter_id"] == "F00001" for voter in door.voters)
    )
    field.record_attempt(
        actor=organizing,
        door=door,
        result="talked",
        support=1,
        answers={"q1": "Rent"},
        voter_id="F00001",
    )
    return maria


def test_the_person_page_tells_what_the_test_did_and_filters_it(
    phone, live_server, marias_year, screenshot
):
    sign_in(phone, live_server, "rosa@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/people/{marias_year.pk}/")
    story = phone.locator("#story")
    expect(story.get_by_role("heading", name="Story")).to_be_visible()
    expect(story.get_by_text("RSVP'd to Rent rally on the Green")).to_be_visible()
    expect(story.get_by_text("Checked in at Rent rally on the Green")).to_be_visible()
    expect(story.get_by_text("Talked, support 1 Strong support")).to_be_visible()
    expect(story.get_by_text("Top issue? Rent")).to_be_visible()
    expect(story.get_by_text("Moved up the ladder: Member → Active")).to_be_visible()
    expect(
        story.get_by_text(
            "moved by rule: Active: told a canvasser support 1 or stronger (1 = strong support)"
        )
    ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("people-story-phone")

    phone.get_by_label("Show").select_option(label="Canvass")
    expect(phone).to_have_url(f"{live_server.url}/o/nutmeg/people/{marias_year.pk}/?story=canvass")
    expect(story.get_by_text("Top issue? Rent")).to_be_visible()
    expect(story.get_by_text("Checked in at Rent rally on the Green")).to_have_count(0)
    expect(story.locator("li")).to_have_count(1)
