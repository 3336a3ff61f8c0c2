"""A person signs in, switches organization, is refused another's page and signs out."""

import re

import pytest
from playwright.sync_api import expect

from powerbase.core import access, services
from powerbase.core.models import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def rosa(nutmeg, harbor, transactional_db):
    """An organizer in Nutmeg who is also an admin of Elm City; Harbor is someone else's."""
    elm_city = services.create_organization(
        name="Elm City For All",
        slug="elm-city",
        level="local",
        state="CT",
        parent=nutmeg,
        require_two_factor=False,
    )
    user = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    services.grant_role(user=user, role=Role.ADMIN, granted_by=access.command_line(elm_city))
    make_user(harbor, Role.OWNER)
    return user


def sign_in(page, live_server, email: str):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_switch_organization_be_refused_and_sign_out(page, live_server, rosa, screenshot):
    sign_in(page, live_server, rosa.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nutmeg For All")
    expect(page.get_by_text("You are signed in as organizer")).to_be_visible()
    screenshot("dashboard-desktop")

    page.get_by_label(re.compile("Switch organization")).click()
    page.get_by_role("link", name="Elm City For All").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elm City For All")
    expect(page.get_by_text("You are signed in as admin")).to_be_visible()

    page.get_by_role("link", name="Users & roles").click()
    expect(page.get_by_role("cell", name="rosa@nutmeg.example")).to_be_visible()
    screenshot("users-and-roles")

    response = page.goto(f"{live_server.url}/o/harbor/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_text("Harbor For All")).to_have_count(0)

    page.goto(f"{live_server.url}/o/nutmeg/")
    page.get_by_label(re.compile("Your account")).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    assert page.goto(f"{live_server.url}/o/nutmeg/").url.startswith(f"{live_server.url}/login/")


def test_a_viewer_is_told_plainly_when_a_page_is_not_for_their_role(
    page, live_server, nutmeg, transactional_db, screenshot
):
    make_user(nutmeg, Role.VIEWER, email="vera@nutmeg.example")
    sign_in(page, live_server, "vera@nutmeg.example")
    response = page.goto(f"{live_server.url}/o/nutmeg/audit/")
    assert response.status == 403
    expect(page.get_by_text("Your role (Viewer) does not allow this")).to_be_visible()
    screenshot("refused")


def test_the_shell_works_on_a_phone(phone, live_server, rosa, screenshot):
    sign_in(phone, live_server, rosa.email)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nutmeg For All")
    # Nothing spills sideways on a 375 px screen.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    # The section menu starts folded on a phone, so the page itself comes first.
    expect(phone.get_by_role("link", name="Affiliates", exact=True)).to_be_hidden()
    phone.get_by_text("Menu").click()
    phone.get_by_role("link", name="Affiliates", exact=True).click()
    expect(phone.get_by_role("heading", name="Affiliates")).to_be_visible()
    screenshot("affiliates-phone")


def test_the_audit_log_shows_what_happened_in_the_browser(
    page, live_server, nutmeg, owner, transactional_db, screenshot
):
    sign_in(page, live_server, owner.email)
    page.goto(f"{live_server.url}/o/nutmeg/audit/")
    expect(page.get_by_role("cell", name="login.succeeded")).to_be_visible()
    page.get_by_label("Action").select_option("login.succeeded")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="login.succeeded")).to_be_visible()
    screenshot("audit-log")
