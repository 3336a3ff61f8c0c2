"""Benchmark: how long each step of the demo load takes, on SQLite or PostgreSQL.

    .venv/bin/python bench/demo_steps.py --scale 0.05              # SQLite, ~2,500 people
    .venv/bin/python bench/demo_steps.py --scale 0.05 --postgres   # a scratch PostgreSQL database
    .venv/bin/python bench/demo_steps.py --scale 0.05 --profile "Finding duplicates"

It runs `demo.load.load_demo`'s steps one by one in a scratch database (the rosters' imports
together, then each later step) and prints each step's seconds and share of the whole, so the
two databases' runs at the same scale show which step one of them is slow at. --profile STEP
prints where that step's time goes (cProfile: by own time, then powerbase's functions by
cumulative time).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_people import configure, drop  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", default="", help="the start of a step's name")
    parser.add_argument(
        "--no-analyze", action="store_true", help="skip ANALYZE between steps (as before)"
    )
    args = parser.parse_args()
    os.environ["POWERBASE_DEMO_SCALE"] = str(args.scale)
    database = configure(postgres=args.postgres)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        from powerbase.demo import load
        from powerbase.demo.rosters import build_rosters

        rosters = build_rosters(scale=load.demo_scale())
        timings: list[tuple[str, float]] = []

        def step(name: str, run) -> object:
            started = time.perf_counter()
            if args.profile and name.startswith(args.profile):
                import cProfile
                import pstats

                with cProfile.Profile() as profile:
                    result = run()
                stats = pstats.Stats(profile)
                stats.sort_stats("tottime").print_stats(25)
                stats.sort_stats("cumulative").print_stats("powerbase", 40)
            else:
                result = run()
            if not args.no_analyze:
                load.refresh_statistics()  # as load_demo does after each step
            timings.append((name, time.perf_counter() - started))
            print(f"  {name}: {timings[-1][1]:.1f} s", flush=True)
            return result

        state = step(
            "Creating organizations and users", lambda: load._organizations_and_users(rosters)
        )
        step(
            f"Importing {len(rosters)} rosters",
            lambda: [load._import(state, roster) for roster in rosters],
        )
        for name, run in load._later_steps():
            step(name, lambda run=run: run(state))

        total = sum(seconds for _, seconds in timings)
        print(
            f"\n{'PostgreSQL' if args.postgres else 'SQLite'}, scale {args.scale}, "
            f"load average {os.getloadavg()[0]:.1f}, {total:.0f} s in all"
        )
        for name, seconds in timings:
            print(f"  {name:<56} {seconds:8.1f} s  {seconds / total:6.1%}")
    finally:
        drop(database)


if __name__ == "__main__":
    main()
