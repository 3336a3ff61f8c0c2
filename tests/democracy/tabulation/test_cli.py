"""`powerbase tally`: what a person sees, the JSON it writes, and that it needs no Django."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.democracy.tabulation import Rules, read_ballots_csv, tabulate

FOOD = (
    "rank1,rank2,count\nOrange,,4\nPear,Orange,2\nChocolate,Strawberry,8\n"
    "Chocolate,Sweets,4\nStrawberry,,1\nSweets,,1\n"
)


@pytest.fixture
def food_csv(tmp_path):
    path = tmp_path / "food.csv"
    path.write_text(FOOD)
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["tally", *map(str, args)])


def test_an_stv_count_prints_the_round_table_and_the_winners(food_csv):
    result = run(food_csv, "--method", "stv", "--seats", "3")
    assert result.exit_code == 0, result.output
    assert "Counted 20 ballots (20 votes, 6 rows) by single transferable vote." in result.output
    assert "Round 6" in result.output
    assert "Round 1: Chocolate elected; votes moved: Strawberry 4, Sweets 2." in result.output
    assert "Elected: Chocolate, Orange, Strawberry" in result.output


def test_the_json_record_is_the_engine_record_of_the_same_count(food_csv, tmp_path):
    out = tmp_path / "record.json"
    result = run(food_csv, "--method", "stv", "--seats", "3", "--json", out)
    assert result.exit_code == 0, result.output
    expected = tabulate("stv", read_ballots_csv(food_csv).ballots, Rules(seats=3)).to_dict()
    assert json.loads(out.read_text()) == expected


def test_rule_options_are_spelled_as_in_the_issue(food_csv, tmp_path):
    out = tmp_path / "record.json"
    result = run(
        food_csv,
        "--method",
        "irv",
        "--overvote-rule",
        "always-skip-to-next-rank",
        "--max-skipped-ranks",
        "1",
        "--max-rankings",
        "unlimited",
        "--repeated-candidate",
        "exhaust",
        "--batch-elimination",
        "--continue-until-two",
        "--quota",
        "droop",
        "--non-integer-threshold",
        "--decimal-places",
        "2",
        "--minimum-vote-threshold",
        "0",
        "--exclude",
        "Pear",
        "--candidates",
        "Sweets|Strawberry|Pear|Orange|Chocolate",
        "--tiebreak",
        "random:42",
        "--json",
        out,
    )
    assert result.exit_code == 0, result.output
    rules = json.loads(out.read_text())["rules"]
    assert rules["tiebreak"] == "random:42"
    assert rules["excluded"] == ["Pear"]
    assert rules["candidates"] == ["Sweets", "Strawberry", "Pear", "Orange", "Chocolate"]
    assert (rules["max_skipped_ranks"], rules["max_rankings"]) == (1, "unlimited")


def test_a_malformed_ballot_file_exits_with_the_row_and_column_at_fault(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text("rank1,weight\nAna,1\nBo,abc\n")
    result = run(path, "--method", "irv")
    assert result.exit_code == 1
    assert f"{path}, row 3, column 'weight': 'abc' is not a number." in result.stderr


def test_a_name_outside_the_candidate_list_is_an_error(food_csv):
    result = run(food_csv, "--method", "irv", "--candidates", "Orange|Pear")
    assert result.exit_code == 1
    assert "row 4, column 'rank1': 'Chocolate' is not one of the candidates" in result.stderr


def test_bad_option_values_are_explained(food_csv):
    assert (
        "must be a whole number of at least 0 or 'unlimited'"
        in run(food_csv, "--method", "irv", "--max-skipped-ranks", "lots").stderr
    )
    assert "needs a seed" in run(food_csv, "--method", "irv", "--tiebreak", "random").stderr
    assert "'coin' is not a tiebreak; choose candidate-order, previous-round, random:SEED" in (
        run(food_csv, "--method", "irv", "--tiebreak", "coin").stderr
    )


def test_a_yes_no_question_prints_whether_it_passed(tmp_path):
    path = tmp_path / "endorse.csv"
    path.write_text("rank1,weight\nYes,120\nno,50\nabstain,30\n")
    result = run(path, "--method", "threshold", "--required", "60%")
    assert result.exit_code == 0, result.output
    # 120 yes of 170 yes-or-no votes is 70.6%.
    assert "The question passed: 120 yes of 170 (votes cast (yes and no))" in result.output


def test_sequential_irv_and_schulze_print_their_own_tables(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text("rank1,rank2,count\nA,B,5\nB,A,4\nC,B,3\n")
    sequential = run(path, "--method", "sequential-irv", "--seats", "2")
    assert "Seat 2" in sequential.output
    assert "Elected: B, A" in sequential.output
    condorcet = run(path, "--method", "schulze")
    assert "Schulze ranking: B > A > C" in condorcet.output


def test_the_tally_command_runs_without_django_being_set_up(food_csv):
    # A fresh interpreter with no settings module: the command must neither need nor start
    # Django, so anyone can recount a published ballot set without a database.
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from powerbase.cli.main import app\n"
        f"result = CliRunner().invoke(app, ['tally', {str(food_csv)!r}, '--method', 'irv'])\n"
        "assert result.exit_code == 0, result.output\n"
        "import django.apps\n"
        "assert not django.apps.apps.ready, 'tally set up Django'\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    completed = subprocess.run(  # noqa: S603 - our own interpreter running our own script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr


def test_importing_the_counting_engine_does_not_import_django():
    script = (
        "import sys, powerbase.democracy.tabulation\n"
        "assert 'django' not in sys.modules, 'the engine imported django'\n"
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter running our own script
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
