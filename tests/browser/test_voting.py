"""A member votes on a phone: the emailed link, a ranking made with one select per rank (no
dragging), the receipt, and then the published rounds with their ballot found by receipt."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from powerbase.democracy import services
from tests.democracy.conftest import (  # noqa: F401 - the democracy tests' fixtures
    assembly_vote,
    base,
    delegate_electorate,
    delegates,
    election,
    manager,
    members,
    printed_slips,
    voter_codes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_member_ranks_on_a_phone_checks_the_receipt_and_sees_the_rounds(
    phone,
    live_server,
    manager,
    election,
    run_jobs,
    screenshot,  # noqa: F811
):  # noqa: F811
    services.open_vote(actor=manager, vote=election)
    services.send_voting_links(actor=manager, vote=election, base_url=live_server.url)
    run_jobs()
    to_ana = next(m for m in mail.outbox if m.to == ["ana@tenants.example"])
    link = re.search(r"https?://\S+/vote/\S+/", to_ana.body).group(0)

    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Name the 2027 campaign")
    phone.get_by_label("1st choice").select_option("Our Towns")
    phone.get_by_label("2nd choice").select_option("Fair Share")
    assert fits_the_screen(phone)
    screenshot("ballot-phone")
    phone.get_by_role("button", name="Cast my ballot").click()
    expect(phone.get_by_role("heading", name="Your ballot is cast")).to_be_visible()
    receipt = phone.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", receipt)
    assert fits_the_screen(phone)
    screenshot("receipt-phone")

    # The others vote with their own links; Homes for All is eliminated and Ana's vote stays.
    codes = voter_codes(manager, election)
    for name, ranking in [
        ("bo", ["Fair Share"]),
        ("cyrus", ["Fair Share"]),
        ("dana", ["Our Towns"]),
        ("eli", ["Homes for All", "Our Towns"]),
        ("femi", ["Our Towns"]),
    ]:
        services.cast_ballot(code=codes[name], marks=[[choice] for choice in ranking])
    services.close_vote(actor=manager, vote=election)
    services.count_vote(actor=manager, vote=election)
    services.publish_results(actor=manager, vote=election)

    phone.get_by_role("link", name=re.compile(r"results")).click()
    phone.get_by_label("Your receipt code").fill(receipt)
    phone.get_by_role("button", name="Check").click()
    expect(phone.get_by_text("Your ballot is in the published ballot set")).to_be_visible()
    expect(phone.get_by_text("Elected: Our Towns")).to_be_visible()
    expect(phone.get_by_role("columnheader", name="Round 2")).to_be_attached()
    expect(phone.get_by_role("rowheader", name="Our Towns")).to_be_visible()
    assert fits_the_screen(phone)
    screenshot("results-phone")


def test_a_printed_code_typed_on_a_phone_opens_the_ballot(
    phone,
    live_server,
    manager,
    assembly_vote,
    screenshot,  # noqa: F811
):  # noqa: F811
    code = printed_slips(manager, assembly_vote)[0]
    phone.goto(f"{live_server.url}/vote/")
    phone.get_by_label("Your voting code").fill(code.lower().replace("-", " "))
    phone.get_by_role("button", name="Go to my ballot").click()
    expect(phone.get_by_label("1st choice")).to_be_visible()
    # Ranking by keyboard alone: focus the select and type the start of a name.
    phone.get_by_label("1st choice").focus()
    phone.keyboard.type("Dana")
    expect(phone.get_by_label("1st choice")).to_have_value("Dana Whitfield")
    phone.get_by_role("button", name="Cast my ballot").click()
    expect(phone.get_by_role("heading", name="Your ballot is cast")).to_be_visible()
    screenshot("printed-code-receipt-phone")
