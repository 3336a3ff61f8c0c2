"""`powerbase backup OUT` and `powerbase restore ARCHIVE`: a whole install in one archive."""

from pathlib import Path
from typing import Annotated

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import django_setup, fail

console = make_console()


def backup(
    out: Annotated[Path, typer.Argument(help="The archive to write, e.g. powerbase.tar.gz.")],
    encrypt: Annotated[
        bool | None,
        typer.Option(
            "--encrypt/--no-encrypt",
            help="Encrypt with POWERBASE_BACKUP_KEY (the default when it is set).",
        ),
    ] = None,
) -> None:
    """Write the database, the voter-file versions, uploaded files and a manifest with their
    checksums into one archive. Safe while powerbase runs: the database is read as one
    snapshot."""
    settings = django_setup()
    from powerbase.core.backup import BackupError
    from powerbase.core.backup import backup as write_backup

    if out.is_dir():
        fail(f"{out} is a folder: name the archive to write, e.g. {out / 'powerbase.tar.gz'}.")
    try:
        with console.status("Backing up..."):
            manifest = write_backup(
                out, encrypt=bool(settings.BACKUP_KEYS) if encrypt is None else encrypt
            )
    except BackupError as error:
        fail(error.message)
    tables = manifest["database"]["tables"]
    rows = sum(table["rows"] for table in tables.values())
    data = [name for name in manifest["files"] if name.startswith("data/")]
    console.print(
        f"Wrote {out}: the {manifest['database']['engine']} database ({len(tables)} tables, "
        f"{rows:,} rows) and {len(data)} file(s) of the data dir"
        + (", encrypted." if manifest["encrypted"] else ".")
    )
    if settings.SECRET_KEY_FROM_ENVIRONMENT or settings.FIELD_KEYS_FROM_ENVIRONMENT:
        console.print(
            "SECRET_KEY and POWERBASE_FIELD_KEYS are not in the archive: keep them apart; "
            "the restored install needs the same to read its sensitive notes."
        )


def restore(
    archive: Annotated[Path, typer.Argument(help="An archive written by `powerbase backup`.")],
) -> None:
    """Put an archive back into an EMPTY install (a new database, an empty data dir).

    Every checksum in the archive's manifest is checked before anything is put in place, and
    every table's once the database is restored. Then run `powerbase migrate` if this
    powerbase is newer than the one that made the archive.
    """
    django_setup()
    from powerbase.core.backup import BackupError
    from powerbase.core.backup import restore as put_back

    if not archive.is_file():
        fail(f"There is no file {archive}.")
    try:
        with console.status("Restoring..."):
            manifest = put_back(archive)
    except BackupError as error:
        fail(error.message)
    tables = manifest["database"]["tables"]
    console.print(
        f"Restored {archive.name} (made {manifest['created_at']} by powerbase "
        f"{manifest['versions']['powerbase']}): {len(tables)} tables and "
        f"{sum(1 for name in manifest['files'] if name.startswith('data/'))} file(s), "
        "every checksum matching. Next: powerbase migrate"
    )
    if "data/dev-secret-key" not in manifest["files"] or manifest["field_keys"]["from_environment"]:
        console.print(
            "Set the same SECRET_KEY and POWERBASE_FIELD_KEYS as the install the archive came "
            "from before starting powerbase: its sensitive notes are encrypted with them."
        )
