"""At a phone's width: the organizer records a strategy-table decision that starts a campaign
and gives a member leader a task; the leader finds it on their home page and marks it done."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.actions import services as actions
from powerbase.core.models import Role
from powerbase.democracy import services as democracy
from powerbase.strategy.models import Task
from tests.browser.test_shell import sign_in
from tests.conftest import act, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def table(transactional_db, nutmeg):
    organizer = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    make_user(nutmeg, Role.LEADER, email="marcus@nutmeg.example")
    staff = act(organizer, nutmeg)
    actions.create_campaign(actor=staff, name="Homes for All")
    return democracy.create_body(actor=staff, name="Strategy table", kind="strategy_table")


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_decision_gives_a_task_that_its_owner_sees_and_closes_on_a_phone(
    phone, live_server, table, screenshot
):
    due = timezone.localdate() + datetime.timedelta(days=14)
    sign_in(phone, live_server, "rosa@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/strategy/")
    phone.get_by_role("link", name="Strategy table", exact=True).click()
    phone.get_by_role("link", name="Record a decision").click()
    phone.get_by_label("What was decided").fill("Launch Homes for All")
    phone.get_by_label("Starts the campaign").select_option(label="Homes for All")
    phone.get_by_label("Task 1: what").fill("Recruit ten tenants to the kickoff")
    phone.get_by_label("Task 1: who").select_option(label="Leader")
    phone.get_by_label("Task 1: due").fill(due.isoformat())
    fits(phone)
    screenshot("strategy-decision-phone")
    phone.get_by_role("button", name="Log the decision").click()

    expect(phone.get_by_role("heading", name="Launch Homes for All", level=1)).to_be_visible()
    expect(phone.locator("li", has_text="Starts the campaign")).to_contain_text("Homes for All")
    expect(phone.get_by_text("Recruit ten tenants to the kickoff", exact=True)).to_be_visible()
    phone.get_by_role("link", name="Homes for All").click()
    expect(phone.get_by_role("link", name="Decided by Strategy table on")).to_be_visible()

    phone.context.clear_cookies()
    sign_in(phone, live_server, "marcus@nutmeg.example")
    tasks = phone.get_by_role("region", name="Your tasks")
    expect(tasks).to_contain_text("Recruit ten tenants to the kickoff")
    expect(tasks).to_contain_text(f"due {due:%a} {due.day} {due:%b %Y}")
    fits(phone)
    screenshot("strategy-my-tasks-phone")
    tasks.get_by_role("button", name="Done").click()
    expect(phone.get_by_text("Marked “Recruit ten tenants to the kickoff” done.")).to_be_visible()
    expect(phone.get_by_role("region", name="Your tasks")).to_have_count(0)
    assert Task.objects.get().done_at is not None
