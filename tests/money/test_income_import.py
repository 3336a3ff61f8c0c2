"""Income files from ActBlue, Action Network, EveryAction and the ledger: donors matched to
the base by the list import's rules, refunds, recurring gifts, a second import adding nothing,
and a bad cell refusing the whole file by file, row and column."""

from pathlib import Path

import pytest
from django.conf import settings

from powerbase.core.exceptions import InvalidInput
from powerbase.money import queries, services
from powerbase.money.models import IncomeLine, MoneyImport
from powerbase.people.models import Person
from tests.money.conftest import default_books

DATA = Path(__file__).with_name("data")


def bring_in(actor, source: str, name: str | None = None, content: bytes | None = None):
    file = DATA / (name or f"{source}.csv")
    return services.import_income(
        actor=actor,
        file_name=file.name,
        content=content if content is not None else file.read_bytes(),
        source=source,
    )


def test_an_actblue_export_matches_donors_and_books_the_refund(treasurer, maria):
    batch = bring_in(treasurer, "actblue")
    assert (batch.rows, batch.lines_added, batch.people_matched) == (4, 5, 1)
    assert batch.net_cents == 2500 + 1000 + 50000 + 5000 - 5000
    gift = IncomeLine.objects.get(external_id="90211001")
    assert gift.person == maria
    assert IncomeLine.objects.get(external_id="90211002").recurring
    refund = IncomeLine.objects.get(external_id="refund:RF220871")
    assert refund.amount_cents == -5000
    assert refund.refund_of.external_id == "90211004"


def test_importing_the_same_export_twice_adds_nothing(treasurer):
    bring_in(treasurer, "actblue")
    again = bring_in(treasurer, "actblue")
    assert (again.lines_added, again.lines_already_there, again.net_cents) == (0, 4, 0)
    assert IncomeLine.objects.count() == 5


def test_a_refund_shown_in_a_later_export_is_booked_once(treasurer):
    text = (DATA / "actblue.csv").read_text()
    before = text.replace("RF220871", "").replace("2026-03-09 10:00:00", "")
    bring_in(treasurer, "actblue", content=before.encode())
    assert not IncomeLine.objects.filter(amount_cents__lt=0).exists()
    later = bring_in(treasurer, "actblue")
    bring_in(treasurer, "actblue")
    assert later.net_cents == -5000
    assert IncomeLine.objects.filter(amount_cents__lt=0).count() == 1


def test_action_network_and_everyaction_exports(treasurer, maria, walter):
    network = bring_in(treasurer, "actionnetwork")
    assert (network.lines_added, network.people_matched, network.net_cents) == (3, 1, 105000)
    assert IncomeLine.objects.get(external_id="an-7f3c1e20").recurring
    every = bring_in(treasurer, "everyaction")
    assert (every.lines_added, every.people_matched, every.net_cents) == (3, 1, 2000)
    assert IncomeLine.objects.get(external_id="EA-3318842").person == maria


def test_a_ledger_file_keeps_its_source_classes(treasurer):
    bring_in(treasurer, "ledger")
    totals = queries.income_by_class(treasurer, 2026, default_books(treasurer))
    assert totals["foundations"] == 1200000
    assert totals["union_funds"] == 500000
    assert totals["earned_income"] == 84000
    assert totals["member_dues"] == 126000


def test_donors_under_the_threshold_are_small_donors(treasurer):
    bring_in(treasurer, "actblue")
    bring_in(treasurer, "actionnetwork")
    totals = queries.income_by_class(treasurer, 2026, default_books(treasurer))
    # Prudence ($500) and Helena ($1,000) are large; María, Terrence (twice) small; Lucía's
    # refunded gift nets to nothing.
    assert totals["large_donors"] == 150000
    assert totals["small_donors"] == 2500 + 1000 + 1500 + 3500


def test_a_bad_amount_refuses_the_file_naming_row_and_column(treasurer):
    text = (DATA / "actionnetwork.csv").read_text().replace("35.00", "35.O0", 1)
    with pytest.raises(InvalidInput) as refused:
        bring_in(treasurer, "actionnetwork", content=text.encode())
    assert refused.value.message == (
        "Nothing was imported. actionnetwork.csv, row 3, column 'amount': '35.O0' is not an "
        "amount of money (expected e.g. 25.00)."
    )
    assert not IncomeLine.objects.exists()
    assert not MoneyImport.objects.exists()


def test_a_file_of_another_vendor_is_refused_by_its_columns(treasurer):
    with pytest.raises(InvalidInput, match="everyaction.csv is not an? ActBlue export"):
        bring_in(treasurer, "actblue", name="everyaction.csv")


def test_an_id_twice_in_one_file_is_refused(treasurer):
    lines = (DATA / "ledger.csv").read_text().splitlines()
    lines.append(lines[1])
    with pytest.raises(InvalidInput, match="row 6: the id 'JE-2026-0031' is already on row 2"):
        bring_in(treasurer, "ledger", content="\n".join(lines).encode())
    assert not IncomeLine.objects.exists()


def test_the_income_page_imports_an_upload_as_a_job_with_progress(
    client, admin, maria, run_jobs, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin)
    upload = SimpleUploadedFile("everyaction.csv", (DATA / "everyaction.csv").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit queues it
        response = client.post(
            "/o/nutmeg/income/import/", {"file": upload, "source": "everyaction"}
        )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert not IncomeLine.objects.exists()  # nothing written in the request
    waiting = client.get(response["Location"]).content.decode()
    assert "<progress" in waiting and "Import donations or ledger income" in waiting
    run_jobs()
    done = client.get(response["Location"]).content.decode()
    assert "Lines added</dt><dd>3" in done and "Donors matched to people</dt><dd>1" in done
    assert "Donors added to the base</dt><dd>1" in done
    assert IncomeLine.objects.count() == 3
    assert not list((Path(settings.DATA_DIR) / "uploads" / "money").rglob("*.csv"))


def test_new_donors_become_people_with_the_file_as_source_and_matched_ones_are_linked(
    treasurer, maria
):
    batch = bring_in(treasurer, "actblue")
    assert (batch.people_matched, batch.people_created) == (1, 3)
    terrence = IncomeLine.objects.get(external_id="90211002").person
    assert terrence.full_name == "Terrence Oduya"
    assert terrence.source.kind == "import" and "actblue.csv" in terrence.source.label
    assert terrence.emails.get().address == "t.oduya@mail.example"
    assert terrence.phones.get().e164 == "+12035550148"
    assert IncomeLine.objects.get(external_id="90211001").person == maria
    # The refund follows its gift's donor; the next export matches them instead of adding.
    lucia = IncomeLine.objects.get(external_id="90211004").person
    assert IncomeLine.objects.get(external_id="refund:RF220871").person == lucia
    text = (DATA / "actblue.csv").read_text().replace(",902110", ",902119").replace("RF22", "RF99")
    again = bring_in(treasurer, "actblue", content=text.encode())
    assert (again.people_matched, again.people_created) == (4, 0)
    assert Person.objects.filter(organization=treasurer.organization).count() == 4


def test_each_recurrence_of_an_actblue_gift_is_its_own_line(treasurer):
    """ActBlue repeats the Receipt ID (its order number) on every recurrence of a recurring
    gift; the Lineitem ID tells the recurrences apart (ActBlue's Report Builder dictionary)."""
    lines = (DATA / "actblue.csv").read_text().splitlines()
    second = lines[2].replace("2026-03-02 11:40:02", "2026-04-02 11:40:02")
    second = second.replace(",12,1,", ",12,2,").replace(",90211002,", ",90211099,")
    batch = bring_in(treasurer, "actblue", content="\n".join([*lines, second]).encode())
    assert batch.lines_added == 6
    assert IncomeLine.objects.filter(payer_email="t.oduya@mail.example").count() == 2


def test_action_network_failed_donations_are_no_money_and_refunded_ones_are_refunded(treasurer):
    text = (DATA / "actionnetwork.csv").read_text().splitlines()
    failed = text[1].replace("an-7f3c1e20", "an-failed").replace(",success", ",failed")
    refunded = text[3].replace("an-7f3c1e39", "an-refunded").replace(",success", ",refunded")
    batch = bring_in(
        treasurer, "actionnetwork", content="\n".join([text[0], failed, refunded]).encode()
    )
    assert (batch.rows, batch.net_cents) == (1, 0)
    assert not IncomeLine.objects.filter(external_id="an-failed").exists()
    assert IncomeLine.objects.get(refund_of__external_id="an-refunded").amount_cents == -100000
