"""Benchmark placing the base in districts for the whip board's "push here" flag.

    .venv/bin/python bench/legislature_base.py [--voters 500000] [--linked 20000]
        [--unlinked 30000] [--runs 5]

Builds an in-memory voter file of the demo's full size (500,000 registrations over 151 house
districts), then times placing the base as `identity.base` does, through
`voterfile.lookups`: the base's voter links joined to the voters (`district_codes_in`), and
people without a link placed by address and ZIP (`districts_at_addresses_in`). The baseline,
measured in the same run, is a plain count of voters per house district (a GROUP BY over the
same table).
Printed: the median of --runs runs of each, and the ratio.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=500_000)
    parser.add_argument("--linked", type=int, default=20_000)
    parser.add_argument("--unlinked", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    import duckdb

    from powerbase.voterfile.lookups import district_codes_in, districts_at_addresses_in

    def place_in_districts(con, column, linked, unlinked):
        by_link = district_codes_in(con, column, list(linked))
        by_address = districts_at_addresses_in(
            con,
            column,
            list(zip(unlinked["person_id"], unlinked["address"], unlinked["zip"], strict=True)),
        )
        return [(linked[voter_id], code) for voter_id, code in by_link.items()] + list(
            by_address.items()
        )

    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE voters AS
        SELECT 'V' || i AS voter_id, (i % 5000) || ' MAIN ST ' || (i % 97) AS address,
               lpad(((i * 7) % 900 + 6000)::VARCHAR, 5, '0') AS zip,
               ((i % 151) + 1)::VARCHAR AS state_house
        FROM range({args.voters}) t(i)""")
    rng = random.Random(6)
    picks = rng.sample(range(args.voters), args.linked + args.unlinked)
    linked = {f"V{i}": n for n, i in enumerate(picks[: args.linked])}
    unlinked = {"person_id": [], "address": [], "zip": []}
    for n, i in enumerate(picks[args.linked :], start=args.linked):
        unlinked["person_id"].append(n)
        unlinked["address"].append(f"{i % 5000} MAIN ST {i % 97}")
        unlinked["zip"].append(f"{(i * 7) % 900 + 6000:05d}")

    def timed(run) -> float:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    placed = place_in_districts(con, "state_house", linked, unlinked)
    baseline = timed(
        lambda: con.execute("SELECT state_house, count(*) FROM voters GROUP BY 1").fetchall()
    )
    placing = timed(lambda: place_in_districts(con, "state_house", linked, unlinked))
    print(
        f"voters {args.voters:,}; base {args.linked:,} linked + {args.unlinked:,} by address; "
        f"placed {len(placed):,}"
    )
    print(f"baseline (count voters per district): {baseline * 1000:.0f} ms")
    print(
        f"place the base in districts:          {placing * 1000:.0f} ms "
        f"({placing / baseline:.1f}x the baseline)"
    )


if __name__ == "__main__":
    main()
