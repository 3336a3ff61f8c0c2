"""Output piped to a file or a pager keeps its long lines whole."""

import io

from powerbase.cli.consoles import PIPED_WIDTH, make_console


def test_piped_output_is_not_cut_at_eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr("sys.stdout", io.StringIO())
    console = make_console()
    long_path = "/srv/powerbase/var/voterfiles/nutmeg/ncvoter_statewide_2026-11-30/registration.txt"
    console.print(f"Imported {long_path}")
    printed = console.file.getvalue()
    assert console.width == PIPED_WIDTH
    assert long_path in printed
