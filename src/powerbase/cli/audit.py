"""`powerbase audit verify`: check that nobody rewrote the audit log."""

import typer
from rich.console import Console

from powerbase.cli.setup import django_setup, fail

app = typer.Typer(help="Check the audit log.", no_args_is_help=True)
console = Console()


@app.command("verify")
def verify() -> None:
    """Recompute the audit log's hash chains; name the first entry of each that was tampered with.

    Exits with status 1 when any chain is broken, so it can run from cron or a monitor.
    """
    django_setup()
    from powerbase.core import audit_chain

    checked, breaks = audit_chain.verify()
    if breaks:
        for broken in breaks:
            console.print(str(broken), highlight=False)
        fail(f"{len(breaks)} of the audit log's chains are broken ({checked} entries checked).")
    console.print(f"The audit log is intact: {checked} entries checked.")
