"""Results as states publish them: the OpenElections convention, and fusion voting."""

import datetime

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.exceptions import InvalidInput, RowError
from powerbase.electoral import queries, services
from powerbase.electoral.models import Candidate, Election, Race, ResultLine

# Fictional precinct results for a Connecticut general, as OpenElections publishes them:
# Pat Okafor-Lind runs on the DEM and WFP lines; Lee Amato on the REP line.
OPENELECTIONS = b"""county,precinct,office,district,party,candidate,votes,election_day,absentee
Fairfield,Ward 1,Registered Voters,,,,5000,,
Fairfield,Ward 1,State House,94,DEM,Pat Okafor-Lind,1000,900,100
Fairfield,Ward 1,State House,94,WFP,Pat Okafor-Lind,150,140,10
Fairfield,Ward 1,State House,94,REP,Lee Amato,1100,1000,100
Fairfield,Ward 1,State House,94,,Over Votes,3,,
New Haven,Ward 1,State House,94,DEM,Pat Okafor-Lind,800,,
New Haven,Ward 1,State House,94,WFP,Pat Okafor-Lind,,60,20
New Haven,Ward 1,State House,94,REP,Lee Amato,700,,
Fairfield,Ward 1,State Senate,10,DEM,Jordan Reyes-Whitfield,2000,,
Fairfield,Ward 1,State Senate,10,WFP,Jordan Reyes-Whitfield,40,,
Fairfield,Ward 1,State Senate,10,REP,Sam Ortolan,1500,,
"""


@pytest.fixture
def general_2024(manager) -> Election:
    return services.create_election(
        actor=manager,
        name="General 2024",
        date=datetime.date(2024, 11, 5),
        kind=Election.Kind.GENERAL,
    )


def test_an_openelections_file_imports_as_it_is(manager, general_2024):
    done = services.import_results(
        actor=manager, file_name="20241105__ct__general__precinct.csv", content=OPENELECTIONS
    )
    assert (done.rows, done.races, done.candidates_added, done.skipped) == (9, 2, 4, 2)
    race = Race.objects.get(office="State House District 94")
    assert race.election == general_2024
    line = ResultLine.objects.get(
        candidate__name="Pat Okafor-Lind", line="WFP", precinct="Fairfield: Ward 1"
    )
    assert (line.votes, line.by_method) == (150, {"election_day": 140, "absentee": 10})
    # No total on the row: the methods add up to it.
    assert ResultLine.objects.get(line="WFP", precinct="New Haven: Ward 1").votes == 80
    assert not Candidate.objects.filter(name__in=["Over Votes", ""]).exists()


def test_a_fusion_candidate_gets_a_line_per_ballot_line_and_the_race_adds_them(
    manager, general_2024
):
    services.import_results(
        actor=manager, file_name="20241105__ct__general__precinct.csv", content=OPENELECTIONS
    )
    pat = Candidate.objects.get(name="Pat Okafor-Lind")
    assert (pat.party, pat.fusion_lines) == ("DEM", ["WFP"])
    summary = queries.race_summary(Race.objects.get(office="State House District 94"))
    assert [(line.candidate.name, line.votes) for line in summary.lines] == [
        ("Pat Okafor-Lind", 2030),
        ("Lee Amato", 1800),
    ]
    assert summary.margin == 230
    assert queries.precinct_results(summary)[0][1] == [
        ("Pat Okafor-Lind", 1150),
        ("Lee Amato", 1100),
    ]


def test_the_organization_sees_what_its_line_delivered_against_the_margin(
    client, organizer, nutmeg, manager, general_2024
):
    services.import_results(
        actor=manager, file_name="20241105__ct__general__precinct.csv", content=OPENELECTIONS
    )
    race = Race.objects.get(office="State House District 94")
    delivery = queries.line_delivery(queries.race_summary(race), "WFP")
    assert (delivery.candidate.candidate.name, delivery.line_votes, delivery.margin) == (
        "Pat Okafor-Lind",
        230,
        230,
    )
    assert not delivery.decisive  # 230 on the line, won by 230: a tie without it
    fairfield = delivery.precincts[0]
    assert (fairfield.precinct, fairfield.line_votes, fairfield.margin, fairfield.decisive) == (
        "Fairfield: Ward 1",
        150,
        50,
        True,
    )
    client.force_login(organizer)
    page = client.get(
        reverse("electoral:race", kwargs={"org": nutmeg.slug, "race_id": race.pk})
    ).content.decode()
    assert "What the WFP line delivered" in page and "They won by 230" in page
    election_page = client.get(
        reverse("electoral:election", kwargs={"org": nutmeg.slug, "election_id": general_2024.pk})
    ).content.decode()
    assert "district by district" in election_page and "State Senate District 10" in election_page


def test_the_same_candidate_precinct_and_line_twice_is_refused(manager, general_2024):
    twice = OPENELECTIONS + b"Fairfield,Ward 1,State House,94,WFP,Pat Okafor-Lind,5,,\n"
    with pytest.raises(RowError, match="row 13, column 'precinct'.*WFP line"):
        services.import_results(actor=manager, file_name="20241105__ct__general.csv", content=twice)
    assert not ResultLine.objects.exists()


def test_an_openelections_file_needs_its_election_named_or_dated(manager, general_2024):
    with pytest.raises(InvalidInput, match="has no election column"):
        services.import_results(actor=manager, file_name="ct.csv", content=OPENELECTIONS)
    done = services.import_results(
        actor=manager, file_name="ct.csv", content=OPENELECTIONS, election="General 2024"
    )
    assert done.races == 2


def test_the_cli_imports_an_openelections_file_with_its_election(tmp_path, general_2024):
    path = tmp_path / "ct.csv"
    path.write_bytes(OPENELECTIONS)
    result = CliRunner().invoke(
        app, ["results", "import", str(path), "--org", "nutmeg", "--election", "2024-11-05"]
    )
    assert result.exit_code == 0, result.output
    assert "Skipped" in result.output
    assert ResultLine.objects.filter(line="WFP").count() == 3


def test_the_organizations_own_line_is_a_setting_the_pages_show_by_default(
    client, owner, organizer, nutmeg, manager, general_2024
):
    two_lines = OPENELECTIONS + b"Fairfield,Ward 1,State House,94,IND,Pat Okafor-Lind,20,,\n"
    services.import_results(
        actor=manager, file_name="20241105__ct__general__precinct.csv", content=two_lines
    )
    race_url = reverse(
        "electoral:race",
        kwargs={
            "org": nutmeg.slug,
            "race_id": Race.objects.get(office="State House District 94").pk,
        },
    )
    client.force_login(organizer)
    assert "What the IND line delivered" in client.get(race_url).content.decode()
    client.force_login(owner)
    settings_url = reverse("core:settings", kwargs={"org": nutmeg.slug})
    response = client.post(
        settings_url,
        {
            "name": nutmeg.name,
            "require_two_factor": "",
            "link_after_import": "on",
            "ballot_line": " wfp ",
        },
    )
    assert response.status_code == 302
    nutmeg.refresh_from_db()
    assert nutmeg.ballot_line == "WFP"
    client.force_login(organizer)
    assert "What the WFP line delivered" in client.get(race_url).content.decode()
    election_page = client.get(
        reverse("electoral:election", kwargs={"org": nutmeg.slug, "election_id": general_2024.pk})
    ).content.decode()
    assert "What the WFP line delivered, district by district" in election_page
    # Asking for another line still shows that one.
    assert "What the IND line delivered" in client.get(race_url, {"line": "ind"}).content.decode()


def test_a_ballot_line_that_no_result_could_hold_is_refused(client, owner, nutmeg):
    client.force_login(owner)
    response = client.post(
        reverse("core:settings", kwargs={"org": nutmeg.slug}),
        {"name": nutmeg.name, "require_two_factor": "on", "ballot_line": "<WFP>"},
    )
    assert response.status_code == 200
    assert "is not a ballot line" in response.content.decode()
    nutmeg.refresh_from_db()
    assert nutmeg.ballot_line == ""


# New York as OpenElections transcribes it, county by county: the same candidate spelled in
# another case in another county's rows, the Working Families line coded WOR, and NY's
# Blank, Void and Scattering rows. Saved from Excel: a byte order mark and CRLF line ends.
NEW_YORK = (
    "\ufeffcounty,precinct,office,district,party,candidate,votes\r\n"
    "Albany,Ward 1,Governor,,DEM,Kathy Hochul,1000\r\n"
    "Albany,Ward 1,Governor,,WOR,Kathy Hochul,88\r\n"
    "Albany,Ward 1,Governor,,REP,Lee Zeldin,1050\r\n"
    "Albany,Ward 1,Governor,,,Blank,12\r\n"
    "Albany,Ward 1,Governor,,,Void,1\r\n"
    "Albany,Ward 1,Governor,,,Void Ballots,1\r\n"
    "Albany,Ward 1,Governor,,,Scattering,2\r\n"
    "Schenectady,District 4,Governor,,DEM,KATHY  HOCHUL,900\r\n"
    "Schenectady,District 4,Governor,,WOR,KATHY HOCHUL,70\r\n"
    "Schenectady,District 4,Governor,,REP,LEE ZELDIN,800\r\n"
).encode()


def test_one_candidate_spelled_in_two_cases_is_one_candidate_and_void_rows_are_skipped(
    manager, general_2024
):
    done = services.import_results(
        actor=manager, file_name="20241105__ny__general__precinct.csv", content=NEW_YORK
    )
    assert done.skipped == 3  # Blank, Void, Void Ballots; Scattering is write-in votes
    summary = queries.race_summary(Race.objects.get(office="Governor"))
    assert [(line.candidate.name, line.votes) for line in summary.lines] == [
        ("Kathy Hochul", 2058),
        ("Lee Zeldin", 1850),
        ("Scattering", 2),
    ]
    hochul = Candidate.objects.get(name="Kathy Hochul")
    assert (hochul.party, hochul.fusion_lines) == ("DEM", ["WOR"])


# Counties transcribed by different volunteers: one writes party codes, another the names.
MIXED_PARTIES = (
    b"county,precinct,office,district,party,candidate,votes\n"
    b"Fairfield,Ward 1,State House,94,DEM,Pat Okafor-Lind,1000\n"
    b"Fairfield,Ward 1,State House,94,WFP,Pat Okafor-Lind,150\n"
    b"Fairfield,Ward 1,State House,94,REP,Lee Amato,1100\n"
    b"New Haven,Ward 1,State House,94,Democratic,Pat Okafor-Lind,800\n"
    b"New Haven,Ward 1,State House,94,Working Families,Pat Okafor-Lind,80\n"
    b"New Haven,Ward 1,State House,94,Republican,Lee Amato,700\n"
)


def test_a_party_written_by_name_in_one_county_is_the_same_line_as_its_code(manager, general_2024):
    services.import_results(
        actor=manager, file_name="20241105__ct__general__precinct.csv", content=MIXED_PARTIES
    )
    pat = Candidate.objects.get(name="Pat Okafor-Lind")
    assert (pat.party, pat.fusion_lines) == ("DEM", ["WFP"])
    assert sorted(set(ResultLine.objects.values_list("line", flat=True))) == [
        "DEM",
        "REP",
        "WFP",
    ]
