"""`powerbase uploads purge`: delete uploaded lists the server no longer needs."""

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import django_setup

app = typer.Typer(help="Uploaded files kept on the server.", no_args_is_help=True)
console = make_console()


@app.command("purge")
def purge() -> None:
    """Delete uploaded files no longer needed (the worker also does this hourly).

    Imported or undone lists go at once; lists never imported, or whose import failed, after
    POWERBASE_UPLOAD_RETENTION_DAYS; stray files no import names after an hour. Income files
    (money imports) whose worker stopped go after a day, their import marked failed.
    """
    django_setup()
    from powerbase.imports.retention import purge as purge_uploads
    from powerbase.money.retention import purge as purge_money_uploads

    for kind, count in purge_uploads().items():
        console.print(f"{kind}: {count} deleted")
    for kind, count in purge_money_uploads().items():
        console.print(f"{kind}: {count}")
