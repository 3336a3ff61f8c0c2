"""`powerbase check`: what is missing or unsafe in this environment for production.

Each finding names the setting, what is wrong and what to do. "unsafe" findings make the
command exit 1, so a deploy script or a systemd `ExecStartPre=` can stop on them; notes are
printed and do not. docs/deploy.md lists every setting.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import django_setup

console = make_console()
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Finding:
    setting: str
    message: str
    unsafe: bool = True


def check() -> None:
    """Tell what is missing or unsafe for production; exit 1 if anything is unsafe."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings = django_setup()
    except ImproperlyConfigured as error:  # settings that stop everything, e.g. no SECRET_KEY
        console.print(f"[bold red]unsafe[/]  {error}", soft_wrap=True)
        raise typer.Exit(1) from None
    found = environment_findings(settings) + database_findings()
    for finding in found:
        label = "[bold red]unsafe[/]" if finding.unsafe else "[yellow]note[/]  "
        console.print(f"{label}  [bold]{finding.setting}[/]: {finding.message}", soft_wrap=True)
    unsafe = sum(finding.unsafe for finding in found)
    if unsafe:
        console.print(f"\n{unsafe} unsafe setting(s): fix them before serving real people's data.")
        raise typer.Exit(1)
    console.print("Nothing unsafe found for production.")


def environment_findings(settings: Any) -> list[Finding]:
    """Findings about the settings read from the environment (config/settings.py)."""
    checks = [
        _secret_key,
        _debug,
        _allowed_hosts,
        _https,
        _database_engine,
        _email,
        _site_url,
        _field_keys,
        _data_dir,
        _sms,
        _voterfile_parquet,
    ]
    return [finding for check in checks for finding in check(settings)]


def _secret_key(settings: Any) -> list[Finding]:
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        return [
            Finding(
                "SECRET_KEY",
                "not set: a key was made in the data dir, which suits the embedded default only. "
                "Set SECRET_KEY (every web and worker machine the same), e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
            )
        ]
    if len(settings.SECRET_KEY) < 50 or len(set(settings.SECRET_KEY)) < 5:
        return [Finding("SECRET_KEY", "too short or too simple: use 50 random characters.")]
    return []


def _debug(settings: Any) -> list[Finding]:
    if settings.DEBUG:
        return [Finding("DEBUG", "on: error pages would show code and settings. Unset it.")]
    return []


def _allowed_hosts(settings: Any) -> list[Finding]:
    hosts = set(settings.ALLOWED_HOSTS)
    if "*" in hosts:
        return [Finding("ALLOWED_HOSTS", "'*' accepts any Host header: name your host.")]
    if hosts <= LOCAL_HOSTS:
        return [
            Finding("ALLOWED_HOSTS", "only this machine: set the name people reach powerbase at.")
        ]
    return []


def _https(settings: Any) -> list[Finding]:
    if not settings.HTTPS:
        return [
            Finding(
                "POWERBASE_HTTPS",
                "off: cookies and passwords could cross the network in clear. "
                "Leave it on, and set POWERBASE_BEHIND_PROXY=1 behind Caddy.",
            )
        ]
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return [
            Finding(
                "POWERBASE_BEHIND_PROXY",
                "off: behind a TLS-terminating proxy (the documented layout) every request "
                "would be redirected to HTTPS forever. Set it to 1 there.",
                unsafe=False,
            )
        ]
    return []


def _database_engine(settings: Any) -> list[Finding]:
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        return [
            Finding(
                "DATABASE_URL",
                "the embedded SQLite database: one machine, one writer at a time. "
                "Set DATABASE_URL=postgres://... for production.",
            )
        ]
    return []


def _email(settings: Any) -> list[Finding]:
    if "console" in settings.MAILERS["default"]["BACKEND"]:
        return [
            Finding(
                "EMAIL_URL",
                "console://: emails (password resets, sign-in codes) are printed, never sent. "
                "Set EMAIL_URL=smtp://user:password@host:587.",
            )
        ]
    return []


def _site_url(settings: Any) -> list[Finding]:
    if not settings.SITE_URL.startswith("https://"):
        return [
            Finding(
                "POWERBASE_SITE_URL",
                f"{settings.SITE_URL}: links in emails and texts would not reach people. "
                "Set the https:// address of this install.",
            )
        ]
    return []


def _field_keys(settings: Any) -> list[Finding]:
    if not settings.FIELD_KEYS_FROM_ENVIRONMENT:
        return [
            Finding(
                "POWERBASE_FIELD_KEYS",
                "not set: notes are encrypted with a key derived from SECRET_KEY, so changing "
                "that makes them unreadable. Set one from `powerbase keys new` and back it up.",
            )
        ]
    return []


def _data_dir(settings: Any) -> list[Finding]:
    folder = Path(settings.DATA_DIR)
    try:
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as error:
        return [
            Finding(
                "POWERBASE_DATA_DIR",
                f"{folder} is not writable ({error.strerror}): the voter file and uploads "
                "live there. Give the service's user a local folder it owns.",
            )
        ]
    return []


def _sms(settings: Any) -> list[Finding]:
    if settings.SMS_PROVIDER == "twilio":
        missing = [
            name
            for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")
            if not getattr(settings, name)
        ]
        if missing:
            return [Finding(", ".join(missing), "needed for SMS_PROVIDER=twilio.")]
        return []
    return [
        Finding(
            "SMS_PROVIDER",
            f"{settings.SMS_PROVIDER}: texts are not sent to anyone (twilio sends them).",
            unsafe=False,
        )
    ]


def database_findings() -> list[Finding]:
    """Whether the database answers and has every migration applied."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return [Finding("DATABASE_URL", f"the database does not answer: {error}".strip())]
    if pending:
        return [
            Finding(
                "DATABASE_URL", f"{len(pending)} migration(s) not applied: run `powerbase migrate`."
            )
        ]
    return []


def _voterfile_parquet(settings: Any) -> list[Finding]:
    """A URL for the voter file's Parquet copy that this machine has nothing to read with."""
    import duckdb

    from powerbase.voterfile import object_storage

    base = str(getattr(settings, "VOTERFILE_PARQUET", "") or "")
    if "://" not in base:
        return []
    try:
        with duckdb.connect() as con:
            con.execute("LOAD httpfs")
        return []
    except duckdb.Error:
        pass
    try:
        object_storage.filesystem(base.partition("://")[0].lower())
    except object_storage.NotAvailable as missing:
        return [
            Finding(
                "POWERBASE_VOTERFILE_PARQUET",
                f"{base} is read through DuckDB's httpfs extension, not installed here (DuckDB "
                f"tries to download it on first use), or through Python, which needs {missing}. "
                "Install one of them, or publish to a shared folder.",
                unsafe=False,
            )
        ]
    return []
