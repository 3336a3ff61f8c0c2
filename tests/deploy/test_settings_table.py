"""docs/deploy.md's table of settings, config/settings.py's docstring and the variables
config/settings.py actually reads name the same settings."""

import re

from tests.deploy.processes import ROOT

SETTINGS = (ROOT / "config" / "settings.py").read_text()
DEPLOY_DOC = (ROOT / "docs" / "deploy.md").read_text()


def read_by_settings() -> set[str]:
    pattern = r'(?:environ\.get|environ\[|env_flag|env_list)\(?\s*"([A-Z_]+)"'
    return set(re.findall(pattern, SETTINGS))


def in_the_table() -> set[str]:
    rows = [line for line in DEPLOY_DOC.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z_]+)`", row.split("|")[1])}


def test_every_variable_settings_reads_is_in_the_deploy_table_and_nothing_else():
    assert read_by_settings(), "the pattern no longer finds how settings.py reads variables"
    assert in_the_table() == read_by_settings()


def test_every_variable_settings_reads_is_in_its_docstring():
    docstring = SETTINGS.split('"""')[1]
    assert {name for name in read_by_settings() if name not in docstring} == set()
