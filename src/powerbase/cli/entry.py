"""The `powerbase` executable: a fast path for `powerbase tally`, then the full command.

`powerbase tally` needs neither Django nor the record-linkage engine, and an election office
checking a count runs it on its own; importing every other command first (Splink and its SQL
parser among them) would double its start-up. Everything else goes through `cli.main.app`.
"""

import sys


def main() -> None:
    if sys.argv[1:2] == ["tally"]:
        import typer

        from powerbase.cli.tally import tally

        command = typer.main.get_command(_single(tally))
        command.main(args=sys.argv[2:], prog_name="powerbase tally")
        return
    from powerbase.cli.main import app

    app(prog_name="powerbase")


def _single(function):
    import typer

    from powerbase.cli.helptext import reflow

    single = typer.Typer(add_completion=False, rich_markup_mode="rich")
    single.command()(function)
    return reflow(single)
