"""A data director walks the review queue: accepts a pair with one key, undoes the merge,
then rejects the pair by tapping a button at a phone's width."""

import pytest
from playwright.sync_api import expect

from powerbase.core.models import Role
from powerbase.identity import services
from powerbase.identity.models import CandidatePair
from tests.browser.test_shell import sign_in
from tests.conftest import act, make_user
from tests.identity.conftest import base as base  # noqa: F401 - the crafted people
from tests.identity.conftest import run_job

pytestmark = pytest.mark.browser


@pytest.fixture
def queue(transactional_db, nutmeg, base):  # noqa: F811
    director = make_user(nutmeg, Role.DATA, email="dmitri@nutmeg.example")
    run_job(services.start_dedupe(actor=act(director, nutmeg)))
    return CandidatePair.objects.get(status=CandidatePair.Status.PENDING)


def test_accept_a_pair_by_key_then_undo_the_merge(
    page,
    live_server,
    queue,
    base,  # noqa: F811
    screenshot,
):
    sign_in(page, live_server, "dmitri@nutmeg.example")
    page.goto(f"{live_server.url}/o/nutmeg/identity/review/")
    expect(page.get_by_role("heading", name="Bill Ochoa")).to_be_visible()
    expect(page.get_by_text("nickname (e.g. Bill and William)")).to_be_visible()
    screenshot("identity-review")

    page.keyboard.press("a")
    expect(page.get_by_text("Merged William Ochoa into Bill Ochoa.")).to_be_visible()
    base["william"].refresh_from_db()
    assert base["william"].merged_into == base["bill"]
    screenshot("identity-merged")

    page.keyboard.press("u")
    expect(page.get_by_text("are separate records again")).to_be_visible()
    base["william"].refresh_from_db()
    assert base["william"].merged_into is None
    # The pair is back, waiting for a decision.
    expect(page.get_by_role("heading", name="Bill Ochoa")).to_be_visible()


def test_reject_a_pair_by_tapping_on_a_phone(phone, live_server, queue, screenshot):
    sign_in(phone, live_server, "dmitri@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/identity/review/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="Reject: different people (R)").click()
    expect(phone.get_by_text("Nothing waits for review")).to_be_visible()
    screenshot("identity-review-phone")
    queue.refresh_from_db()
    assert queue.status == CandidatePair.Status.REJECTED
