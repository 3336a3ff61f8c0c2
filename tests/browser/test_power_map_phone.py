"""At a phone's width: read the power map, sort it, open a district that stands out."""

import pytest
from playwright.sync_api import expect

from powerbase.core.models import Role
from tests.browser.test_shell import sign_in
from tests.conftest import make_user
from tests.power.conftest import linked_base, voter_file  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_read_the_power_map_and_a_district_on_a_phone(
    transactional_db,
    phone,
    live_server,
    nutmeg,
    linked_base,
    screenshot,  # noqa: F811
):  # noqa: F811
    make_user(nutmeg, Role.VIEWER, email="vera@nutmeg.example")
    sign_in(phone, live_server, "vera@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/power/")
    expect(phone.get_by_role("heading", name="Power map")).to_be_visible()
    expect(phone.get_by_role("img", name="Win number and base voters")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("power-map-phone")
    phone.get_by_label("Sort by").select_option(label="Members")  # htmx redraws the map
    expect(phone).to_have_url(
        f"{live_server.url}/o/nutmeg/power/?kind=state_house&party=DEM&sort=members"
    )
    first = phone.locator("table.power-map tbody tr").first
    # The flag now marks only districts where the base changes the outcome; the page says how.
    expect(phone.get_by_text("where the base is close to decisive")).to_be_visible()
    first.get_by_role("link").click()
    expect(
        phone.get_by_role("heading", name="Base composition against the district")
    ).to_be_visible()
    expect(phone.get_by_text("Win number", exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("power-map-district-phone")
