"""The vendors' exports as published: ActBlue's contributions CSV (its full header, with the
repeated "Reserved" columns), ActBlue's Report Builder export, and Action Network recurring
series whose later donations carry no recurring period. docs/money.md says where each header
was verified."""

import datetime
from pathlib import Path

import pytest

from powerbase.core.exceptions import InvalidInput
from powerbase.money.income_files import read_income
from powerbase.money.models import IncomeLine
from tests.money.test_income_import import bring_in

DATA = Path(__file__).with_name("data")


def test_the_actblue_file_has_actblues_published_header():
    header = (DATA / "actblue.csv").read_text().splitlines()[0].split(",")
    assert header.count("Reserved") == 7
    assert header[:3] == ["Receipt ID", "Date", "Amount"]
    assert header[-1] == "Smart Boost Shown"
    assert len(header) == 91


def test_a_report_builder_export_is_read_with_its_own_column_names(treasurer):
    batch = bring_in(treasurer, "actblue", "actblue_report_builder.csv")
    assert (batch.rows, batch.lines_added) == (4, 4)
    assert batch.net_cents == 2000 + 2000 + 7500 - 7500
    first = IncomeLine.objects.get(external_id="90311001")
    assert (first.received_on, first.recurring) == (datetime.date(2026, 6, 1), True)
    assert IncomeLine.objects.get(external_id="90311002").recurring
    assert not IncomeLine.objects.get(external_id="90311050").recurring
    assert IncomeLine.objects.get(external_id="90311050-refund").amount_cents == -7500
    again = bring_in(treasurer, "actblue", "actblue_report_builder.csv")
    assert (again.lines_added, again.lines_already_there) == (0, 4)


def test_a_report_builder_export_without_paid_at_is_refused_by_name():
    text = (DATA / "actblue_report_builder.csv").read_text().replace("Order Number", "Order")
    with pytest.raises(InvalidInput, match="no column 'Order Number'"):
        read_income("report.csv", text.encode(), "actblue")


def test_an_actblue_file_imported_before_the_lineitem_key_is_not_added_again(treasurer):
    """Lines stored under the Receipt ID (the key before Lineitem ID) are recognised by
    Receipt ID, amount and date; a refund shown later still finds its gift."""
    text = (DATA / "actblue.csv").read_text()
    old_style = text.replace("RF220871", "").replace("2026-03-09 10:00:00", "")
    old_style = old_style.replace("Lineitem ID", "Lineitem (not read)")
    first = bring_in(treasurer, "actblue", content=old_style.encode())
    assert first.lines_added == 4
    assert IncomeLine.objects.filter(external_id="AB48213907").exists()
    again = bring_in(treasurer, "actblue")
    assert (again.lines_added, again.lines_already_there, again.net_cents) == (1, 4, -5000)
    refund = IncomeLine.objects.get(external_id="refund:RF220871")
    assert refund.refund_of.external_id == "AB48214377"
    assert IncomeLine.objects.count() == 5


def test_a_later_recurrence_with_the_same_receipt_id_is_still_added(treasurer):
    """Only the row with the stored line's amount and date is that line: the next month's
    gift of the same order is new."""
    lines = (DATA / "actblue.csv").read_text().splitlines()
    old_style = "\n".join(lines).replace("Lineitem ID", "Lineitem (not read)")
    bring_in(treasurer, "actblue", content=old_style.encode())
    second = lines[2].replace("2026-03-02 11:40:02", "2026-04-02 11:40:02")
    second = second.replace(",12,1,", ",12,2,").replace(",90211002,", ",90211099,")
    batch = bring_in(treasurer, "actblue", content="\n".join([lines[0], lines[2], second]).encode())
    assert (batch.lines_added, batch.lines_already_there) == (1, 1)
    assert IncomeLine.objects.filter(payer_email="t.oduya@mail.example").count() == 2


def test_later_action_network_gifts_of_a_recurring_series_are_recurring(treasurer):
    bring_in(treasurer, "actionnetwork", "actionnetwork_recurring.csv")
    lucia = IncomeLine.objects.filter(payer_email="lucia.fb@mail.example").order_by("received_on")
    assert [line.recurring for line in lucia] == [True, True, True]
    assert {line.note for line in lucia} == {"Recurring monthly"}
    walter = IncomeLine.objects.filter(payer_email="walter@teachers.example")
    assert not any(line.recurring for line in walter)


def test_a_series_begun_in_an_earlier_file_continues_and_a_lapsed_one_does_not(treasurer):
    lines = (DATA / "actionnetwork_recurring.csv").read_text().splitlines()
    bring_in(treasurer, "actionnetwork", content="\n".join(lines[:2]).encode())
    august = lines[5].replace("an-8c12e001", "an-8d00aa01").replace("2026-07-02", "2026-08-02")
    december = lines[5].replace("an-8c12e001", "an-8e00bb02").replace("2026-07-02", "2026-12-02")
    bring_in(treasurer, "actionnetwork", content="\n".join([lines[0], lines[5], august]).encode())
    bring_in(treasurer, "actionnetwork", content="\n".join([lines[0], december]).encode())
    assert IncomeLine.objects.get(external_id="an-8c12e001").recurring
    assert IncomeLine.objects.get(external_id="an-8d00aa01").recurring
    assert not IncomeLine.objects.get(external_id="an-8e00bb02").recurring


def test_action_network_columns_are_accepted_under_their_other_names(treasurer):
    text = (DATA / "actionnetwork.csv").read_text()
    text = text.replace("phone_number", "can2_phone").replace("donation_id", "id", 1)
    rows = read_income("an.csv", text.encode(), "actionnetwork")
    assert rows[0].external_id == "an-7f3c1e20"
    assert rows[0].phone == "2035550148"
