"""The published record: JSON-serialisable, the same keys in the same order, every method."""

import json

import pytest

from powerbase.democracy.tabulation import Ballot, Method, Rules, tabulate
from tests.democracy.tabulation.ballot_notation import ballots

RANKED = ballots("5: A > B", "4: B > A", "3: C > B", "1: A|B", "1:")
TOP_LEVEL = [
    "method",
    "seats",
    "candidates",
    "winners",
    "ballots",
    "votes",
    "rules",
    "rounds",
    "passes",
    "details",
]
ROUND = [
    "round",
    "threshold",
    "tally",
    "active_votes",
    "inactive",
    "inactive_votes",
    "residual_surplus",
    "final_round_surplus",
    "elected",
    "eliminated",
    "elimination",
    "transfers",
    "tiebreaks",
]
INACTIVE = ["undervote", "overvote", "skipped_rankings", "repeated_rankings", "exhausted_choices"]


def election_for(method: Method) -> list[Ballot]:
    if method is Method.THRESHOLD:
        return ballots("3: yes", "2: no", "1: abstain")
    if method is Method.SCORE:
        return [Ballot(scores={"A": 3, "B": 1}), Ballot(scores={"B": 2})]
    return RANKED


@pytest.mark.parametrize("method", list(Method))
def test_every_method_gives_a_json_record_with_keys_in_a_fixed_order(method):
    record = tabulate(method, election_for(method), Rules(seats=1)).to_dict()
    assert list(record) == TOP_LEVEL
    rounds = record["rounds"] or [r for p in record["passes"] for r in p["rounds"]]
    for round_ in rounds:
        assert list(round_) == ROUND
        assert list(round_["inactive"]) == INACTIVE
    assert json.loads(json.dumps(record)) == record


def test_the_record_shows_inactive_ballots_by_reason_and_totals_that_add_up():
    record = tabulate("irv", RANKED).to_dict()
    first = record["rounds"][0]
    # 14 ballots: 12 count for A, B or C; the overvote and the blank ballot do not.
    assert first["inactive"]["overvote"] == "1"
    assert first["inactive"]["undervote"] == "1"
    assert (first["active_votes"], first["inactive_votes"], record["votes"]) == ("12", "2", "14")
