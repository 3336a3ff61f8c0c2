"""At a phone's width: move an undecided senator to yes on a live whip count and watch the
count change without a page load (htmx swaps the row and the count)."""

import pytest
from playwright.sync_api import expect

from powerbase.core.models import Role
from powerbase.legislature import services
from powerbase.legislature.models import Chamber, WhipStance
from tests.browser.test_shell import sign_in
from tests.conftest import act, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def budget_fight(transactional_db, nutmeg):
    """A fictional senate of four and a budget fight needing three votes; Ada is undecided."""
    organizer = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    organizing = act(organizer, nutmeg)
    senators = {}
    for number, name in enumerate(["Ada Quill", "Bea Marsh", "Cy Thorne", "Dov Elling"], 1):
        given, family = name.split()
        senators[given] = services.create_official(
            actor=organizing,
            name=name,
            given_name=given,
            family_name=family,
            chamber=Chamber.UPPER,
            district_code=str(number),
            party="Working Families",
        )
    board = services.create_whip_board(
        actor=organizing,
        chamber=Chamber.UPPER,
        needed=3,
        title="Fund the schools: $300M (fictional)",
    )
    services.set_stance(
        actor=organizing, board=board, official=senators["Bea"], stance="yes", source="Floor speech"
    )
    services.set_stance(
        actor=organizing,
        board=board,
        official=senators["Ada"],
        stance="undecided",
        source="Lobby visit",
    )
    return board, senators


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_update_a_whip_count_on_a_phone(phone, live_server, budget_fight, screenshot):
    board, senators = budget_fight
    sign_in(phone, live_server, "rosa@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/legislature/whip/{board.pk}/")
    expect(phone.get_by_role("heading", name="Fund the schools: $300M (fictional)")).to_be_visible()
    likely = phone.get_by_test_id("likely")
    expect(likely).to_have_text("1")
    expect(phone.get_by_text("— 2 short")).to_be_visible()
    fits(phone)
    screenshot("legislature-whip-phone-before")

    ada = phone.locator(f"#official-{senators['Ada'].pk}")
    ada.get_by_label("Stance of Ada Quill", exact=True).select_option("yes")
    ada.get_by_label("How we know (Ada Quill)").fill("Called our member back")
    url_before = phone.url
    ada.get_by_role("button", name="Save the stance of Ada Quill").click()
    expect(likely).to_have_text("2")
    expect(phone.get_by_text("— 1 short")).to_be_visible()
    ada = phone.locator(f"#official-{senators['Ada'].pk}")
    expect(ada.locator(".whip-now")).to_contain_text("Yes")
    expect(ada.locator(".whip-now")).to_contain_text("Called our member back")
    expect(ada.get_by_text("History (2)")).to_be_visible()
    assert phone.url == url_before  # swapped in place, no page load

    cy = phone.locator(f"#official-{senators['Cy'].pk}")
    cy.get_by_label("Stance of Cy Thorne", exact=True).select_option("lean_yes")
    cy.get_by_role("button", name="Save the stance of Cy Thorne").click()
    expect(likely).to_have_text("3")
    expect(phone.get_by_text("— enough to pass")).to_be_visible()
    fits(phone)
    screenshot("legislature-whip-phone-after")
    assert WhipStance.objects.filter(board=board).count() == 4
