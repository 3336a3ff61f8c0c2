"""Bills from Open States bill JSON: actions over time, roll calls, positions kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.exceptions import InvalidInput
from powerbase.legislature import queries, services
from powerbase.legislature.models import Bill, RollCall
from tests.legislature.conftest import FIXTURES
from tests.legislature.test_officials import TODAY, fixture_files

TEXT = (FIXTURES / "bills.json").read_text()


@pytest.fixture
def fictional_legislators(manager):
    services.import_people(actor=manager, files=fixture_files(), today=TODAY)


def test_bills_come_with_their_actions_in_order_and_their_votes(manager, fictional_legislators):
    summary = services.import_bills(actor=manager, file_name="bills.json", text=TEXT)
    assert summary.created == ["SB 10", "HB 5001"] and summary.actions == 3
    bill = Bill.objects.get(identifier="SB 10")
    assert (bill.jurisdiction, bill.session, bill.status) == (
        "Connecticut",
        "2027",
        "Passed the Senate",
    )
    assert [step.description for step in bill.actions.all()] == [
        "Introduced",
        "Referred to Joint Committee on Finance",
        "Passed the Senate",
    ]
    assert bill.actions.last().chamber == "upper"
    roll_call = RollCall.objects.get()
    assert roll_call.bill == bill
    assert queries.tally(roll_call).counts["yes"] == 1


def test_a_second_import_keeps_our_position_and_adds_no_action_twice(
    manager, fictional_legislators
):
    services.import_bills(actor=manager, file_name="bills.json", text=TEXT)
    bill = Bill.objects.get(identifier="SB 10")
    services.set_position(actor=manager, bill=bill, position="support", reason="Schools.")
    again = services.import_bills(actor=manager, file_name="bills.json", text=TEXT)
    assert again.updated == ["SB 10", "HB 5001"] and again.actions == 0
    assert again.votes.updated == 1 and RollCall.objects.count() == 1
    bill.refresh_from_db()
    assert bill.position == "support" and bill.actions.count() == 3


def test_a_bad_bill_file_writes_nothing(manager, fictional_legislators):
    broken = TEXT.replace('"2027-02-01"', '"February"')
    with pytest.raises(InvalidInput, match=r"bills.json, bill 1, actions\[1\], field 'date'"):
        services.import_bills(actor=manager, file_name="bills.json", text=broken)
    assert not Bill.objects.exists()


def test_bills_import_from_the_page_and_the_shell(client, organizer, nutmeg, fictional_legislators):
    client.force_login(organizer)
    response = client.post(
        reverse("legislature:bills_import", kwargs={"org": "nutmeg"}),
        {"file": SimpleUploadedFile("bills.json", TEXT.encode())},
    )
    assert response.status_code == 302 and Bill.objects.count() == 2
    result = CliRunner().invoke(
        app, ["bills", "import", str(FIXTURES / "bills.json"), "--org", "nutmeg"]
    )
    assert result.exit_code == 0, result.output
    assert "0 new, 2 updated" in result.output
