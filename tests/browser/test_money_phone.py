"""At a phone's width: the treasurer reads the self-funding dashboard and the dues, and records
a dues payment, with nothing wider than the screen."""

import datetime

import pytest
from playwright.sync_api import expect

from powerbase.demo.money import load_money_demo
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_the_money_pages_on_a_phone(
    transactional_db, phone, live_server, nutmeg, admin, tenant_union, teachers_union, screenshot
):
    load_money_demo(nutmeg, today=datetime.date.today())
    sign_in(phone, live_server, admin.email)
    phone.goto(f"{live_server.url}/o/nutmeg/resources/")
    expect(phone.get_by_role("heading", name="Self-funding")).to_be_visible()
    expect(phone.locator("figure.chart svg").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("money-dashboard-phone")

    phone.goto(f"{live_server.url}/o/nutmeg/dues/")
    expect(phone.get_by_role("heading", name="Affiliate dues")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("link", name="Quinnipiac Tenants Union").click()
    phone.get_by_text("Record a payment").click()
    phone.get_by_label("Amount").fill("10000.00")
    phone.get_by_role("button", name="Record the payment").click()
    expect(phone.get_by_text("Recorded the payment from Quinnipiac Tenants Union.")).to_be_visible()
    expect(phone.get_by_text("Dues paid up.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("money-dues-phone")
