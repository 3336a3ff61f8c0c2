"""Ballot sets exported as NIST CDF JSON count the same when read back as RCTab reads them."""

import json
import random

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.democracy import ballot_sets, services
from tests.democracy.conftest import printed_codes

FOOD = (
    "rank1,rank2,count\nOrange,,4\nPear,Orange,2\nChocolate,Strawberry,8\n"
    "Chocolate|Sweets,Pear,1\nStrawberry,,1\n,,2\n"
)


def tally(*args) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["tally", *map(str, args)])
    return result.exit_code, result.output + result.stderr


def cdf_config(folder, cdf_path, contest: str, candidates) -> str:
    config = folder / "contest_config.json"
    config.write_text(
        json.dumps(
            {
                "cvrFileSources": [
                    {"provider": "cdf", "filePath": cdf_path.name, "contestId": contest}
                ],
                "candidates": [{"name": name} for name in candidates],
                "rules": {
                    "tiebreakMode": "useCandidateOrder",
                    "overvoteRule": "exhaustImmediately",
                    "winnerElectionMode": "singleWinnerMajority",
                    "numberOfWinners": "1",
                    "maxSkippedRanksAllowed": "unlimited",
                    "maxRankingsAllowed": "max",
                },
            }
        )
    )
    return config


def test_a_ballot_file_exported_as_cdf_counts_the_same_through_an_rctab_config(tmp_path):
    ballots = tmp_path / "food.csv"
    ballots.write_text(FOOD)
    cdf = tmp_path / "food_cdf.json"
    candidates = "Chocolate|Orange|Pear|Strawberry|Sweets"
    code, output = tally(
        ballots,
        "--method",
        "irv",
        "--candidates",
        candidates,
        "--json",
        tmp_path / "csv.json",
        "--cdf-json",
        cdf,
    )
    assert code == 0, output
    assert "Wrote 18 ballots as CDF JSON" in output
    config = cdf_config(tmp_path, cdf, "food_cdf", candidates.split("|"))
    code, output = tally("--rctab-config", config, "--json", tmp_path / "cdf.json")
    assert code == 0, output
    from_csv = json.loads((tmp_path / "csv.json").read_text())
    from_cdf = json.loads((tmp_path / "cdf.json").read_text())
    assert from_cdf["rounds"] == from_csv["rounds"]


def test_weighted_ballots_cannot_be_exported_as_cdf(tmp_path):
    ballots = tmp_path / "bloc.csv"
    ballots.write_text("rank1,weight\nA,25\nB,1\n")
    code, output = tally(ballots, "--method", "irv", "--cdf-json", tmp_path / "out.json")
    assert code == 1
    assert "has no ballot weights" in output
    assert not (tmp_path / "out.json").exists()


def test_a_published_ballot_set_exports_as_cdf_json(manager, members, tmp_path):
    vote = services.create_vote(actor=manager, title="Chair", method="irv", electorate=members)
    names = ["Ada Okafor", "Ben Castillo", "Cleo Marsh"]
    for name in names:
        services.add_candidate(actor=manager, vote=vote, name=name)
    rng = random.Random(3)
    for code in printed_codes(manager, vote).values():
        services.cast_ballot(code=code, marks=[[name] for name in rng.sample(names, 2)])
    services.close_vote(actor=manager, vote=vote)
    result = services.count_vote(actor=manager, vote=vote)
    cdf = tmp_path / "chair.json"
    cdf.write_text(ballot_sets.ballot_cdf_json(vote, result.ballots_csv))
    code, output = tally(
        "--rctab-config",
        cdf_config(tmp_path, cdf, str(vote), names),
        "--json",
        tmp_path / "record.json",
    )
    assert code == 0, output
    recounted = json.loads((tmp_path / "record.json").read_text())
    assert recounted["winners"] == result.record["winners"]
    assert [r["tally"] for r in recounted["rounds"]] == [
        r["tally"] for r in result.record["rounds"]
    ]
