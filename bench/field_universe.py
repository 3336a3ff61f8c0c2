"""Benchmark universe counts and turf cutting on the demo's voter file (500,000 voters).

    .venv/bin/python bench/field_universe.py [--voters 500000] [--members 50000] [--repeat 5]

Writes the demo's fictional voter file (`powerbase.demo.voters.write_voter_file`), builds it
into a DuckDB version with the real importer, and makes a base of --members people linked to
random voters, with ladder levels and tags, as `universes.base_table` returns it. Then prints the
median time of:

    baseline          count(*) of one house district's voters (a plain scan and filter)
    count: state      the live count (voters, doors, members) of the whole state
    count: district   one district, three parties, at least 1 of the last 4 primaries
    count: members    members of the base at two ladder levels with a tag, statewide
    doors: district   one district's doors grouped and ordered for walking
    cut: district     the same, split into turfs of 60 doors (no database writes)

each with its ratio to the baseline. The universe form's count should feel live: < 300 ms.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=500_000)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import duckdb
    import pyarrow as pa

    from powerbase.demo.voters import write_voter_file
    from powerbase.field import universes, walking
    from powerbase.voterfile.build import build_version
    from powerbase.voterfile.layout import load_layout

    folder = Path(tempfile.mkdtemp(prefix="bench-field-"))
    started = time.perf_counter()
    paths = write_voter_file(folder, residents=[], voters=args.voters)
    build_version(files=paths, layout=load_layout("generic"), target=folder / "v.duckdb")
    print(
        f"voter file: {args.voters:,} voters written and built in "
        f"{time.perf_counter() - started:.0f} s"
    )
    con = duckdb.connect(str(folder / "v.duckdb"), read_only=True)
    voter_ids = [
        row[0]
        for row in con.execute(
            f"SELECT voter_id FROM voters USING SAMPLE {args.members} ROWS"
        ).fetchall()
    ]
    rng = random.Random(1)
    base = pa.table(
        {
            "voter_id": voter_ids,
            "person_id": list(range(1, len(voter_ids) + 1)),
            "level_id": [rng.choice([None, 1, 2, 3]) for _ in voter_ids],
            "tag_ids": [rng.sample(range(1, 9), rng.randrange(0, 3)) for _ in voter_ids],
        },
        schema=universes.BASE_SCHEMA,
    )
    district = con.execute(
        "SELECT state_house FROM voters GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0][0]
    F = universes.UniverseFilter.from_dict  # noqa: N806
    cases = {
        "count: state": lambda: universes.counts(con, F({}), base),
        "count: district": lambda: universes.counts(
            con,
            F(
                {
                    "district_kind": "state_house",
                    "districts": [district],
                    "parties": ["DEM", "WF", "UNA"],
                    "min_primaries": 1,
                }
            ),
            base,
        ),
        "count: members": lambda: universes.counts(
            con, F({"ladder_levels": [2, 3], "tags": [1]}), base
        ),
        "doors: district": lambda: universes.doors(
            con, F({"district_kind": "state_house", "districts": [district]}), base
        ),
        "cut: district": lambda: walking.cut(
            universes.doors(
                con, F({"district_kind": "state_house", "districts": [district]}), base
            ),
            60,
        ),
    }
    baseline, _ = timed(
        lambda: con.execute(
            "SELECT count(*) FROM voters WHERE state_house = ?", [district]
        ).fetchall(),
        args.repeat,
    )
    print(f"{'baseline':18} {baseline:8.1f} ms   1.0x")
    for name, case in cases.items():
        ms, result = timed(case, args.repeat)
        detail = result if isinstance(result, dict) else f"{len(result):,} rows"
        print(f"{name:18} {ms:8.1f} ms {ms / baseline:6.1f}x   {detail}")
    turfs = cases["cut: district"]()
    print(walkability(turfs, 60))
    con.close()
    shutil.rmtree(folder, ignore_errors=True)


def walkability(turfs: list[list[dict]], size: int) -> str:
    """Say how walkable the cut is: streets per turf, and streets split over several turfs
    (only a street of more than *size* doors may be)."""
    streets_per_turf = sorted(len({door["street"] for door in turf}) for turf in turfs)
    homes: dict[tuple, set[int]] = {}
    doors: dict[tuple, int] = {}
    for number, turf in enumerate(turfs):
        for door in turf:
            key = (door["precinct"], door["street"])
            homes.setdefault(key, set()).add(number)
            doors[key] = doors.get(key, 0) + 1
    split = [key for key, found in homes.items() if len(found) > 1]
    wrongly = [key for key in split if doors[key] <= size]
    return (
        f"walkability: {len(turfs)} turfs, streets per turf median "
        f"{statistics.median(streets_per_turf)}, max {streets_per_turf[-1]}; "
        f"{len(split)} of {len(homes)} streets split (all longer than a turf: "
        f"{'yes' if not wrongly else f'no, {len(wrongly)} are not'})"
    )


if __name__ == "__main__":
    main()
