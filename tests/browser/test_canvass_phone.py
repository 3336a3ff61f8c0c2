"""At a phone's width: a volunteer opens their turf from a link, without an account,
canvasses three doors and watches the progress change."""

import re

import pytest
from playwright.sync_api import expect

from powerbase.core import access
from powerbase.field import services
from powerbase.field.models import Attempt, Door
from powerbase.identity.models import VoterLink
from tests.field.voters import make_voter_file

pytestmark = pytest.mark.browser


@pytest.fixture
def volunteer_link(transactional_db, data_dir, tmp_path, nutmeg, maria):
    make_voter_file(nutmeg, tmp_path / "source")
    VoterLink.objects.create(organization=nutmeg, person=maria, voter_id="F00001")
    universe = services.save_universe(
        actor=access.command_line(nutmeg),
        name="Precinct 1 doors",
        filters={"precincts": ["Hampden/PCT 1"]},
        survey="Top issue? | Rent | Wages | Schools",
    )
    turf = services.cut_turfs(
        actor=access.command_line(nutmeg), universe=universe, doors_per_turf=10
    )[0]
    _link, token = services.create_link(actor=access.command_line(nutmeg), turf=turf, label="Jo")
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
    phone, live_server, volunteer_link, screenshot
):
    turf, token = volunteer_link
    doors = list(Door.objects.filter(turf=turf).order_by("position")[:3])
    phone.goto(f"{live_server.url}/canvass/{token}/")
    progress = phone.locator("#canvass-progress")
    expect(progress).to_contain_text(f"0 of {turf.goal} doors knocked")
    expect(phone.locator(f"#door-{doors[0].pk}").get_by_text("Member", exact=True)).to_be_visible()
    fits(phone)

    knock(phone, doors[0], "Talked", support="1 Strong support", issue="Rent")
    expect(progress).to_contain_text(f"1 of {turf.goal} doors knocked")
    expect(phone.locator(f"#door-{doors[0].pk} [data-latest=talked]")).to_have_text(
        "Talked · 1 Strong support"
    )
    knock(phone, doors[1], "Not home")
    expect(progress).to_contain_text(f"2 of {turf.goal} doors knocked")
    knock(phone, doors[2], "Refused")
    expect(progress).to_contain_text(f"3 of {turf.goal} doors knocked")
    expect(progress).to_contain_text("1 conversation")
    fits(phone)
    screenshot("field-canvass-phone")

    talked = Attempt.objects.get(door=doors[0])
    assert (talked.result, talked.support, talked.answers) == ("talked", 1, {"q1": "Rent"})
    assert Attempt.objects.filter(turf=turf).count() == 3
    phone.reload()
    expect(phone.locator("#canvass-progress")).to_contain_text(f"3 of {turf.goal} doors")


def test_a_result_recorded_without_signal_is_sent_when_the_signal_returns(
    phone, live_server, volunteer_link
):
    turf, token = volunteer_link
    door = Door.objects.filter(turf=turf).order_by("position").first()
    phone.goto(f"{live_server.url}/canvass/{token}/")
    phone.context.set_offline(True)
    knock(phone, door, "Talked", support="2 Lean support")
    expect(phone.locator("#canvass-queue")).to_contain_text("1 result is saved on this phone")
    assert not Attempt.objects.exists()
    phone.context.set_offline(False)
    expect(phone.locator("#canvass-progress")).to_contain_text(
        f"1 of {turf.goal} doors knocked", timeout=15000
    )
    expect(phone.locator("#canvass-queue")).to_be_hidden()
    assert Attempt.objects.get().support == 2


def test_the_walk_list_keeps_each_street_together_under_its_heading_with_directions(
    phone, live_server, volunteer_link
):
    small, _ = volunteer_link
    # Turfs of 25 doors: Elm St and Oak Ave of precinct 1 share one.
    turf = services.cut_turfs(
        actor=access.command_line(small.organization), universe=small.universe, doors_per_turf=25
    )[0]
    _link, token = services.create_link(
        actor=access.command_line(turf.organization), turf=turf, label="Sam"
    )
    phone.goto(f"{live_server.url}/canvass/{token}/")
    headings = phone.locator(".street-heading").all_inner_texts()
    assert headings == ["Elm St", "Oak Ave"]  # no street comes back later
    # Under each heading, only that street's doors, odd side up then even side down.
    items = phone.locator("ol.doors > li").all()
    street, seen = None, {}
    for item in items:
        if "street-heading" in (item.get_attribute("class") or ""):
            street = item.inner_text().strip()
            continue
        address = item.locator(".door-address").inner_text()
        assert street and address.endswith(street), f"{address} listed under {street}"
        seen.setdefault(street, []).append(int(address.split(". ", 1)[1].split()[0]))
    for numbers in seen.values():
        odd = [n for n in numbers if n % 2]
        even = [n for n in numbers if not n % 2]
        assert numbers == odd + even and odd == sorted(odd) and even == sorted(even)[::-1]
    first = Door.objects.filter(turf=turf).order_by("position").first()
    directions = phone.get_by_role("link", name=f"Directions to {first.address.title()}")
    expect(directions).to_have_attribute("href", re.compile(r"^https://www\.google\.com/maps/"))
