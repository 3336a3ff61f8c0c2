"""Budgets against what was spent, expenses from the ledger CSV, and the bookkeeper's CSV."""

import csv
import datetime
import io

import pytest

from powerbase.core.exceptions import InvalidInput
from powerbase.money import queries, services
from powerbase.money.models import Expense

LEDGER = b"""date,amount,source_class,payer,email,reference,note,category,account_code
2026-02-03,1850.00,expense,Elm City Print Shop,,JE-2026-0102,Door hangers,Printing,6300
2026-02-10,=2+5,expense,Elm City Print Shop,,JE-2026-0103,,Printing,6300
"""


@pytest.fixture
def operating(treasurer):
    budget = services.create_budget(actor=treasurer, name="Operating", year=2026)
    services.set_budget_line(
        actor=treasurer, budget=budget, category="Printing", account_code="6300",
        amount_cents=300000,
    )  # fmt: skip
    services.set_budget_line(
        actor=treasurer, budget=budget, category="Staff", account_code="6100",
        amount_cents=9000000,
    )  # fmt: skip
    return budget


def test_budget_vs_actual_shows_the_variance_per_category(treasurer, operating):
    services.record_expense(
        actor=treasurer, spent_on=datetime.date(2026, 3, 1), amount_cents=350000,
        category="Printing", budget=operating, payee="Elm City Print Shop",
    )  # fmt: skip
    services.record_expense(
        actor=treasurer, spent_on=datetime.date(2026, 3, 2), amount_cents=12000,
        category="Food", budget=operating,
    )  # fmt: skip
    rows = {r.category: r for r in queries.budget_vs_actual(treasurer, operating)}
    assert rows["Printing"].variance_cents == -50000  # overspent
    assert rows["Staff"].variance_cents == 9000000
    assert (rows["Food"].budgeted_cents, rows["Food"].actual_cents) == (0, 12000)


def test_a_ledger_file_with_a_bad_amount_writes_no_expense(treasurer, operating):
    with pytest.raises(InvalidInput, match="ledger.csv, row 3, column 'amount': '=2\\+5'"):
        services.import_income(
            actor=treasurer, file_name="ledger.csv", content=LEDGER, source="ledger"
        )
    assert not Expense.objects.exists()


def test_ledger_expenses_are_charged_to_the_budget_that_plans_them_once(treasurer, operating):
    good = LEDGER.replace(b"=2+5", b"240.00")
    first = services.import_income(
        actor=treasurer, file_name="ledger.csv", content=good, source="ledger"
    )
    again = services.import_income(
        actor=treasurer, file_name="ledger.csv", content=good, source="ledger"
    )
    assert (first.expenses_added, first.expenses_cents) == (2, 209000)
    assert (again.expenses_added, again.lines_already_there) == (0, 2)
    rows = {r.category: r for r in queries.budget_vs_actual(treasurer, operating)}
    assert rows["Printing"].actual_cents == 209000


def test_the_bookkeepers_csv_has_account_codes_signs_and_no_formulas(
    client, admin, treasurer, operating, tenant_union
):
    services.record_income(
        actor=treasurer, amount_cents=2500, received_on=datetime.date(2026, 1, 9),
        source_class="individual", payer_name="=HYPERLINK(1)",
    )  # fmt: skip
    services.record_payment(
        actor=treasurer, affiliate=tenant_union, amount_cents=30000,
        received_on=datetime.date(2026, 1, 5), reference="chk 1043",
    )  # fmt: skip
    services.record_expense(
        actor=treasurer, spent_on=datetime.date(2026, 1, 20), amount_cents=12550,
        category="Printing", account_code="6300", budget=operating, reference="=cmd|x",
    )  # fmt: skip
    client.force_login(admin)
    response = client.get("/o/nutmeg/books.csv?year=2026")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["date", "account_code", "kind", "description", "amount", "reference"],
        ["2026-01-05", "4020", "income", "Affiliate dues: Quinnipiac Tenants Union", "300.00",
         "chk 1043"],
        ["2026-01-09", "4100", "income", "Individual donor: =HYPERLINK(1)", "25.00", ""],
        ["2026-01-20", "6300", "expense", "Printing", "-125.50", "'=cmd|x"],
    ]  # fmt: skip
