"""Every case of RCTab's regression suite counts here as RCTab counts it, round by round.

The cases are in rctab/ (RCTab's configs, CVRs and expected detailed reports, MPL-2.0, see
rctab/README.md). For each round (and each pass of a sequential count) we compare the tallies,
the threshold, who is elected and eliminated, and the four inactive buckets.
"""

import json

import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
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
