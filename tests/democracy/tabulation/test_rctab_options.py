"""RCTab's other modes as options: threshold fixed by round 1, stopping early, one winner per
round, bottoms-up counts, seeded tiebreaks, undeclared write-ins, and the RCTab-shaped JSON."""

import json
from decimal import Decimal

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.democracy.tabulation import Rules, bottoms_up, irv, stv, tabulate
from powerbase.democracy.tabulation.ballots import UNDECLARED_WRITE_INS as UWI
from powerbase.democracy.tabulation.fixed_point import format_votes
from powerbase.democracy.tabulation.rctab_config import load_contest, read_ballots
from powerbase.democracy.tabulation.rctab_report import rctab_report
from tests.democracy.tabulation import rctab_cases as cases
from tests.democracy.tabulation.ballot_notation import ballots


def thresholds(result) -> list[str]:
    return [format_votes(round_.threshold) for round_ in result.rounds]


def test_the_first_round_can_fix_the_threshold_for_the_whole_count():
    # 10 ballots: threshold 6. C's 2 ballots exhaust in round 3, when 8 votes need only 5.
    election = ballots("4: A", "3: B", "2: C", "1: D > A")
    moving = irv(election, Rules())
    fixed = irv(election, Rules(first_round_threshold=True))
    assert thresholds(moving) == ["6", "6", "5"]
    assert thresholds(fixed) == ["6", "6", "6"]
    assert moving.winners == fixed.winners == ["A"]


def test_a_count_can_stop_after_a_given_round_with_nobody_elected():
    result = irv(ballots("4: A", "3: B", "2: C > B"), Rules(stop_after_round=1))
    assert len(result.rounds) == 1
    assert result.rounds[0].eliminated == ["C"]
    assert result.winners == []


def test_only_one_winner_per_round_elects_the_top_candidate_and_moves_its_surplus_first():
    election = ballots("5: A > C", "4: B > C", "1: C")
    together = stv(election, Rules(seats=2))
    one_by_one = stv(election, Rules(seats=2, one_winner_per_round=True))
    assert together.rounds[0].elected == ["A", "B"]
    assert one_by_one.rounds[0].elected == ["A"]
    assert one_by_one.rounds[1].elected == ["B"]


def test_bottoms_up_eliminates_until_the_seats_are_left_and_elects_them_together():
    election = ballots("5: A", "4: B > A", "3: C > B", "1: D > C")
    result = bottoms_up(election, Rules(seats=2))
    assert [r.eliminated for r in result.rounds] == [["D"], ["C"], []]
    assert sorted(result.rounds[-1].elected) == ["A", "B"]
    assert all(not r.transfers.get("A") for r in result.rounds)  # no surplus moves


def test_bottoms_up_with_a_percentage_elects_everyone_holding_more_than_that_share():
    # 20 votes, 20% = 4: D (2) goes, then C (3 + 2 = 5) stays with A and B.
    election = ballots("8: A", "7: B", "3: C", "2: D > C")
    result = bottoms_up(election, Rules(bottoms_up_percentage=Decimal(20)))
    assert result.rounds[0].eliminated == ["D"]
    assert sorted(result.winners) == ["A", "B", "C"]
    assert thresholds(result) == ["4", "4"]


def test_bottoms_up_needs_more_than_the_percentage_as_rctab_does():
    # 25% of 20 = 5: C's 5 votes are not more than 5, so C goes too.
    election = ballots("8: A", "7: B", "3: C", "2: D > C")
    result = bottoms_up(election, Rules(bottoms_up_percentage=Decimal(25)))
    assert [r.eliminated for r in result.rounds] == [["D"], ["C"], []]
    assert sorted(result.winners) == ["A", "B"]


def test_undeclared_write_ins_go_first_and_are_never_elected():
    election = ballots("6: " + UWI, "4: A", "3: B > A")
    result = irv(election, Rules(candidates=("A", "B", UWI)))
    assert result.rounds[0].elected == []
    assert result.rounds[0].eliminated == [UWI]
    assert result.rounds[0].elimination == "undeclared-write-ins"
    assert result.winners == ["A"]


def test_a_generated_permutation_breaks_ties_as_rctab_does():
    # RCTab shuffles the sorted names with java.util.Random(12345): G, S, Y, M.
    names = ("Mookie", "Yinka", "George", "Sedale")
    election = ballots("2: Mookie", "2: Yinka", "2: George", "2: Sedale")
    result = irv(election, Rules(candidates=names, tiebreak="permutation", random_seed=12345))
    assert [r.eliminated for r in result.rounds[:2]] == [["Mookie"], ["Yinka"]]
    assert "permutation" in result.rounds[0].tiebreaks[0].explanation


def test_previous_round_then_random_uses_earlier_rounds_before_the_draw():
    # Round 2: B 3 and C 3 tie for elimination; in round 1 C had fewer (2 against 3).
    election = ballots("4: A", "3: B", "2: C", "1: D > C")
    rules = Rules(tiebreak="previous-round-then-random", random_seed=1)
    second = tabulate("irv", election, rules).rounds[1]
    assert second.eliminated == ["C"]
    assert second.tiebreaks[0].explanation == "C had the fewest votes (2) in round 1."


def test_previous_round_then_random_draws_when_every_round_is_tied():
    election = ballots("3: A", "3: B", "3: C")
    tie = (
        tabulate("irv", election, Rules(tiebreak="previous-round-then-random", random_seed=1))
        .rounds[0]
        .tiebreaks[0]
    )
    # java.util.Random(1).nextDouble() = 0.7309 picks the third of A, B, C.
    assert tie.chosen == "C"
    assert "seeded draw" in tie.explanation


def test_the_cli_takes_the_new_options(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text("rank1,rank2,count\nA,,8\nB,,7\nC,,3\nD,C,2\n")
    result = CliRunner().invoke(
        app, ["tally", str(path), "--method", "bottoms-up", "--bottoms-up-percentage", "20%"]
    )
    assert result.exit_code == 0, result.output
    assert "Elected: A, B, C" in result.output
    seeded = CliRunner().invoke(
        app,
        [
            "tally",
            str(path),
            "--method",
            "irv",
            "--tiebreak",
            "permutation:12345",
            "--stop-after-round",
            "1",
        ],
    )
    assert seeded.exit_code == 0, seeded.output
    assert "Elected: nobody" in seeded.output


def test_the_rctab_json_has_rctabs_rounds(tmp_path):
    name = "test_set_multi_winner_whole_threshold"
    out = tmp_path / "rctab.json"
    result = CliRunner().invoke(
        app, ["tally", "--rctab-config", str(cases.config_path(name)), "--rctab-json", str(out)]
    )
    assert result.exit_code == 0, result.output
    ours, theirs = json.loads(out.read_text()), cases.expected_reports(name)[0]
    assert _amounts(ours["results"]) == _amounts(theirs["results"])
    assert ours["summary"]["numWinners"] == 3


def test_a_sequential_count_gives_one_rctab_report_per_seat():
    name = "sequential_with_batch"
    contest = load_contest(cases.config_path(name))
    result = tabulate(contest.method, read_ballots(contest), contest.rules)
    reports = rctab_report(result)
    assert [_amounts(r["results"]) for r in reports] == [
        _amounts(r["results"]) for r in cases.expected_reports(name)
    ]


def _amounts(value):
    """Return *value* with every number-like string as a Decimal (RCTab writes "2.3330")."""
    if isinstance(value, dict):
        return {key: _amounts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_amounts(item) for item in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value
