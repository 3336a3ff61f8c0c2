"""Roll calls: Open States vote-event JSON, CSV, and the floor-session hand entry."""

from datetime import date

import pytest

from powerbase.core.exceptions import InvalidInput, RowError
from powerbase.legislature import queries, services
from powerbase.legislature.models import Chamber, RollCall
from tests.legislature.conftest import FIXTURES, fictional
from tests.legislature.test_officials import TODAY, fixture_files


@pytest.fixture
def fictional_legislators(manager):
    services.import_people(actor=manager, files=fixture_files(), today=TODAY)


@pytest.fixture
def bills(manager, fictional_legislators):
    for identifier in ("SB 10", "HB 5001"):
        services.create_bill(
            actor=manager,
            jurisdiction="Connecticut",
            session="2027",
            identifier=identifier,
            title=f"{identifier} (fictional)",
        )


def test_vote_events_import_by_id_and_name_and_update_in_place(manager, bills):
    text = (FIXTURES / "vote-events.json").read_text()
    summary = services.import_vote_events(actor=manager, file_name="votes.json", text=text)
    assert (summary.created, summary.votes) == (1, 2)
    roll_call = RollCall.objects.get()
    assert (roll_call.chamber, roll_call.date, roll_call.result) == (
        Chamber.UPPER,
        date(2027, 5, 2),
        "pass",
    )
    assert roll_call.bill.identifier == "SB 10" and roll_call.session == "2027"
    tally = queries.tally(roll_call)
    assert [o.name for o in tally.by_option["yes"]] == ["Imani Osei"]
    assert [o.name for o in tally.by_option["no"]] == ["Tobías Wren"]  # "Wren, T."

    again = services.import_vote_events(
        actor=manager,
        file_name="votes.json",
        text=text.replace('"no", "voter_name": "Wren', '"excused", "voter_name": "Wren'),
    )
    assert (again.created, again.updated) == (0, 1)
    assert queries.tally(RollCall.objects.get()).counts["excused"] == 1


def test_a_vote_by_someone_unknown_writes_nothing_and_names_them(manager, bills):
    text = (FIXTURES / "vote-events.json").read_text().replace("Wren, T.", "Nobody, N.")
    with pytest.raises(InvalidInput) as error:
        services.import_vote_events(actor=manager, file_name="votes.json", text=text)
    assert "votes.json, vote event 1, votes[2]" in error.value.message
    assert "Nobody, N." in error.value.message
    assert not RollCall.objects.exists()


def test_a_vote_on_a_bill_not_here_is_refused(manager, fictional_legislators):
    with pytest.raises(InvalidInput, match="SB 10 of the 2027 session"):
        services.import_vote_events(
            actor=manager, file_name="v.json", text=(FIXTURES / "vote-events.json").read_text()
        )


def test_csv_votes_group_into_roll_calls_and_reimport_in_place(manager, bills):
    text = (FIXTURES / "votes.csv").read_text()
    summary = services.import_votes_csv(actor=manager, file_name="votes.csv", text=text)
    assert (summary.created, summary.votes) == (2, 3)
    amendment = RollCall.objects.get(motion="On the amendment")
    assert queries.tally(amendment).counts == {
        "yes": 1,
        "no": 0,
        "absent": 1,
        "abstain": 0,
        "excused": 0,
        "other": 0,
    }
    again = services.import_votes_csv(actor=manager, file_name="votes.csv", text=text)
    assert (again.created, again.updated) == (0, 2)
    assert RollCall.objects.count() == 2


@pytest.mark.parametrize(
    "change, column",
    [
        (("2027-04-02", "April 2"), "date"),
        ((",house,", ",hall,"), "chamber"),
        ((",pass,", ",maybe,"), "result"),
        ((",yes\n", ",perhaps\n"), "vote"),
    ],
)
def test_a_bad_csv_cell_is_named_by_row_and_column(manager, bills, change, column):
    text = (FIXTURES / "votes.csv").read_text().replace(*change)
    with pytest.raises(RowError) as error:
        services.import_votes_csv(actor=manager, file_name="votes.csv", text=text)
    assert (error.value.row, error.value.column) == (2, column)
    assert not RollCall.objects.exists()


def test_a_csv_without_a_needed_column_says_which(manager):
    with pytest.raises(RowError, match="no 'vote' column"):
        services.import_votes_csv(
            actor=manager, file_name="v.csv", text="date,chamber,motion,result,official\n"
        )


def test_a_roll_call_entered_by_hand(manager, senate, fair_share):
    votes = {
        senate["ada"]: "yes",
        senate["bea"]: "yes",
        senate["eve"]: "no",
        senate["dov"]: "absent",
    }
    roll_call = services.record_roll_call(
        actor=manager,
        chamber=Chamber.UPPER,
        motion="On final passage",
        on=date(2027, 5, 2),
        result="pass",
        votes=votes,
        bill=fair_share,
    )
    assert roll_call.source == RollCall.Source.HAND and roll_call.session == "2027"
    assert queries.tally(roll_call).counts["yes"] == 2
    with pytest.raises(InvalidInput):
        services.record_roll_call(
            actor=manager,
            chamber=Chamber.UPPER,
            motion="",
            on=date(2027, 5, 2),
            result="pass",
            votes=votes,
        )


def test_a_family_name_shared_in_the_chamber_is_ambiguous(manager, bills):
    services.import_people(actor=manager, files=fixture_files(), today=TODAY)
    fictional(manager, "Ola Osei", Chamber.UPPER, "20")
    text = (
        (FIXTURES / "vote-events.json")
        .read_text()
        .replace(
            '"voter_name": "Osei", "voter_id": "ocd-person/0f0e0d0c-0000-4000-8000-000000000003"',
            '"voter_name": "Osei"',
        )
    )
    with pytest.raises(InvalidInput, match="could be"):
        services.import_vote_events(actor=manager, file_name="v.json", text=text)
