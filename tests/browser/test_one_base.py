"""Walk the power map, the ladder and the legislature's official page for one district and
see the same count of the base on each (one definition: `identity.base`)."""

import pytest
from playwright.sync_api import expect

from powerbase.core.access import command_line
from powerbase.core.models import Role
from powerbase.legislature import services as legislature
from tests.browser.test_shell import sign_in
from tests.conftest import make_user
from tests.power.conftest import linked_base, voter_file  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_one_district_has_one_base_count_on_the_map_the_ladder_and_the_legislature(
    transactional_db,
    page,
    live_server,
    nutmeg,
    linked_base,
    screenshot,  # noqa: F811
):  # noqa: F811
    official = legislature.create_official(
        actor=command_line(nutmeg),
        name="Rep. Ada Quill",
        chamber="lower",
        district_code="1",
        party="DEM",
    )
    make_user(nutmeg, Role.ORGANIZER, email="olga@nutmeg.example")
    sign_in(page, live_server, "olga@nutmeg.example")

    page.goto(f"{live_server.url}/o/nutmeg/power/?kind=state_house&sort=district")
    on_map = page.locator('td[data-base-count="1"]')
    expect(on_map).to_have_text("5")
    expect(page.get_by_text("The base is everyone on our lists").first).to_be_visible()

    page.goto(f"{live_server.url}/o/nutmeg/ladder/")
    expect(page.get_by_role("heading", name="Funnel by district")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="State house district 1")
    expect(row.locator('td[data-label="Total"]')).to_have_text("5")

    page.goto(f"{live_server.url}/o/nutmeg/legislature/officials/{official.pk}/")
    expect(page.get_by_role("heading", name="The base in")).to_be_visible()
    expect(page.locator("[data-base-count]")).to_have_text("5")
    screenshot("one-base-official")
