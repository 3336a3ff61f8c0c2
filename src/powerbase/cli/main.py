"""The `powerbase` command: parse, call a service, print.

powerbase demo          set up and run the demo on http://127.0.0.1:8000
powerbase serve         run the web server (production: gunicorn)
powerbase worker        run the background job worker
powerbase migrate       create or update the database tables
powerbase check         tell what is missing or unsafe for production (exit 1 if unsafe)
powerbase createorg     add an organization (a tenant)
powerbase createuser    add a person who can sign in, with a role in an organization
powerbase deactivate    stop a person signing in and end their sessions (--undo to restore)
powerbase jobs watch    follow a job's progress bar
powerbase affiliates    list or add the coalition's affiliates
powerbase import people bring a list (CSV/XLSX) into the base
powerbase export people write the people export one user may see (CSV/XLSX)
powerbase voterfile     import the state voter file; its layouts, versions and changes
powerbase officials     import Open States officials, list them
powerbase bills import  bring in Open States bills with their actions and votes
powerbase votes import  bring in roll-call votes (Open States JSON or CSV)
powerbase tally         count a ballot file (no database needed)
powerbase link          link two CSV files of people (no database needed)
powerbase dedupe        find people listed twice in a CSV file (no database needed)
powerbase identity      dedupe the base and link it to the voter file (jobs)
powerbase field         universes, cutting turf, walk and phone lists
powerbase results import bring in election results (CSV)
powerbase powermap      print the power map (or write it as CSV)
powerbase audit verify  check the audit log's hash chain; name the first altered entry
powerbase uploads purge delete uploaded lists no longer needed (the worker does it hourly)
powerbase keys          make a key for sensitive notes; re-encrypt them with the newest
powerbase districts shapes load district boundaries (GeoJSON, TIGER/Line shapefiles)
powerbase api keys      create, list or revoke keys for the OSDI API
powerbase money import  bring in donations (ActBlue, Action Network, EveryAction) or ledger income
powerbase backup OUT    write the whole install (database, voter file, uploads) into one archive
powerbase restore ARCHIVE  put an archive back into an empty install
powerbase school nominate nominate a cohort's participants from a CSV (person_id, affiliate)
powerbase school sessions schedule a cohort's sessions from a CSV (starts_at, module, ...)
powerbase school skills   record a cohort's skill assessments from a CSV (person_id, skill, level)
powerbase strategy import-decisions  log a body's past decisions (and tasks) from a CSV
powerbase bargaining import-units  add affiliates' bargaining units and contract expiries from a CSV
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli import (
    api,
    audit,
    backup,
    districts,
    exports,
    field,
    identity,
    jobwatch,
    keys,
    uploads,
    voterfile,
)
from powerbase.cli.affiliates import affiliates_app
from powerbase.cli.bargaining import bargaining_app
from powerbase.cli.check import check as check_command
from powerbase.cli.consoles import make_console
from powerbase.cli.electoral import powermap as powermap_command
from powerbase.cli.electoral import results_app
from powerbase.cli.helptext import reflow
from powerbase.cli.imports import import_app
from powerbase.cli.legislature import bills_app, officials_app, votes_app
from powerbase.cli.linkage import dedupe as dedupe_command
from powerbase.cli.linkage import link as link_command
from powerbase.cli.money import money_app
from powerbase.cli.school import school_app
from powerbase.cli.setup import django_setup, fail, find_organization
from powerbase.cli.strategy import strategy_app
from powerbase.cli.tally import tally as tally_command

app = typer.Typer(
    help="powerbase: the operating system of an independent political organization.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
jobs_app = typer.Typer(help="Follow background jobs.", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
console = make_console()


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    serve_web: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web server and worker.")
    ] = True,
) -> None:
    """Set up the demo organizations and run the web server and job worker.

    Uses the embedded database under var/ (or POWERBASE_DATA_DIR). The first run creates the
    tables and loads fictional demo data as a background job; later runs reuse them and start
    in seconds. Stop with Ctrl-C or SIGTERM: either stops the web server and worker too.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    os.environ.setdefault("DEBUG", "1")
    django_setup()
    from powerbase.demo.load import DEMO_LOGINS, DEMO_PASSWORD, demo_exists

    if serve_web and not _port_is_free(host, port):
        fail(
            f"Port {port} on {host} is already in use. Is the demo already running? "
            "Stop it, or choose another port with --port 8001."
        )
    with console.status("Preparing the database..."):
        _migrate()
    processes: list[subprocess.Popen] = []
    try:
        if serve_web or not demo_exists():
            processes.append(_spawn("worker", "--quiet"))
        if serve_web:  # up at once: while the demo loads, its sign-in page shows how far
            processes.append(_spawn("serve", "--host", host, "--port", str(port)))
            _wait_until_up(f"http://{host}:{port}/healthz", processes[-1])
        if not demo_exists():
            job = _demo_job()
            console.print("Loading the demo organizations (first run only)...")
            if serve_web:
                console.print(f"The sign-in page at http://{host}:{port}/ shows how far it got.")
            if not jobwatch.watch(job.pk, console=console):
                fail("Loading the demo failed; see the message above.")
        if not serve_web:
            console.print("The demo data is loaded.")
            return
        _print_logins(f"http://{host}:{port}/", DEMO_LOGINS, DEMO_PASSWORD)
        _wait_for(processes)
    except KeyboardInterrupt:
        console.print("\nStopping...")
    finally:
        _stop(processes)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Web server processes.")] = 2,
) -> None:
    """Run the web server (gunicorn). Settings come from the environment: see README."""
    settings = django_setup()
    if not settings.DEBUG:
        import fcntl
        from pathlib import Path

        from django.core.management import call_command

        # Two serve processes on one data dir start together (systemd's powerbase-web@8000 and
        # @8001): one at a time, or one deletes a hashed file the other is compressing.
        with open(Path(settings.STATIC_ROOT) / ".collectstatic.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            call_command("collectstatic", interactive=False, verbosity=0)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
    ]
    os.execv(sys.executable, command)  # noqa: S606 - become gunicorn, our fixed arguments


@app.command()
def worker(
    batch: Annotated[bool, typer.Option(help="Run the waiting jobs, then exit.")] = False,
    quiet: Annotated[bool, typer.Option(help="Print only errors.")] = False,
) -> None:
    """Run the background job worker: imports, matching, exports, the demo load.

    On start, and then hourly, it marks failed any job left "Running" by a worker that died
    and deletes uploaded files that are no longer needed.
    """
    django_setup()
    from django.core.management import call_command

    from powerbase.core.jobs import run_housekeeping, schedule_housekeeping

    run_housekeeping()
    schedule_housekeeping()

    call_command(
        "db_worker",
        batch=batch,
        reload=False,
        interval=0.5,
        startup_delay=not batch,
        verbosity=0 if quiet else 1,
    )


@app.command()
def migrate() -> None:
    """Create or update the database tables (safe to run any time)."""
    django_setup()
    _migrate(verbosity=1)


@app.command()
def createorg(
    slug: Annotated[str, typer.Argument(help="Short name used in web addresses, e.g. nutmeg.")],
    name: Annotated[str, typer.Option(help="Full name, e.g. 'Nutmeg For All'.")],
    level: Annotated[str, typer.Option(help="local, state or national.")] = "state",
    state: Annotated[str, typer.Option(help="Two-letter state code; blank for national.")] = "",
    parent: Annotated[str, typer.Option(help="Slug of the network it belongs to.")] = "",
) -> None:
    """Add an organization (a tenant): a local, state or national IPO."""
    django_setup()
    from powerbase.core import services
    from powerbase.core.exceptions import PowerbaseError

    parent_org = find_organization(parent) if parent else None
    try:
        organization = services.create_organization(
            name=name, slug=slug, level=level, state=state, parent=parent_org
        )
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"Created [bold]{organization}[/] ({organization.slug}). Next: "
        f"powerbase createuser EMAIL --org {organization.slug} --role owner"
    )
    console.print(
        "Its owners, admins and data directors set up two-factor sign-in the first "
        "time they sign in; an owner can change that on the Settings page."
    )


@app.command()
def createuser(
    email: Annotated[str, typer.Argument(help="Their email; they sign in with it.")],
    org: Annotated[str, typer.Option(help="Slug of the organization they get a role in.")],
    role: Annotated[
        str, typer.Option(help="owner, admin, organizer, data, affiliate_lead, leader or viewer.")
    ],
    name: Annotated[str, typer.Option(help="Their name as shown to others.")] = "",
    affiliate: Annotated[
        list[str] | None,
        typer.Option(help="For an affiliate_lead: slug of an affiliate they lead (repeatable)."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input instead of asking.")
    ] = False,
) -> None:
    """Add a person who can sign in, with a role in an organization.

    If the user exists already they keep their password and get the role. Otherwise you are
    asked for a password (or pass it on standard input with --password-stdin).
    """
    django_setup()
    from powerbase.coalition.services import add_user
    from powerbase.core import access
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.core.models import User

    organization = find_organization(org, " Create it with `powerbase createorg`.")
    password = None
    if not User.objects.filter(email=email.strip().lower()).exists():
        password = (
            sys.stdin.readline().rstrip("\n")
            if password_stdin
            else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        )
    try:
        membership = add_user(
            actor=access.command_line(organization),
            email=email,
            name=name,
            password=password,
            role=role,
            affiliate_slugs=affiliate or [],
        )
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"{membership.user.email} is {membership.get_role_display().lower()} of {organization}."
    )


@app.command()
def deactivate(
    email: Annotated[str, typer.Argument(help="The email they sign in with.")],
    undo: Annotated[
        bool, typer.Option(help="Let them sign in again (no old session comes back).")
    ] = False,
) -> None:
    """Stop a person signing in anywhere and end every session they have open."""
    django_setup()
    from powerbase.core import services
    from powerbase.core.models import User

    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        fail(f"There is no user with the email {email.strip().lower()}.")
    if undo:
        services.reactivate_user(user=user)
        console.print(f"{user.email} can sign in again.")
        return
    ended = services.deactivate_user(user=user)
    console.print(f"{user.email} can no longer sign in; {ended} open session(s) ended.")


@jobs_app.command("watch")
def jobs_watch(job_id: Annotated[int, typer.Argument(help="The job's number.")]) -> None:
    """Show a job's progress bar until it finishes; exit 1 if it failed."""
    django_setup()
    if not jobwatch.watch(job_id, console=console):
        raise typer.Exit(1)


# Commands that live in their own modules, listed after the everyday ones in --help.
app.add_typer(affiliates_app, name="affiliates")
app.add_typer(import_app, name="import")
app.add_typer(exports.app, name="export")
app.add_typer(voterfile.app, name="voterfile")
app.add_typer(identity.app, name="identity")
app.add_typer(officials_app, name="officials")
app.add_typer(bills_app, name="bills")
app.add_typer(votes_app, name="votes")
app.add_typer(field.app, name="field")
app.add_typer(districts.app, name="districts")
app.add_typer(results_app, name="results")
app.add_typer(keys.app, name="keys")
app.add_typer(audit.app, name="audit")
app.add_typer(uploads.app, name="uploads")
app.add_typer(api.app, name="api")
app.add_typer(money_app, name="money")
app.add_typer(school_app, name="school")
app.add_typer(strategy_app, name="strategy")
app.add_typer(bargaining_app, name="bargaining")
app.command(name="check")(check_command)
app.command(name="backup")(backup.backup)
app.command(name="restore")(backup.restore)
app.command(name="powermap")(powermap_command)
app.command(name="link")(link_command)
app.command(name="dedupe")(dedupe_command)
app.command(name="tally")(tally_command)
reflow(app)  # last: every command and sub-app above is registered


# Helpers for `demo` ---------------------------------------------------------------------------


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)


def _demo_job():
    from powerbase.core import jobs
    from powerbase.core.models import Job

    waiting = Job.objects.filter(
        kind="demo.load", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).first()
    return waiting or jobs.start(kind="demo.load", started_by=None, organization=None)


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "powerbase", *args], env=os.environ.copy())


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((host, port)) != 0


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with console.status("Starting the web server..."):
        while time.monotonic() < deadline:
            if process.poll() is not None:
                fail("The web server stopped while starting; see its output above.")
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own localhost
                    return
            except OSError:
                time.sleep(0.3)
    fail(f"The web server did not answer at {url} within {timeout:.0f} seconds.")


def _print_logins(url: str, logins, password: str) -> None:
    table = Table(title="Demo logins (all fictional)", show_lines=False)
    table.add_column("Email")
    table.add_column("Organization")
    table.add_column("Role")
    for login in logins:
        table.add_row(login.email, login.organization, login.role)
    console.print(table)
    console.print(f"Password for every demo login: [bold]{password}[/]")
    console.print(f"\npowerbase is running at [bold]{url}[/]  (Ctrl-C stops it)\n")


def _interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM (systemd, docker stop, kill) as Ctrl-C, so the children are stopped."""
    raise KeyboardInterrupt


def _wait_for(processes: list[subprocess.Popen]) -> None:
    while all(process.poll() is None for process in processes):
        time.sleep(0.5)
    fail("The web server or the worker stopped unexpectedly; see the output above.")


def _stop(processes: list[subprocess.Popen]) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut this short
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    app()
