"""The good-standing rule changes an assembly's weights: an affiliate 120 days in arrears has
its bloc weight left out, with the reason on the assembly page; the treasurer records its
payment on the dues page and the weight counts again."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.democracy import services
from powerbase.democracy.models import Electorate
from powerbase.money import services as money
from powerbase.money.models import DuesSchedule
from tests.conftest import PASSWORD, act
from tests.democracy.conftest import (  # noqa: F401 - the democracy tests' fixtures
    base,
    delegates,
    manager,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def weighted_assembly(manager, delegates, admin, nutmeg, tenant_union, teachers_union):  # noqa: F811
    """A weighted assembly (tenants 40, teachers 60) while the teachers owe a year's dues that
    fell due 120 days ago."""
    blocs = services.create_electorate(
        actor=manager, name="Affiliate blocs", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    services.set_bloc_weights(
        actor=manager,
        electorate=blocs,
        weights={tenant_union: Decimal(40), teachers_union: Decimal(60)},
    )
    treasurer = act(admin, nutmeg)
    starts = timezone.localdate() - datetime.timedelta(days=120 + money.DAYS_TO_PAY)
    money.create_schedule(
        actor=treasurer,
        affiliate=teachers_union,
        kind=DuesSchedule.Kind.FLAT,
        period=DuesSchedule.Period.YEARLY,
        amount_cents=120000,
        starts_on=starts,
    )
    money.issue_invoices(actor=treasurer, through=starts)
    return services.create_assembly(
        actor=manager,
        title="Coalition council",
        starts_at=timezone.now(),
        electorate=blocs,
        quorum=services.QuorumRule(count=1),
    )


def test_paying_the_dues_puts_an_affiliates_weight_back_in_the_assembly(
    page,
    live_server,
    admin,
    weighted_assembly,
    screenshot,
):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assembly_url = f"{live_server.url}/o/nutmeg/democracy/assemblies/{weighted_assembly.pk}/"
    page.goto(assembly_url)

    expect(page.get_by_text(re.compile(r"Quorum: 0 of 1 present"))).to_be_visible()
    suspended = page.locator(".suspensions li")
    expect(suspended).to_have_count(1)
    expect(suspended).to_contain_text("Educators Local 12: weight 60 not counted.")
    expect(suspended).to_contain_text("120 days in arrears ($1,200.00 owed")
    screenshot("good-standing-suspended")

    page.goto(f"{live_server.url}/o/nutmeg/dues/")
    expect(page.get_by_role("heading", name="Affiliate dues")).to_be_visible()
    page.get_by_role("link", name="Educators Local 12").click()
    page.get_by_text("Record a payment").click()
    page.get_by_label("Amount").fill("1200.00")
    page.get_by_label("Reference (e.g. check no.)").fill("4471")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text("Recorded the payment from Educators Local 12.")).to_be_visible()
    expect(page.get_by_text("Dues paid up.")).to_be_visible()

    page.goto(assembly_url)
    expect(page.get_by_text(re.compile(r"Quorum: 0 of 2 present"))).to_be_visible()
    expect(page.get_by_text("Affiliates not in good standing")).to_have_count(0)
    screenshot("good-standing-restored")
