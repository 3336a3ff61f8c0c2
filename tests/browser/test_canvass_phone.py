"""At a phone's width: a volunteer opens their turf from a link, without an account,
canvasses three doors and watches the progress change."""

import pytest
from playwright.sync_api import expect

from powerbase.field import services
from powerbase.field.models import Attempt, Door
from powerbase.identity.models import VoterLink
from tests.field.voters import make_voter_file

pytestmark = pytest.mark.browser


@pytest.fixture
def volunteer_link(transactional_db, settings, tmp_path, nutmeg, maria):
    settings.DATA_DIR = tmp_path / "data"
    make_voter_file(nutmeg, tmp_path / "source")
    VoterLink.objects.create(organization=nutmeg, person=maria, voter_id="F00001")
    universe = services.save_universe(
        actor=None, organization=nutmeg, name="Precinct 1 doors",
        filters={"precincts": ["Hampden/PCT 1"]},
        survey="Top issue? | Rent | Wages | Schools")
    turf = services.cut_turfs(actor=None, universe=universe, doors_per_turf=10)[0]
    _link, token = services.create_link(actor=None, organization=nutmeg, turf=turf,
                                        label="Jo")
    return turf, token


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def knock(page, door: Door, result: str, *, support: str = "", issue: str = "") -> None:
    card = page.locator(f"#door-{door.pk}")
    card.locator("summary").click()
    if support:
        card.get_by_label(support, exact=True).check()
    if issue:
        card.get_by_label("Top issue?").select_option(issue)
    card.get_by_role("button", name=result, exact=True).click()


def test_a_volunteer_canvasses_three_doors_and_sees_the_progress_change(
        phone, live_server, volunteer_link, screenshot):
    turf, token = volunteer_link
    doors = list(Door.objects.filter(turf=turf).order_by("position")[:3])
    phone.goto(f"{live_server.url}/canvass/{token}/")
    progress = phone.locator("#canvass-progress")
    expect(progress).to_contain_text(f"0 of {turf.goal} doors knocked")
    expect(phone.locator(f"#door-{doors[0].pk}").get_by_text("Member", exact=True)).to_be_visible()
    fits(phone)

    knock(phone, doors[0], "Talked", support="5", issue="Rent")
    expect(progress).to_contain_text(f"1 of {turf.goal} doors knocked")
    expect(phone.locator(f"#door-{doors[0].pk} [data-latest=talked]")).to_be_visible()
    knock(phone, doors[1], "Not home")
    expect(progress).to_contain_text(f"2 of {turf.goal} doors knocked")
    knock(phone, doors[2], "Refused")
    expect(progress).to_contain_text(f"3 of {turf.goal} doors knocked")
    expect(progress).to_contain_text("1 conversation")
    fits(phone)
    screenshot("field-canvass-phone")

    talked = Attempt.objects.get(door=doors[0])
    assert (talked.result, talked.support, talked.answers) == ("talked", 5, {"q1": "Rent"})
    assert Attempt.objects.filter(turf=turf).count() == 3
    phone.reload()
    expect(phone.locator("#canvass-progress")).to_contain_text(f"3 of {turf.goal} doors")


def test_a_result_recorded_without_signal_is_sent_when_the_signal_returns(
        phone, live_server, volunteer_link):
    turf, token = volunteer_link
    door = Door.objects.filter(turf=turf).order_by("position").first()
    phone.goto(f"{live_server.url}/canvass/{token}/")
    phone.context.set_offline(True)
    knock(phone, door, "Talked", support="4")
    expect(phone.locator("#canvass-queue")).to_contain_text("1 result is saved on this phone")
    assert not Attempt.objects.exists()
    phone.context.set_offline(False)
    expect(phone.locator("#canvass-progress")).to_contain_text(
        f"1 of {turf.goal} doors knocked", timeout=15000)
    expect(phone.locator("#canvass-queue")).to_be_hidden()
    assert Attempt.objects.get().support == 4
