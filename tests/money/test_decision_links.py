"""Waivers and expenses name the decision (from the decision log) that authorised them, chosen
in the web forms with a type-ahead picker of the organization's decisions."""

import datetime

from django.urls import reverse

from powerbase.democracy.models import Decision
from powerbase.money import services
from powerbase.money.models import Expense, StandingWaiver


def decide(organization, title: str, day: int = 3) -> Decision:
    return Decision.objects.create(
        organization=organization,
        title=title,
        outcome=Decision.Outcome.ADOPTED,
        decided_on=datetime.date(2026, 3, day),
    )


def test_the_picker_finds_decisions_by_words_of_their_title_and_only_the_organizations(
    client, admin, nutmeg, harbor
):
    decide(nutmeg, "Waive the tenant union's dues for the strike", day=3)
    decide(nutmeg, "Spend on the spring canvass mailer", day=9)
    decide(harbor, "Waive Harbor's dues")
    client.force_login(admin)
    url = reverse("money:decision_pick", kwargs={"org": nutmeg.slug})
    found = client.get(url, {"field": "decision_text", "decision_text": "waive dues"})
    text = found.content.decode()
    assert "Waive the tenant union" in text and "Harbor" not in text and "mailer" not in text
    newest_first = client.get(url).content.decode()
    assert newest_first.index("mailer") < newest_first.index("strike")
    assert "No decision matches" in client.get(url, {"q": "budget"}).content.decode()


def test_a_waiver_recorded_on_the_web_links_its_decision(client, admin, nutmeg, tenant_union):
    decision = decide(nutmeg, "Waive the tenant union's dues for the strike")
    client.force_login(admin)
    page = reverse("money:affiliate", kwargs={"org": nutmeg.slug, "affiliate_id": tenant_union.pk})
    assert "data-picker" in client.get(page).content.decode()
    client.post(
        reverse("money:waiver_new", kwargs={"org": nutmeg.slug, "affiliate_id": tenant_union.pk}),
        {
            "reason": "On strike since March",
            "decided_by": "Steering committee",
            "starts_on": "2026-03-03",
            "decision": decision.pk,
        },
    )
    assert StandingWaiver.objects.get().decision == decision
    assert "decision: Waive the tenant union" in client.get(page).content.decode()


def test_an_expense_recorded_on_the_web_links_its_decision_and_not_another_orgs(
    client, admin, treasurer, nutmeg, harbor
):
    decision = decide(nutmeg, "Spend on the spring canvass mailer")
    elsewhere = decide(harbor, "Harbor's mailer")
    budget = services.create_budget(actor=treasurer, name="Operating", year=2026)
    client.force_login(admin)
    url = reverse("money:expense_new", kwargs={"org": nutmeg.slug})
    form = {
        "amount": "1200.00",
        "spent_on": "2026-03-20",
        "category": "Printing",
        "budget": budget.pk,
    }
    client.post(url, {**form, "decision": decision.pk, "reference": "INV-1"})
    assert Expense.objects.get().decision == decision
    budget_page = client.get(
        reverse("money:budget", kwargs={"org": nutmeg.slug, "budget_id": budget.pk})
    ).content.decode()
    assert "authorised by Spend on the spring canvass mailer" in budget_page
    client.post(url, {**form, "decision": elsewhere.pk, "reference": "INV-2"})
    assert not Expense.objects.filter(decision=elsewhere).exists()
