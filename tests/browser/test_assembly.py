"""A delegates' assembly run from the organizer's screen: check-in from the assembly's roster,
a non-delegate refused, quorum, an in-person vote whose codes go only to delegates present
(an absent delegate's code refused), voting with the slips, and the published result."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.democracy import services
from tests.conftest import PASSWORD
from tests.democracy.conftest import (  # noqa: F401 - the democracy tests' fixtures
    base,
    delegate_electorate,
    delegates,
    manager,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assembly_and_vote(manager, delegate_electorate):  # noqa: F811
    assembly = services.create_assembly(
        actor=manager,
        title="Spring delegates assembly",
        starts_at=timezone.now(),
        location="Union Hall",
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=3),
    )
    vote = services.create_vote(
        actor=manager,
        title="Chair of the assembly",
        method="irv",
        electorate=delegate_electorate,
        assembly=assembly,
    )
    for name in ["Ana Reyes", "Dana Whitfield", "Bo Lindgren"]:
        services.add_candidate(actor=manager, vote=vote, name=name)
    return assembly, vote


def check_in(page, name: str, guest: bool = False) -> None:
    page.get_by_label("Check in").fill(name)
    if guest:
        page.get_by_label(re.compile("As a guest")).check()
    page.get_by_role("button", name="Check in").click()


def test_an_in_person_assembly_from_check_in_to_published_result(
    page,
    live_server,
    manager,
    assembly_and_vote,
    screenshot,  # noqa: F811
):  # noqa: F811
    assembly, vote = assembly_and_vote
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(manager.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/o/nutmeg/democracy/assemblies/{assembly.pk}/")

    check_in(page, "Ana Reyes")
    expect(
        page.get_by_text("Checked in Ana Reyes (Quinnipiac Tenants Union, delegate)")
    ).to_be_visible()
    check_in(page, "Gus Halvorsen")  # a member, but no delegate and no proxy
    expect(page.get_by_text(re.compile("Gus Halvorsen is not on the roster"))).to_be_visible()
    for name in ["Bo Lindgren", "Dana Whitfield"]:
        check_in(page, name)
    expect(page.get_by_text("3 of 4", exact=True)).to_be_visible()
    expect(page.get_by_text("Quorum: 3 of 4 present, 3 needed. Met.")).to_be_visible()
    screenshot("assembly-check-in")

    page.get_by_role("link", name="Chair of the assembly").click()
    page.get_by_role("button", name="Open voting").click()
    expect(page.get_by_text("Voting is open.")).to_be_visible()

    # Eli is absent: the roll refuses a code for Eli.
    page.get_by_role("link", name="Voter roll").click()
    page.get_by_role("button", name="Hand a code to Eli Marchetti").click()
    expect(page.get_by_text(re.compile("Eli Marchetti has not checked in"))).to_be_visible()

    page.goto(f"{live_server.url}/o/nutmeg/democracy/votes/{vote.pk}/")
    page.get_by_role("button", name="Print codes for everyone checked in who has not voted").click()
    expect(page.get_by_text("Hand one slip to each of these 3")).to_be_visible()
    codes = page.locator(".slip-code").all_inner_texts()
    assert len(codes) == 3
    screenshot("assembly-slips")

    for code, choice in zip(codes, ["Dana Whitfield", "Dana Whitfield", "Ana Reyes"], strict=True):
        page.goto(f"{live_server.url}/vote/")
        page.get_by_label("Your voting code").fill(code)
        page.get_by_role("button", name="Go to my ballot").click()
        page.get_by_label("1st choice").select_option(choice)
        page.get_by_role("button", name="Cast my ballot").click()
        expect(page.get_by_role("heading", name="Your ballot is cast")).to_be_visible()
    # A used slip does not vote twice.
    page.goto(f"{live_server.url}/vote/")
    page.get_by_label("Your voting code").fill(codes[0])
    page.get_by_role("button", name="Go to my ballot").click()
    expect(page.get_by_text("That code is not valid")).to_be_visible()

    page.goto(f"{live_server.url}/o/nutmeg/democracy/votes/{vote.pk}/")
    for button in ["Close voting", "Count the ballots", "Publish the results"]:
        page.get_by_role("button", name=button).click()
    expect(page.get_by_text("Published the results and the ballot set.")).to_be_visible()
    expect(page.get_by_text("Elected: Dana Whitfield")).to_be_visible()
    expect(page.get_by_text("3 of 4 voted (75%)")).to_be_visible()
    screenshot("assembly-result")
