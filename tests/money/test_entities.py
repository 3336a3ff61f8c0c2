"""Separate legal entities: every line of money belongs to one, and no page or report mixes
them unless all entities are asked for, and then it says so."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.exceptions import InvalidInput
from powerbase.money import services
from powerbase.money.entities import default_entity
from powerbase.money.models import Entity, IncomeLine

MARCH = datetime.date(2026, 3, 10)
DATA = Path(__file__).with_name("data")


@pytest.fixture
def pac(treasurer) -> Entity:
    return services.create_entity(
        actor=treasurer, name="Nutmeg Votes PAC", slug="pac", kind=Entity.Kind.PAC
    )


@pytest.fixture
def two_books(treasurer, pac):
    """$400 of member dues in the default (c4) books, $9,000 of union money in the PAC's."""
    services.record_income(
        actor=treasurer, amount_cents=40000, received_on=MARCH, source_class="member_dues"
    )
    services.record_income(
        actor=treasurer,
        amount_cents=900000,
        received_on=MARCH,
        source_class="union_funds",
        entity=pac,
    )


def get(client, name: str, nutmeg, **params) -> str:
    response = client.get(reverse(name, kwargs={"org": nutmeg.slug}), {"year": 2026, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_the_income_page_shows_one_entitys_books_unless_all_are_asked_for(
    client, admin, nutmeg, two_books
):
    client.force_login(admin)
    default = get(client, "money:income", nutmeg)
    assert "$400.00" in default and "$9,000.00" not in default
    assert "All entities combined" not in default.split("</select>")[1]
    pac_only = get(client, "money:income", nutmeg, entity="pac")
    assert "$9,000.00" in pac_only and "$400.00" not in pac_only
    combined = get(client, "money:income", nutmeg, entity="all")
    assert "$9,000.00" in combined and "$400.00" in combined
    assert "All entities combined, as asked" in combined


def test_the_dashboard_and_the_bookkeepers_csv_keep_entities_apart(
    client, admin, nutmeg, two_books
):
    client.force_login(admin)
    assert "$9,000.00" not in get(client, "money:dashboard", nutmeg)
    assert "All entities combined, as asked" in get(client, "money:dashboard", nutmeg, entity="all")
    url = reverse("money:bookkeeper_csv", kwargs={"org": nutmeg.slug})
    c4 = client.get(url, {"year": 2026}).content.decode()
    assert "400.00" in c4 and "9000.00" not in c4
    both = client.get(url, {"year": 2026, "entity": "all"})
    assert "9000.00" in both.content.decode() and "all-books-2026" in both["Content-Disposition"]


def test_an_expense_goes_in_its_budgets_books_and_may_not_cross_them(treasurer, pac):
    budget = services.create_budget(
        actor=treasurer, name="Independent spending", year=2026, entity=pac
    )
    expense = services.record_expense(
        actor=treasurer, spent_on=MARCH, amount_cents=5000, category="Mail", budget=budget
    )
    assert expense.entity == pac
    with pytest.raises(InvalidInput, match="is too"):
        services.record_expense(
            actor=treasurer,
            spent_on=MARCH,
            amount_cents=5000,
            category="Mail",
            budget=budget,
            entity=default_entity(treasurer.organization),
        )


def test_a_grants_payments_are_the_grants_entitys(treasurer, pac):
    grant = services.create_grant(
        actor=treasurer,
        funder="Fictional Fund",
        amount_cents=100000,
        starts_on=MARCH,
        ends_on=MARCH,
        entity=pac,
    )
    paid = services.record_income(
        actor=treasurer,
        amount_cents=100000,
        received_on=MARCH,
        source_class="foundations",
        grant=grant,
    )
    assert paid.entity == pac


def test_money_import_takes_the_entity_and_refuses_an_unknown_one(nutmeg, pac):
    runner = CliRunner()
    command = ["money", "import", str(DATA / "actblue.csv"), "--org", "nutmeg"]
    wrong = runner.invoke(app, [*command, "--source", "actblue", "--entity", "c5"])
    assert wrong.exit_code == 1
    assert "no entity 'c5'" in wrong.output and "'pac' (Nutmeg Votes PAC (PAC))" in wrong.output
    result = runner.invoke(app, [*command, "--source", "actblue", "--entity", "pac"])
    assert result.exit_code == 0, result.output
    assert "into the books of Nutmeg Votes PAC" in " ".join(result.output.split())
    assert set(IncomeLine.objects.values_list("entity", flat=True)) == {pac.pk}


def test_a_treasurer_adds_an_entity_on_the_settings_page(client, admin, nutmeg):
    client.force_login(admin)
    response = client.post(
        reverse("money:entity_new", kwargs={"org": nutmeg.slug}),
        {"entity-name": "Nutmeg Education Fund", "entity-slug": "c3", "entity-kind": "501c3"},
    )
    assert response.status_code == 302
    page = client.get(reverse("money:settings", kwargs={"org": nutmeg.slug})).content.decode()
    assert "Nutmeg Education Fund (501(c)(3))" in page and "(default)" in page
    assert [e.slug for e in Entity.objects.filter(organization=nutmeg)] == ["c4", "c3"]


def test_renaming_an_entity_is_audited_and_refuses_a_blank_name_or_another_organizations(
    treasurer, nutmeg, harbor
):
    from powerbase.core import access
    from powerbase.core.exceptions import NotFound
    from powerbase.core.models import AuditEntry

    books = default_entity(nutmeg)
    services.rename_entity(actor=treasurer, entity=books, name="  Nutmeg Action Inc.  ")
    books.refresh_from_db()
    assert books.name == "Nutmeg Action Inc."
    assert AuditEntry.objects.filter(action="money.entity_renamed").count() == 1
    with pytest.raises(InvalidInput):
        services.rename_entity(actor=treasurer, entity=books, name="   ")
    theirs = default_entity(harbor)
    with pytest.raises(NotFound):
        services.rename_entity(
            actor=access.system(nutmeg), entity=theirs, name="Taken over (fictional)"
        )
    theirs.refresh_from_db()
    assert theirs.name != "Taken over (fictional)"
