"""Benchmark queueing one message to 100,000 recipients, on SQLite or PostgreSQL.

    .venv/bin/python bench/messages.py [--people N] [--backend sqlite|postgresql]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres]

A fresh database (a temporary SQLite file, or a temporary PostgreSQL database dropped
afterwards) gets N fictional direct members, an email and a granted email consent each, plus
one affiliate whose terms allow email with a tenth of them as members. One message goes to a
saved list of everyone.

Printed: the best of two runs of `messaging.sending.queue` (choosing the audience, reading consent,
affiliate terms and addresses, and bulk-inserting one Recipient row each), and as a ratio to
the baseline measured in the same run: a bare loop inserting the same rows with the database
driver's `executemany`, no ORM and no choosing (also best of two, alternating with the queue
runs). The goal is under a minute at 100,000.
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    name = f"bench_messages_{uuid.uuid4().hex[:8]}"
    if args.backend == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    else:
        _admin(args.postgres, f'CREATE DATABASE "{name}"')
        url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
    os.environ.update(
        DATABASE_URL=url,
        POWERBASE_HTTPS="0",
        SECRET_KEY="bench-only",
        POWERBASE_DATA_DIR=tempfile.mkdtemp(),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    try:
        run(args.people)
    finally:
        if args.backend == "postgresql":
            from django.db import connections

            connections.close_all()
            _admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def run(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    actor, message = populate(count)
    print(
        f"\n== {connection.vendor}: {count:,} people with consent ready in "
        f"{time.perf_counter() - started:.1f} s"
    )
    from powerbase.messaging import sending
    from powerbase.messaging.models import Recipient

    # Fresh tables have no statistics yet; in production autovacuum keeps them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Two rounds each, alternating, keeping the faster: the machine is shared and noisy.
    queue_times, bare_times, rows = [], [], []
    for _ in range(2):
        started = time.perf_counter()
        queued = sending.queue(actor, message)
        queue_times.append(time.perf_counter() - started)
        rows = list(message.recipients.values_list("person_id", "address"))
        Recipient.objects.filter(message=message).delete()
        started = time.perf_counter()
        bare_loop(connection, message, rows)
        bare_times.append(time.perf_counter() - started)
        assert message.recipients.count() == queued == count, (queued, count)
        Recipient.objects.filter(message=message).delete()
    queue_seconds, bare_seconds = min(queue_times), min(bare_times)
    print(f"queue one message to {queued:,} recipients: {queue_seconds:.2f} s")
    print(f"bare loop of the same {len(rows):,} inserts (executemany): {bare_seconds:.2f} s")
    print(f"ratio to the bare loop: {queue_seconds / bare_seconds:.2f}x")
    print(f"under a minute: {'yes' if queue_seconds < 60 else 'NO'}")


def bare_loop(connection, message, rows) -> None:
    """Insert the same rows as `queue` does, straight through the driver."""
    from django.db import transaction
    from django.utils import timezone

    now = timezone.now()
    sql = (
        "INSERT INTO messaging_recipient (organization_id, message_id, person_id, address, "
        "status, provider_id, error, queued_at) VALUES (%s, %s, %s, %s, 'queued', '', '', %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                sql,
                [
                    (message.organization_id, message.pk, person_id, address, now)
                    for person_id, address in rows[start : start + 5000]
                ],
            )


def populate(count: int):
    """Bulk-insert *count* fictional people with an email and email consent each."""
    from powerbase.coalition.models import Affiliate, AffiliateMembership
    from powerbase.core import access, services
    from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
    from powerbase.messaging.models import AffiliateTerms, Consent, Message
    from powerbase.people.models import EmailAddress, Person, SavedList, Source

    org = services.create_organization(name="Bench For All", slug="bench", state="CT")
    source = Source.objects.create(organization=org, kind=Source.Kind.IMPORT, label="bench")
    people = []
    for n in range(count):
        person = Person(
            organization=org,
            source=source,
            given_name=GIVEN_NAMES[n % len(GIVEN_NAMES)],
            family_name=FAMILY_NAMES[(n // len(GIVEN_NAMES)) % len(FAMILY_NAMES)],
            is_direct_member=n % 10 != 0,
        )
        person.refresh_keys()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=5000)
    ids = list(Person.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True))
    EmailAddress.objects.bulk_create(
        (
            EmailAddress(
                organization=org,
                person_id=pk,
                source=source,
                address=f"person{pk}@bench.example",
                is_primary=True,
            )
            for pk in ids
        ),
        batch_size=5000,
    )
    Consent.objects.bulk_create(
        (
            Consent(
                organization=org, person_id=pk, channel="email", status="granted", source="import"
            )
            for pk in ids
        ),
        batch_size=5000,
    )
    union = Affiliate.objects.create(organization=org, name="Bench Local 1", slug="local-1")
    AffiliateTerms.objects.create(organization=org, affiliate=union, may_email=True)
    AffiliateMembership.objects.bulk_create(
        (
            AffiliateMembership(organization=org, person_id=pk, affiliate=union, source=source)
            for pk in ids[::10]
        ),
        batch_size=5000,
    )
    everyone = SavedList.objects.create(organization=org, name="Everyone", filters={})
    message = Message.objects.create(
        organization=org,
        subject="Hello",
        body="Hi {{first_name}}",
        audience=Message.Audience.SAVED_LIST,
        audience_id=everyone.pk,
    )
    return access.command_line(org), message


if __name__ == "__main__":
    main()
