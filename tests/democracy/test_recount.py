"""Anyone can recount: the published ballot file, run through `powerbase tally` with the
published command, gives the published record, round for round."""

import json
import random
import shlex

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.democracy import services
from powerbase.democracy.models import Electorate
from tests.conftest import add_member
from tests.democracy.conftest import voter_codes

CANDIDATES = [
    "Ada Okafor",
    "Ben Castillo",
    "Cleo Marsh",
    "Dev Patel",
    "Eun-ji Park",
    "Farah Haddad",
    "Gil Moreno",
    "Hana Sato",
    "Ivo Petrov",
    "Jade Wu",
    "Kofi Mensah",
    "Lena Berg",
]


def recount(result, tmp_path) -> dict:
    """Save the published file, run the published command on it, return the JSON it writes."""
    path = tmp_path / "ballots.csv"
    path.write_text(result.ballots_csv, encoding="utf-8")
    out = tmp_path / "recount.json"
    args = shlex.split(result.tally_command)
    assert args[:2] == ["powerbase", "tally"]
    args[2] = str(path)
    run = CliRunner().invoke(app, [*args[1:], "--json", str(out)])
    assert run.exit_code == 0, run.output
    return json.loads(out.read_text())


@pytest.fixture
def crowd(nutmeg, tenant_union, teachers_union, base):
    """Forty more members, so a five-seat count has rounds worth checking."""
    return [
        add_member(nutmeg, tenant_union if n % 3 else teachers_union, f"Voter{n}", f"Member{n}")
        for n in range(40)
    ]


def test_a_five_seat_stv_election_recounts_to_the_published_rounds(
    manager, members, crowd, tmp_path
):
    vote = services.create_vote(
        actor=manager, title="Steering committee", method="stv", seats=5, electorate=members
    )
    for name in CANDIDATES:
        services.add_candidate(actor=manager, vote=vote, name=name)
    codes = voter_codes(manager, vote)
    rng = random.Random(5)
    for code in codes.values():
        ranking = rng.sample(CANDIDATES, rng.randint(1, 6))
        if rng.random() < 0.5:  # a popular slate, so surpluses transfer
            ranking = [
                "Ada Okafor",
                "Cleo Marsh",
                *[c for c in ranking if c not in ("Ada Okafor", "Cleo Marsh")],
            ]
        services.cast_ballot(code=code, marks=[[name] for name in ranking])
    services.close_vote(actor=manager, vote=vote)
    result = services.count_vote(actor=manager, vote=vote)
    services.publish_results(actor=manager, vote=vote)
    assert len(result.record["rounds"]) > 3 and len(result.winners) == 5
    assert recount(result, tmp_path) == result.record


def test_a_weighted_endorsement_recounts_to_the_published_decision(
    manager, base, delegates, tenant_union, teachers_union, tmp_path
):
    blocs = services.create_electorate(
        actor=manager, name="Affiliates by membership", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    services.weights_from_membership(actor=manager, electorate=blocs)
    endorsement = services.create_endorsement_vote(
        actor=manager,
        endorsee="Rosa Delgado",
        office="State Senate, District 10",
        electorate=blocs,
        required="60%",
        share_of="electorate",
    )
    codes = voter_codes(manager, endorsement.vote)
    services.cast_ballot(code=codes[tenant_union.name], marks=[["yes"]])
    services.cast_ballot(code=codes[teachers_union.name], marks=[["no"]])
    services.close_vote(actor=manager, vote=endorsement.vote)
    result = services.count_vote(actor=manager, vote=endorsement.vote)
    assert "--electorate 7" in result.tally_command  # 4 tenants + 3 teachers in good standing
    assert recount(result, tmp_path) == result.record


def test_the_downloaded_ballot_set_is_the_file_that_was_counted(client, manager, election):
    codes = voter_codes(manager, election)
    services.cast_ballot(code=codes["ana"], marks=[["Fair Share"], ["Our Towns"]])
    services.close_vote(actor=manager, vote=election)
    result = services.count_vote(actor=manager, vote=election)
    services.publish_results(actor=manager, vote=election)
    response = client.get(
        reverse("democracy:published_ballots", kwargs={"public_id": election.public_id})
    )
    assert response.content.decode() == result.ballots_csv
    receipt = result.ballots_csv.splitlines()[1].split(",")[0]
    assert result.ballots_csv.splitlines() == [
        "receipt,rank1,rank2,weight",
        f"{receipt},Fair Share,Our Towns,1",
    ]
