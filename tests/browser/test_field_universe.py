"""On a laptop: build a universe while its count follows the filter, save it, cut it into
turfs and open one."""

import pytest
from playwright.sync_api import expect

from powerbase.core.models import Role
from powerbase.field.models import Universe
from powerbase.identity.models import VoterLink
from tests.browser.test_shell import sign_in
from tests.conftest import make_user
from tests.field.voters import make_voter_file

pytestmark = pytest.mark.browser


@pytest.fixture
def voter_file(transactional_db, data_dir, tmp_path, nutmeg, maria):
    make_voter_file(nutmeg, tmp_path / "source")
    VoterLink.objects.create(organization=nutmeg, person=maria, voter_id="F00001")
    make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")


def test_the_count_follows_the_filter_and_the_universe_is_cut_into_turfs(
    page, live_server, voter_file, screenshot
):
    sign_in(page, live_server, "rosa@nutmeg.example")
    page.goto(f"{live_server.url}/o/nutmeg/field/universes/new/")
    voters = page.locator("[data-count=voters]")
    expect(voters).to_have_text("48")
    page.get_by_label("Parties").fill("DEM")
    expect(voters).to_have_text("20")
    page.get_by_label("Membership").select_option("members")
    expect(voters).to_have_text("1")
    page.get_by_label("Membership").select_option("any")
    expect(voters).to_have_text("20")
    page.get_by_label("Name").fill("Democrats at home")
    screenshot("field-universe-form")
    page.get_by_role("button", name="Save universe").click()
    expect(page.get_by_role("heading", name="Democrats at home")).to_be_visible()
    assert Universe.objects.get().voter_count == 20

    page.get_by_label("Doors per turf").fill("10")
    page.get_by_role("button", name="Cut into turfs").click()
    expect(page.get_by_text("Cut into 3 turfs.")).to_be_visible()
    page.get_by_role("link", name="1. Hampden/PCT 1: Elm St").click()
    expect(page.get_by_role("link", name="Walk list (PDF)")).to_be_visible()
    expect(page.locator("#canvass-progress")).to_contain_text("0 of")
    screenshot("field-turf")
