"""Results from CSV: whole files or nothing, margins, turnout, ranked-choice counts."""

import datetime

import pytest

from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied, RowError
from powerbase.core.models import AuditEntry
from powerbase.electoral import queries, services
from powerbase.electoral.models import Candidate, Election, Race, ResultLine
from tests.conftest import act

RESULTS = b"""election,race,candidate,votes,precinct
Democratic primary 2024,State Senate District 10,Pat Okafor-Lind,"2,100",1
Democratic primary 2024,State Senate District 10,Pat Okafor-Lind,1900,2
Democratic primary 2024,State Senate District 10,Jordan Reyes-Whitfield,1800,1
Democratic primary 2024,State Senate District 10,Jordan Reyes-Whitfield,2000,2
Democratic primary 2024,State Senate District 10,Sam Ortolan,200,1
2024-08-13,State House District 94,Lee Amato,900,
2024-08-13,State House District 94,Chris Dube,1100,
"""


def test_results_show_winner_margin_share_and_turnout(manager, senate_10):
    imported = services.import_results(actor=manager, file_name="results.csv", content=RESULTS)
    assert (imported.rows, imported.races, imported.candidates_added) == (7, 2, 2)
    summary = queries.race_summary(senate_10)
    assert [(line.candidate.name, line.votes) for line in summary.lines] == [
        ("Pat Okafor-Lind", 4000),
        ("Jordan Reyes-Whitfield", 3800),
        ("Sam Ortolan", 200),
    ]
    assert [w.candidate.name for w in summary.winners] == ["Pat Okafor-Lind"]
    assert summary.margin == 200
    assert str(summary.margin_points) == "2.5"
    assert str(summary.winning_share) == "50.0"
    assert str(summary.turnout) == "20.0"  # 8,000 of 40,000 eligible
    assert summary.precincts == 2


def test_importing_the_same_file_twice_changes_nothing(manager, senate_10):
    services.import_results(actor=manager, file_name="results.csv", content=RESULTS)
    services.import_results(actor=manager, file_name="results.csv", content=RESULTS)
    assert ResultLine.objects.count() == 7
    assert Race.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"election,race,votes\nx,y,1\n", "results.csv, row 1, column 'candidate'"),
        (
            RESULTS + b"Democratic primary 2024,State Senate District 10,Sam Ortolan,many,2\n",
            "results.csv, row 9, column 'votes': 'many' is not a whole number",
        ),
        (
            RESULTS
            + b"Democratic primary 2024,State Senate District 10,Sam Ortolan,99999999999,3\n",
            "results.csv, row 9, column 'votes': 99999999999 votes is more than",
        ),
        (
            RESULTS + b"Primary 1999,Mayor,Sam Ortolan,5,\n",
            "results.csv, row 9, column 'election': there is no election 'Primary 1999'",
        ),
        (
            RESULTS + b"Democratic primary 2024,State Senate District 10,,5,3\n",
            "results.csv, row 9, column 'candidate': is empty",
        ),
        (
            RESULTS + b"2024-08-13,State House District 94,Lee Amato,4,\n",
            "results.csv, row 9, column 'precinct'",
        ),
    ],
)
def test_a_bad_row_names_file_row_and_column_and_writes_nothing(
    manager, senate_10, content, message
):
    with pytest.raises(RowError) as raised:
        services.import_results(actor=manager, file_name="results.csv", content=content)
    assert message in raised.value.message
    assert ResultLine.objects.count() == 0
    assert not Race.objects.filter(office="State House District 94").exists()


def test_a_viewer_may_not_import_results(viewer, nutmeg, senate_10):
    with pytest.raises(PermissionDenied):
        services.import_results(actor=act(viewer, nutmeg), file_name="r.csv", content=RESULTS)


def test_ranked_choice_races_are_counted_by_the_step_5_engine(manager, primary_2024):
    race = services.create_race(
        actor=manager, election=primary_2024, office="City Council", ranked_choice=True
    )
    ballots = b"rank1,rank2,count\nAna,Bo,40\nBo,,35\nCy,Bo,30\n"
    record = services.count_ranked_ballots(
        actor=manager, race=race, file_name="cvr.csv", content=ballots
    )
    assert record["winners"] == ["Bo"]
    race.refresh_from_db()
    summary = queries.race_summary(race)
    assert [w.candidate.name for w in summary.winners] == ["Bo"]
    assert summary.lines[0].candidate.name == "Ana"  # most first choices, but lost
    assert len(summary.rounds) == 2
    assert AuditEntry.objects.filter(action="race.counted").exists()


def test_a_bad_ballot_file_names_its_row(manager, primary_2024):
    race = services.create_race(
        actor=manager, election=primary_2024, office="City Council", ranked_choice=True
    )
    with pytest.raises(RowError) as raised:
        services.count_ranked_ballots(
            actor=manager,
            race=race,
            file_name="cvr.csv",
            content=b"rank1,rank2,count\nAna,Bo,forty\n",
        )
    assert "cvr.csv, row 2" in raised.value.message
    assert not Candidate.objects.filter(race=race).exists()


def test_an_election_name_is_unique_per_organization(manager, primary_2024):
    with pytest.raises(Conflict):
        services.create_election(
            actor=manager,
            name="Democratic primary 2024",
            date=datetime.date(2024, 8, 13),
            kind=Election.Kind.PRIMARY,
        )


def test_candidates_keep_party_fusion_lines_and_incumbency(senate_10):
    reyes = senate_10.candidates.get(name="Jordan Reyes-Whitfield")
    assert (reyes.party, reyes.fusion_lines, reyes.incumbent) == ("DEM", ["WFP"], False)
    assert senate_10.party == "DEM"


def test_a_file_with_nul_bytes_is_refused_as_binary_like_any_import(manager, senate_10):
    # PostgreSQL text cannot hold NUL; the import reader refuses such a file as a whole.
    before = Candidate.objects.count()
    with pytest.raises(InvalidInput, match="r.csv: .*binary data"):
        services.import_results(
            actor=manager,
            file_name="r.csv",
            content=(
                b"election,race,candidate,votes\nDemocratic primary 2024,Mayor,Ana\x00 Reyes,5\n"
            ),
        )
    assert Candidate.objects.count() == before


def test_results_saved_from_excel_in_windows_1252_are_read(manager, senate_10):
    services.import_results(
        actor=manager,
        file_name="r.csv",
        content=(
            "election,race,candidate,votes\nDemocratic primary 2024,Mayor,Tobías Wren,5\n".encode(
                "cp1252"
            )
        ),
    )
    assert Candidate.objects.filter(name="Tobías Wren").exists()
