"""Benchmark: import 100,000 messy rows end to end, against a baseline with no validation.

    .venv/bin/python bench/import_people.py                      # SQLite (a scratch file)
    .venv/bin/python bench/import_people.py --postgres           # PostgreSQL on 127.0.0.1
    .venv/bin/python bench/import_people.py --rows 20000         # a quicker run

End to end is what `powerbase import people` does after the upload: the check (read,
validate, normalise, match every row) and the commit (plan again, write everything in one
transaction, reusing the check's plan when nothing changed in between). The baseline loads
the same rows with `csv.reader` and the same fast inserts of people and emails, with no
validation, normalisation or matching, in the same process.
The goal in the issue: at least 5,000 rows per second end to end on a 2-core machine.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def messy_file(rows: int, seed: int = 11) -> bytes:
    """Return a fictional roster: mixed phone and date formats, some bad rows, repeats."""
    from powerbase.demo.rosters import AREA_CODES, FAMILY_NAMES, GIVEN_NAMES, STREETS, TOWNS

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "First Name",
            "Last Name",
            "DOB",
            "Email",
            "Mobile",
            "Street",
            "City",
            "Zip",
            "Role",
            "Tags",
        ]
    )
    written = []
    for number in range(rows):
        if written and rng.random() < 0.05:
            writer.writerow(rng.choice(written))  # the same person listed twice
            continue
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        born = f"{rng.randrange(1945, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        style = rng.random()
        if style < 0.33:
            born = f"{born[5:7]}/{born[8:10]}/{born[:4]}"
        elif style < 0.66:
            born = f"{int(born[5:7])}/{int(born[8:10])}/{born[2:4]}"
        phone = f"{rng.choice(AREA_CODES)}555{rng.randrange(10000):04d}"
        phone = rng.choice(
            [
                phone,
                f"({phone[:3]}) {phone[3:6]}-{phone[6:]}",
                f"{phone[:3]}-{phone[3:6]}-{phone[6:]}",
            ]
        )
        if rng.random() < 0.01:
            phone = "555-01"  # a bad row
        town, zip_code = rng.choice(TOWNS)
        row = [
            given,
            family,
            born,
            f"{given}.{family}{number}@example.org".lower().replace(" ", ""),
            phone,
            f"{rng.randrange(1, 2000)} {rng.choice(STREETS)} St",
            town,
            zip_code,
            rng.choice(["member", "member", "member", "steward"]),
            rng.choice(["", "", "building captain", "spanish speaker"]),
        ]
        written.append(row)
        writer.writerow(row)
    return out.getvalue().encode()


def configure(postgres: bool) -> str:
    """Point Django at a scratch database; return its name for the report."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv")
    os.environ["POWERBASE_HTTPS"] = "0"
    os.environ["POWERBASE_DATA_DIR"] = tempfile.mkdtemp(prefix="powerbase-bench-")
    if postgres:
        import psycopg

        name = f"powerbase_bench_{os.getpid()}"
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        return name
    os.environ.pop("DATABASE_URL", None)
    return "sqlite"


def drop(name: str) -> None:
    if name == "sqlite":
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")


def baseline(content: bytes, organization) -> float:
    """Load names and emails with csv.reader and the same fast inserts: no checks at all."""
    from django.db import transaction
    from django.utils import timezone

    from powerbase.core.bulk import insert_rows, reserve_ids
    from powerbase.people.models import EmailAddress, Person, Source

    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(content.decode())))[1:]
    now = timezone.now()
    with transaction.atomic():
        source = Source.objects.create(organization=organization, kind="import", label="baseline")
        ids = reserve_ids(Person, len(rows))
        insert_rows(
            Person,
            ("id", "organization_id", "source_id", "given_name", "family_name"),
            (
                (pk, organization.pk, source.pk, row[0], row[1])
                for pk, row in zip(ids, rows, strict=True)
            ),
        )
        insert_rows(
            EmailAddress,
            ("organization_id", "person_id", "source_id", "recorded_at", "address"),
            (
                (organization.pk, pk, source.pk, now, row[3])
                for pk, row in zip(ids, rows, strict=True)
            ),
        )
        transaction.set_rollback(True)  # leave the base empty for the real import
    return time.perf_counter() - started


def end_to_end(content: bytes, organization, affiliate) -> tuple[float, float, dict]:
    from powerbase.core import access, jobs
    from powerbase.imports import services

    started = time.perf_counter()
    actor = access.command_line(organization)
    batch = services.upload(
        actor=actor, file_name="bench.csv", content=content, affiliate=affiliate
    )
    batch = services.set_mapping(actor=actor, batch=batch, mapping=batch.mapping)
    jobs.execute(services.start_check(actor=actor, batch=batch, enqueue=False).pk)
    checked = time.perf_counter()
    batch.refresh_from_db()
    commit = services.start_commit(actor=actor, batch=batch, enqueue=False)
    jobs.execute(commit.pk)
    done = time.perf_counter()
    commit.refresh_from_db()
    if commit.error:
        raise SystemExit(commit.error)
    batch.refresh_from_db()
    return checked - started, done - checked, batch.counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    database = configure(args.postgres)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from powerbase.coalition.services import create_affiliate
        from powerbase.core import access
        from powerbase.core.services import create_organization

        organization = create_organization(name="Bench For All", slug="bench", state="CT")
        affiliate = create_affiliate(actor=access.command_line(organization), name="Bench Union")
        content = messy_file(args.rows)
        base_seconds = baseline(content, organization)
        check_seconds, commit_seconds, counts = end_to_end(content, organization, affiliate)
        total = check_seconds + commit_seconds
        rows = args.rows
        print(
            f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; rows: {rows:,}; "
            f"file: {len(content) / 1e6:.1f} MB; outcome: {dict(counts)}"
        )
        print(
            f"baseline (csv.reader + insert, no checks):       {base_seconds:6.2f} s  "
            f"{rows / base_seconds:9,.0f} rows/s"
        )
        print(
            f"check (read, validate, normalise, match):        {check_seconds:6.2f} s  "
            f"{rows / check_seconds:9,.0f} rows/s"
        )
        print(
            f"commit (write everything, one transaction):      {commit_seconds:6.2f} s  "
            f"{rows / commit_seconds:9,.0f} rows/s"
        )
        print(
            f"end to end (check + commit):                     {total:6.2f} s  "
            f"{rows / total:9,.0f} rows/s"
        )
        print(
            f"ratio end to end / baseline time: {total / base_seconds:.1f}x; "
            f"goal >= 5,000 rows/s end to end: "
            f"{'met' if rows / total >= 5000 else 'NOT met'}"
        )
    finally:
        drop(database)


if __name__ == "__main__":
    main()
