"""Benchmark: the ladder page's funnel by district over a base of the full demo's size.

    .venv/bin/python bench/ladder_funnel.py                   # SQLite, 48,700 people
    .venv/bin/python bench/ladder_funnel.py --postgres        # a scratch PostgreSQL database
    .venv/bin/python bench/ladder_funnel.py --people 10000 --above 0.2

It fills a scratch database with fictional people (`people_search.fill`), stands a share of
them (--above, default 15%) on the ladder's upper rungs and the rest on its first, and places
everyone in one of 151 house districts (10% not placed) as `identity.base.placements` would
hand them over from its cache: the placing itself is measured by bench/legislature_base.py;
here both versions read the same placing.

Figures, each the median of --runs runs in one process:

    baseline    counting the base (one SELECT COUNT(*))
    before      the funnel as it was: every person of the base read through the ORM with
                their rung, counted in Python
    after       the counting of `actions.ladder.funnel_by_district`: each district's total
                from the placing, only people above the first rung read (the page keeps the
                whole base's funnels until the base changes: this is the first view after)
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_people import configure, drop  # noqa: E402
from people_search import fill  # noqa: E402


def funnel_before(actor, kind, district_of):
    """The funnel as it was before this benchmark was written: the whole base through the ORM."""
    from powerbase.actions import ladder
    from powerbase.identity import base

    rungs = ladder.levels(actor.organization)
    seen = base.people(actor.organization, actor)
    counts: dict[str, dict[int, int]] = {}
    for person_id, level_id in seen.values_list("pk", "ladder_standing__level_id").iterator(
        chunk_size=5000
    ):
        by_level = counts.setdefault(district_of.get(person_id, ""), {})
        level_id = level_id or rungs[0].pk
        by_level[level_id] = by_level.get(level_id, 0) + 1
    return {code: [by_level.get(r.pk, 0) for r in rungs] for code, by_level in counts.items()}


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=48_700)
    parser.add_argument("--above", type=float, default=0.15)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    database = configure(postgres=args.postgres)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import transaction
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        from powerbase.actions import ladder
        from powerbase.actions.models import LadderStanding
        from powerbase.core import access, services
        from powerbase.core.bulk import insert_rows
        from powerbase.identity import base
        from powerbase.identity import queries as identity

        organization = services.create_organization(
            name="Bench For All", slug="bench", state="CT", require_two_factor=False
        )
        started = time.perf_counter()
        fill(organization, args.people)
        rungs = ladder.levels(organization)
        rng = random.Random(5)
        ids = list(base.people(organization).values_list("pk", flat=True))
        today = timezone.localdate()
        standings = [
            (
                organization.pk,
                pk,
                (rng.choice(rungs[1:]) if rng.random() < args.above else rungs[0]).pk,
                today,
            )
            for pk in ids
        ]
        with transaction.atomic():
            insert_rows(
                LadderStanding, ("organization_id", "person_id", "level_id", "since"), standings
            )
        placed = {pk: str(1 + rng.randrange(151)) for pk in ids if rng.random() >= 0.1}
        identity.districts_of_people = lambda actor, kind: placed  # the cached placing
        print(
            f"filled {len(ids):,} people, {len(placed):,} placed, "
            f"{sum(s[2] != rungs[0].pk for s in standings):,} above the first rung, "
            f"in {time.perf_counter() - started:.0f} s"
        )
        actor = access.command_line(organization)

        baseline, _ = timed(lambda: base.people(organization, actor).count(), args.runs)
        before, old = timed(lambda: funnel_before(actor, "state_house", placed), args.runs)

        def counted():
            rungs = ladder.levels(organization)
            return ladder._district_rows(
                "state_house", rungs, ladder._district_counts(actor, "state_house", rungs)
            )

        after, rows = timed(counted, args.runs)
        new = {
            row.label.rsplit(" ", 1)[-1] if "known" not in row.label else "": [
                n for _, n in row.cells
            ]
            for row in rows
        }
        assert new == old, "the funnel's numbers changed"

        print(
            f"\n{'PostgreSQL' if args.postgres else 'SQLite'}, {len(ids):,} people, "
            f"median of {args.runs} runs; load average {os.getloadavg()[0]:.1f}"
        )
        for name, seconds in [
            ("baseline: count the base", baseline),
            ("before: the whole base through the ORM", before),
            ("after: funnel_by_district", after),
        ]:
            print(f"  {name:<42} {seconds * 1000:9.1f} ms  {seconds / baseline:7.1f}x")
        print(f"  after / before: {after / before:.3f}")
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                counted()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    finally:
        drop(database)


if __name__ == "__main__":
    main()
