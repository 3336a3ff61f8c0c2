"""Benchmark: the people page's search at 1,000,000 people, next to a primary-key lookup.

    .venv/bin/python bench/people_search.py                 # PostgreSQL, 1,000,000 people
    .venv/bin/python bench/people_search.py --sqlite        # the embedded database
    .venv/bin/python bench/people_search.py --people 100000 # a quicker run

It fills a scratch database with fictional people (each with an email and a phone, on
affiliate rosters), then times the queries the people page runs for a search — the count
and the first page of 50 — for a name prefix, a given+family prefix, an email and the last
digits of a phone, as the data director (all people) and as an affiliate lead (one affiliate).
The indexes that serve them are listed in docs/performance.md.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_people import configure, drop  # noqa: E402


def fill(organization, people: int) -> tuple[list, list]:
    """Insert *people* with emails, phones and memberships; return samples to search for."""
    from django.db import transaction
    from django.utils import timezone

    from powerbase.coalition.models import AffiliateMembership
    from powerbase.coalition.services import create_affiliate
    from powerbase.core import access
    from powerbase.core.bulk import insert_rows, reserve_ids
    from powerbase.demo.rosters import AREA_CODES, FAMILY_NAMES, GIVEN_NAMES
    from powerbase.people.models import EmailAddress, Person, PhoneNumber, Source
    from powerbase.people.names import search_keys
    from powerbase.people.services import reversed_digits

    rng = random.Random(3)
    affiliates = [
        create_affiliate(actor=access.command_line(organization), name=f"Local {n}")
        for n in range(40)
    ]
    now = timezone.now()
    samples = []
    with transaction.atomic():
        source = Source.objects.create(organization=organization, kind="import", label="bench")
        for start in range(0, people, 100_000):
            count = min(100_000, people - start)
            ids = reserve_ids(Person, count)
            rows, emails, phones, members = [], [], [], []
            for pk in ids:
                given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
                given = f"{given}{rng.choice(['', 'a', 'o', 'ie', 'ette', 'ina'])}"
                keys = search_keys(given=given, preferred="", family=family)
                rows.append((pk, organization.pk, source.pk, now, now, given, family, *keys))
                email = f"{keys[0].replace(' ', '')}.{pk}@example.org"
                phone = f"+1{rng.choice(AREA_CODES)}555{rng.randrange(10000):04d}"
                emails.append((organization.pk, pk, source.pk, now, email))
                phones.append((organization.pk, pk, source.pk, now, phone, reversed_digits(phone)))
                members.append(
                    (organization.pk, pk, source.pk, now, affiliates[pk % len(affiliates)].pk)
                )
                if rng.random() < 0.0005:
                    samples.append((given, family, email, phone))
            insert_rows(
                Person,
                (
                    "id",
                    "organization_id",
                    "source_id",
                    "created_at",
                    "updated_at",
                    "given_name",
                    "family_name",
                    "given_key",
                    "family_key",
                    "full_key",
                ),
                rows,
            )
            insert_rows(
                EmailAddress,
                ("organization_id", "person_id", "source_id", "recorded_at", "address"),
                emails,
            )
            insert_rows(
                PhoneNumber,
                (
                    "organization_id",
                    "person_id",
                    "source_id",
                    "recorded_at",
                    "e164",
                    "digits_reversed",
                ),
                phones,
            )
            insert_rows(
                AffiliateMembership,
                ("organization_id", "person_id", "source_id", "recorded_at", "affiliate_id"),
                members,
            )
            print(f"  inserted {start + count:,} people", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return samples, affiliates


def keep(name: str) -> str:
    """Use PostgreSQL database *name*, creating it if needed; it is not dropped afterwards."""
    import psycopg

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv")
    os.environ["POWERBASE_HTTPS"] = "0"
    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    return name


def timed(function, repeats: int) -> tuple[float, float]:
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument(
        "--keep",
        metavar="NAME",
        default="",
        help="PostgreSQL: fill database NAME once and keep it for later runs.",
    )
    args = parser.parse_args()
    database = keep(args.keep) if args.keep else configure(postgres=not args.sqlite)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from powerbase.core import access, services
        from powerbase.core.access import actor_for
        from powerbase.core.models import Organization, Role, User
        from powerbase.people import queries
        from powerbase.people.models import EmailAddress, Person, PhoneNumber

        if not Organization.objects.filter(slug="bench").exists():
            organization = services.create_organization(
                name="Bench For All", slug="bench", state="CT"
            )
            started = time.perf_counter()
            _, affiliates = fill(organization, args.people)
            print(f"filled {args.people:,} people in {time.perf_counter() - started:.0f} s")
            command_line = access.command_line(organization)
            data = services.create_user(
                email="data@bench.example", password=None, created_by=command_line
            )
            services.grant_role(user=data, role=Role.DATA, granted_by=command_line)
            lead_user = services.create_user(
                email="lead@bench.example", password=None, created_by=command_line
            )
            membership = services.grant_role(
                granted_by=command_line, user=lead_user, role=Role.AFFILIATE_LEAD
            )
            from powerbase.coalition.services import grant_affiliate

            grant_affiliate(membership=membership, affiliate=affiliates[0], granted_by=command_line)
        director = actor_for(User.objects.get(email="data@bench.example"), "bench")
        lead = actor_for(User.objects.get(email="lead@bench.example"), "bench")
        samples = [
            (
                p.given_name,
                p.family_name,
                EmailAddress.objects.filter(person=p).values_list("address", flat=True).first(),
                PhoneNumber.objects.filter(person=p).values_list("e164", flat=True).first(),
            )
            for p in Person.objects.filter(
                pk__in=random.Random(9).sample(range(1, Person.objects.count()), 400)
            )
        ]
        rng = random.Random(5)
        picks = [rng.choice(samples) for _ in range(args.repeats)]
        some_id = Person.objects.order_by("?").values_list("id", flat=True).first()

        def page(actor, text):
            found = queries.search(actor, queries.PeopleFilter(query=text))
            found.count()
            list(found[:50])

        cases = {
            "baseline: one person by primary key": lambda: Person.objects.get(pk=some_id),
            "name prefix, 3 letters (e.g. 'mar')": lambda: page(director, rng.choice(picks)[0][:3]),
            "given + family prefix ('maria gon')": lambda: page(
                director, (lambda p: f"{p[0]} {p[1][:3]}")(rng.choice(picks))
            ),
            "whole email": lambda: page(director, rng.choice(picks)[2]),
            "last 4 digits of a phone": lambda: page(director, rng.choice(picks)[3][-4:]),
            "affiliate lead, name prefix": lambda: page(lead, rng.choice(picks)[0][:3]),
        }
        results = {name: timed(case, args.repeats) for name, case in cases.items()}
        base = results["baseline: one person by primary key"][0]
        print(
            f"\n{'PostgreSQL' if not args.sqlite else 'SQLite'}, {args.people:,} people; "
            f"median and p95 of {args.repeats} searches (count + first page of 50)"
        )
        for name, (median, p95) in results.items():
            print(
                f"  {name:40s} median {median:8.1f} ms   p95 {p95:8.1f} ms   "
                f"{median / base:7.1f}x baseline"
            )
    finally:
        if not args.keep:
            drop(database)


if __name__ == "__main__":
    os.environ.setdefault("POWERBASE_DATA_DIR", tempfile.mkdtemp(prefix="powerbase-bench-"))
    main()
