"""`powerbase keys new|rotate`: the keys that encrypt sensitive notes at rest."""

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import django_setup

app = typer.Typer(help="Keys that encrypt sensitive notes at rest.", no_args_is_help=True)
console = make_console()


@app.command("new")
def new() -> None:
    """Print a new key. Put it FIRST in POWERBASE_FIELD_KEYS, then run `powerbase keys rotate`."""
    django_setup()
    from powerbase.core.encryption import new_key

    console.print(new_key(), highlight=False)


@app.command("rotate")
def rotate() -> None:
    """Re-encrypt every encrypted value with the newest key (the first in POWERBASE_FIELD_KEYS).

    Afterwards the older keys can be removed from POWERBASE_FIELD_KEYS. Safe to run again.
    """
    django_setup()
    from powerbase.core.encryption import rotate as rotate_all

    for label, count in rotate_all().items():
        console.print(f"{label}: {count} rewritten with the newest key")
