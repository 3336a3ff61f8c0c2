"""PostgreSQL databases for the deploy tests, migrated by `powerbase migrate` once per set of
migrations instead of once per test.

A fresh `powerbase migrate` on PostgreSQL renders Django's model state 110 times over: 40 s
of CPU, 2-4 minutes on a loaded 2-core machine. The first test that needs a migrated database
runs `powerbase migrate` on an empty one, exactly as an operator does, and keeps the result as
a template named after a digest of every migration file and Django's version; later tests (in
this run, or the next run on this server) clone it with `CREATE DATABASE ... TEMPLATE`, about
a second. A changed migration is a new digest, so a new template, built from empty again.
"""

import hashlib
import os
from pathlib import Path

import django
import psycopg
import pytest

from tests.deploy.conftest import run_powerbase
from tests.deploy.processes import ROOT

POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def migrations_digest() -> str:
    """A digest of every migration file's name and content, and Django's version."""
    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted((ROOT / "src").rglob("migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_database(name: str, scratch: Path, **env: str) -> str:
    """Create the database *name* (dropping one of that name) with every migration applied by
    `powerbase migrate`; return its URL. *scratch* is a folder for the template's build."""
    template = f"powerbase_migrated_{migrations_digest()}"
    try:
        with psycopg.connect(POSTGRES + "postgres", autocommit=True, connect_timeout=3) as con:
            found = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if found.fetchone() is None:
                _build_template(con, template, scratch, env)
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server at {POSTGRES}: {error}")
    return POSTGRES + name


def _build_template(con: psycopg.Connection, template: str, scratch: Path, env: dict) -> None:
    building = f"{template}_building_{os.getpid()}"
    con.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    con.execute(f'CREATE DATABASE "{building}"')
    env = {"SECRET_KEY": "template-" + "x" * 50, **env, "DATABASE_URL": POSTGRES + building}
    result = run_powerbase(scratch / "template-var", "migrate", **env)
    if result.returncode != 0:
        con.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        raise AssertionError(f"powerbase migrate failed:\n{result.stdout}{result.stderr}")
    try:
        con.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    except psycopg.errors.DuplicateDatabase:  # another run built it meanwhile: the same
        con.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
