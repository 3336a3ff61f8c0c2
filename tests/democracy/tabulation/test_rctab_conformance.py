"""Every case of RCTab's regression suite counts here as RCTab counts it, round by round.

Through the ballot CSV with the options (32 cases) and through `--rctab-config`, reading
RCTab's own config and CVR files (41 cases with an expected report; 3 configs RCTab refuses).

The cases are in rctab/ (RCTab's configs, CVRs and expected detailed reports, MPL-2.0, see
rctab/README.md). For each round (and each pass of a sequential count) we compare the tallies,
the threshold, who is elected and eliminated, and the four inactive buckets.
"""

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.democracy.tabulation import read_ballots_csv
from powerbase.democracy.tabulation.rctab_config import load_contest, read_ballots
from tests.democracy.tabulation import rctab_cases as cases


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["tally", *map(str, args)])
    return result.exit_code, result.output


@pytest.mark.parametrize("name", cases.csv_cases())
def test_the_ballot_csv_with_the_options_counts_as_rctab_does(name, tmp_path):
    out = tmp_path / "record.json"
    code, output = run(cases.csv_ballots(name, tmp_path), *cases.args(name), "--json", out)
    assert code == 0, output
    record = json.loads(out.read_text())
    assert cases.differences(record, cases.expected_reports(name)) == []


@pytest.mark.parametrize("name", cases.reported_cases())
def test_the_rctab_config_and_its_cvr_files_count_as_rctab_does(name, tmp_path):
    out = tmp_path / "record.json"
    code, output = run("--rctab-config", cases.config_path(name), "--json", out)
    assert code == 0, output
    record = json.loads(out.read_text())
    assert cases.differences(record, cases.expected_reports(name)) == []


@pytest.mark.parametrize("name", cases.csv_cases())
def test_the_cvr_readers_read_the_same_ballots_as_the_published_csv(name, tmp_path):
    from_cvrs = read_ballots(load_contest(cases.config_path(name)))
    from_csv = read_ballots_csv(cases.csv_ballots(name, tmp_path)).ballots
    assert _multiset(from_cvrs) == _multiset(from_csv)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("invalid_params_test", "overvoteRule 'invalidOption' is not one of"),
        ("invalid_sources_test", "test_data/nonexistent_path does not exist"),
        (
            "max_ranking_enforcement",
            "ballot on row 2: it ranks 'Candidate D' at rank 4, but the "
            "contest allows 3 rankings (maxRankingsAllowed)",
        ),
    ],
)
def test_the_configs_rctab_refuses_are_refused_with_a_sentence(name, reason):
    result = CliRunner().invoke(app, ["tally", "--rctab-config", str(cases.config_path(name))])
    assert result.exit_code == 1
    assert f"{name}" in result.stderr
    assert reason in " ".join(result.stderr.split())


def test_every_case_is_covered():
    assert len(cases.case_names()) == 44
    assert len(cases.reported_cases()) == 41
    assert len(cases.csv_cases()) == 32


def _multiset(ballots) -> Counter:
    counted: Counter = Counter()
    for ballot in ballots:
        ranks = list(ballot.ranks)
        while ranks and not ranks[-1]:
            ranks.pop()  # blank ranks at the end change nothing
        counted[tuple(ranks)] += ballot.count
    return counted
