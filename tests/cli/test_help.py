"""Every `powerbase ... --help` runs and reads as paragraphs at 80 columns: the docstrings are
wrapped at 100 for the source, and Typer's rich help used to keep those line breaks, breaking
each long line in two ("... (same" / "email, or same" / "phone and name)")."""

import re

import pytest
import typer
from typer.testing import CliRunner

from powerbase.cli.main import app

WIDTH = 80
TEXT_WIDTH = WIDTH - 2  # Typer pads the help text by one column each side


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(typer.main.get_command(app)))


def _help(path) -> str:
    result = CliRunner().invoke(
        app, [*path, "--help"], env={"COLUMNS": str(WIDTH)}, terminal_width=WIDTH
    )
    assert result.exit_code == 0, result.output
    return result.output


def _early_breaks(output: str) -> list[str]:
    """Lines of running text (outside the option and command panels) that end although the
    next line's first word would have fit on them."""
    lines = output.splitlines()
    return [
        f"{a.strip()!r} / {b.strip()!r}"
        for a, b in zip(lines, lines[1:], strict=False)
        if a.strip()
        and b.strip()
        and not re.match(r"\s*[╭│╰]", a)
        and not re.match(r"\s*[╭│╰]", b)
        and len(a.rstrip()) + 1 + len(b.split()[0]) <= TEXT_WIDTH
    ]


def test_every_command_is_checked():
    assert len(COMMANDS) > 60 and ("money", "import") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "powerbase")
def test_help_runs_and_wraps_its_paragraphs_at_80_columns(path):
    output = _help(path)
    assert "Usage:" in output
    assert not _early_breaks(output)
    assert all(len(line) <= WIDTH for line in output.splitlines())
    assert "%%" not in output
    help_text = COMMANDS[path].help or ""
    assert "\n" not in help_text.replace("\n\n", ""), "a line break inside a paragraph"


def test_money_import_help_reads_as_sentences():
    output = _help(("money", "import"))
    assert "(same email, or same phone and name)" in " ".join(output.split())
    assert "email, or same phone and name). Rows whose" in output
