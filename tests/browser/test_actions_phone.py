"""At a phone's width: RSVP on the public page, check in a walk-in at the door, and read the
structure-test report."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.actions import services
from powerbase.actions.models import Attendance, Rsvp
from powerbase.core.models import Role
from tests.browser.test_shell import sign_in
from tests.conftest import act, add_member, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def town_hall(transactional_db, nutmeg, tenant_union):
    organizer = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    organizing = act(organizer, nutmeg)
    action = services.create_action(
        actor=organizing,
        title="Town hall on bus service",
        is_public=True,
        is_structure_test=True,
        starts_at=timezone.now() + timedelta(days=3),
        place="Fair Haven Library",
    )
    services.set_commitment(actor=organizing, action=action, affiliate=tenant_union, number=3)
    add_member(nutmeg, tenant_union, "Imani", "Coleman")
    return action


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_rsvp_check_in_a_walk_in_and_read_the_report_on_a_phone(
    phone, live_server, town_hall, tenant_union, screenshot
):
    phone.goto(f"{live_server.url}/act/nutmeg/{town_hall.pk}/")
    expect(phone.get_by_role("heading", name="Town hall on bus service")).to_be_visible()
    expect(phone.get_by_label("Leave this field empty")).not_to_be_in_viewport()
    phone.get_by_label("First name").fill("Dolores")
    phone.get_by_label("Last name").fill("Huerta-Vale")
    phone.get_by_label("Mobile phone").fill("203 555 0142")
    phone.get_by_label("Are you coming with a group?").select_option(label=tenant_union.name)
    fits(phone)
    screenshot("actions-rsvp-phone")
    phone.get_by_role("button", name="RSVP").click()
    expect(phone.get_by_role("heading", name="You're signed up")).to_be_visible()
    assert Rsvp.objects.get().credited_affiliate == tenant_union

    sign_in(phone, live_server, "rosa@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/actions/{town_hall.pk}/check-in/")
    phone.get_by_label("Find someone").fill("im")
    phone.get_by_role("button", name="Check in Imani Coleman").click()
    expect(phone.get_by_text("Checked in Imani Coleman.")).to_be_visible()
    phone.get_by_text("Add a walk-in").click()
    phone.get_by_label("Name").fill("Kwame Mensah")
    phone.get_by_label("Phone").fill("203-555-0199")
    phone.get_by_role("button", name="Add and check in").click()
    expect(phone.get_by_text("Checked in Kwame Mensah.")).to_be_visible()
    expect(phone.get_by_role("button", name="Undo the check-in of Kwame Mensah")).to_be_visible()
    fits(phone)
    screenshot("actions-check-in-phone")
    assert Attendance.objects.filter(action=town_hall).count() == 2

    phone.goto(f"{live_server.url}/o/nutmeg/actions/{town_hall.pk}/report/")
    expect(
        phone.get_by_role("heading", name="Structure test: Town hall on bus service")
    ).to_be_visible()
    flag = "Not held yet: 1 RSVP'd of 3 committed so far."
    expect(phone.get_by_role("cell", name=flag)).to_be_visible()
    expect(phone.get_by_text("District not known yet").first).to_be_visible()
    fits(phone)
    screenshot("actions-report-phone")
