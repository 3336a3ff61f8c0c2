"""Benchmark the check-in search at 100,000 people, on SQLite and on PostgreSQL.

    .venv/bin/python bench/checkin_search.py [--people N] [--searches N]
        [--backend sqlite|postgresql|both] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
        [--database URL]   (run on this database, populated on first use, and keep it)

Each backend runs in its own process on a fresh database (a temporary SQLite file; a temporary
PostgreSQL database, dropped afterwards). People are bulk-inserted with names dealt from the
demo's name lists, a phone each and an affiliate membership; 300 of them RSVP to the action.

Printed per backend: median and 95th-percentile latency of `actions.queries.check_in_search`
(what the door's search box calls) for two letters of a name, a longer prefix, two words, and
the last four digits of a phone; for an organizer and for an affiliate lead (whose search is
narrowed to their affiliate); and each as a ratio to a baseline measured in the same run: a
primary-key lookup of one person through the ORM. The goal is under 100 ms.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

KINDS = {
    "two letters": lambda g, f, p: g[:2],
    "four letters": lambda g, f, p: f[:4],
    "two words": lambda g, f, p: f"{g} {f[:3]}",
    "phone digits": lambda g, f, p: p[-4:],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--database",
        help="Run on this database URL and keep it (populated on first use): handy to try indexes.",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(args.people, args.searches)
        return
    if args.database:
        child(args.database, args)
        return
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        with temporary_database(backend, args.postgres) as url:
            child(url, args)


def child(url: str, args) -> None:
    """Run the measurement in a fresh process configured for the database at *url*."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "POWERBASE_HTTPS": "0",
        "SECRET_KEY": "bench-only",
        "POWERBASE_DATA_DIR": tempfile.mkdtemp(),
    }
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--people",
            str(args.people),
            "--searches",
            str(args.searches),
        ],
        env=env,
        check=True,
    )


class temporary_database:
    """Create an empty database for one run and remove it afterwards."""

    def __init__(self, backend: str, postgres_url: str):
        self.backend, self.postgres_url = backend, postgres_url
        self.name = f"bench_checkin_{uuid.uuid4().hex[:8]}"

    def __enter__(self) -> str:
        if self.backend == "sqlite":
            self.path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
            return f"sqlite:///{self.path}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self.postgres_url.rsplit("/", 1)[0] + f"/{self.name}"

    def __exit__(self, *exc) -> None:
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.postgres_url, autocommit=True) as connection:
            connection.execute(sql)


def run(count: int, searches: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world = existing() or populate(count)
    print(
        f"\n== {connection.vendor}: {world['people']:,} people ready in "
        f"{time.perf_counter() - started:.1f} s"
    )
    analyze(connection)
    measure(world, searches)


def populate(count: int) -> dict:
    """Bulk-insert *count* people with a phone and a membership each; return what to search."""
    from django.utils import timezone

    from powerbase.actions.models import Action, Rsvp
    from powerbase.coalition.models import Affiliate, AffiliateGrant, AffiliateMembership
    from powerbase.core import access, services
    from powerbase.core.models import Membership, Role
    from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
    from powerbase.people.models import Person, PhoneNumber, Source
    from powerbase.people.services import reversed_digits

    generator = random.Random(20261127)
    org = services.create_organization(name="Bench For All", slug="bench", state="CT")
    affiliates = [
        Affiliate.objects.create(organization=org, name=f"Local {n}", slug=f"l{n}")
        for n in range(40)
    ]
    source = Source.objects.create(organization=org, kind=Source.Kind.IMPORT, label="bench")
    people, samples = [], []
    for _ in range(count):
        given, family = generator.choice(GIVEN_NAMES), generator.choice(FAMILY_NAMES)
        person = Person(organization=org, source=source, given_name=given, family_name=family)
        person.refresh_keys()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=5000)
    people = list(Person.objects.filter(organization=org).order_by("pk"))
    phones, memberships = [], []
    numbers = generator.sample(range(2_000_000, 9_999_999), len(people))
    for n, (person, number) in enumerate(zip(people, numbers, strict=True)):
        e164 = f"+1203{number:07d}"
        phones.append(
            PhoneNumber(
                organization=org,
                person=person,
                source=source,
                e164=e164,
                digits_reversed=reversed_digits(e164),
                is_primary=True,
            )
        )
        memberships.append(
            AffiliateMembership(
                organization=org,
                person=person,
                source=source,
                affiliate=affiliates[n % len(affiliates)],
            )
        )
        if n % (count // 500 or 1) == 0:
            samples.append((person.given_key, person.family_key, e164))
    PhoneNumber.objects.bulk_create(phones, batch_size=5000)
    AffiliateMembership.objects.bulk_create(memberships, batch_size=5000)
    # Half the affiliates share contact details, as sharing terms vary.
    Affiliate.objects.filter(pk__in=[a.pk for a in affiliates[::2]]).update(share_contact=True)
    action = Action.objects.create(organization=org, title="Assembly", starts_at=timezone.now())
    Rsvp.objects.bulk_create(
        [
            Rsvp(organization=org, action=action, person=person)
            for person in generator.sample(people, 300)
        ]
    )
    command_line = access.command_line(org)
    organizer = services.create_user(
        email="organizer@bench.example", password="bench-bench-1", created_by=command_line
    )
    services.grant_role(user=organizer, role=Role.ORGANIZER, granted_by=command_line)
    lead = services.create_user(
        email="lead@bench.example", password="bench-bench-1", created_by=command_line
    )
    membership = services.grant_role(user=lead, role=Role.AFFILIATE_LEAD, granted_by=command_line)
    AffiliateGrant.objects.create(
        membership=membership or Membership.objects.get(user=lead), affiliate=affiliates[0]
    )
    return {
        "org": org,
        "action": action,
        "samples": samples,
        "people": len(people),
        "ids": [p.pk for p in generator.sample(people, 500)],
    }


def existing() -> dict | None:
    """Return the world of an earlier run kept with --database, if there is one."""
    from powerbase.actions.models import Action
    from powerbase.core.models import Organization
    from powerbase.people.models import Person

    org = Organization.objects.filter(slug="bench").first()
    if org is None:
        return None
    people = Person.objects.filter(organization=org)
    step = max(1, people.count() // 500)
    samples = [
        (p.given_key, p.family_key, p.phones.first().e164) for p in people.order_by("pk")[::step]
    ]
    return {
        "org": org,
        "action": Action.objects.get(organization=org),
        "samples": samples,
        "people": people.count(),
        "ids": list(people.order_by("?").values_list("pk", flat=True)[:500]),
    }


def analyze(connection) -> None:
    """Refresh the planner's statistics, as autovacuum or `ANALYZE` would in production."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(world: dict, searches: int) -> None:
    from powerbase.actions import queries
    from powerbase.core.access import actor_for
    from powerbase.core.models import User
    from powerbase.people.models import Person

    generator = random.Random(7)
    org, action = world["org"], world["action"]
    ids = world["ids"]
    baseline = timings(lambda n: Person.objects.get(pk=ids[n % len(ids)]), searches)
    print(
        f"baseline: primary-key lookup of a person  median {ms(baseline[0])}  p95 {ms(baseline[1])}"
    )
    for role in ("organizer", "lead"):
        actor = actor_for(User.objects.get(email=f"{role}@bench.example"), org.slug)
        for kind, make in KINDS.items():
            terms = [make(*generator.choice(world["samples"])) for _ in range(searches)]
            found = []

            def search(n, terms=terms, found=found, actor=actor):
                found.append(len(queries.check_in_search(actor, action, terms[n])))

            median, p95 = timings(search, searches)
            print(
                f"{actor.role:15} {kind:13} median {ms(median)}  p95 {ms(p95)}  "
                f"ratio to baseline {median / baseline[0]:5.1f}x / {p95 / baseline[1]:5.1f}x"
                f"  (avg {statistics.mean(found):.1f} shown)"
            )


def timings(work, times: int) -> tuple[float, float]:
    work(0)  # warm caches and prepared plans
    samples = []
    for n in range(times):
        started = time.perf_counter()
        work(n)
        samples.append(time.perf_counter() - started)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


if __name__ == "__main__":
    main()
