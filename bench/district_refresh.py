"""Benchmark: refresh a voter file's districts (the switch to a new version) against Django's
own upsert, in the same process.

    .venv/bin/python bench/district_refresh.py                 # 3,600 districts, 3 rounds
    .venv/bin/python bench/district_refresh.py --districts 10000 --rounds 5

A state's file has thousands of districts (precincts, wards, local districts); each import
writes every one of them inside the switch's transaction. Each round writes them once with
`bulk_create(update_conflicts=True)` (the baseline: a model instance and compiled SQL per
row) and once with `refresh_districts` (`core.bulk.upsert_rows`: one INSERT ... ON CONFLICT
DO UPDATE sent with executemany), alternating, each for a new version so every row is
updated. Runs on the database `config.settings` points at (a throwaway SQLite by default).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--districts", type=int, default=3600)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="powerbase-bench-districts-"))
    os.environ.setdefault("POWERBASE_DATA_DIR", str(data))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "bench-only-secret-key-0123456789",
            "POWERBASE_HTTPS": "0",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from powerbase.core import services
    from powerbase.voterfile import build
    from powerbase.voterfile.models import District, VoterFileVersion
    from powerbase.voterfile.services import refresh_districts

    call_command("migrate", verbosity=0)
    organization = services.create_organization(name="Bench", slug="bench-districts", state="NC")
    kinds = ("precinct", "ward", "school_board")
    counts = [
        build.DistrictCount(
            kind=kinds[n % 3],
            code=f"{n % 100}/{n:05d}",
            name=f"DISTRICT {n}",
            voters=n,
            active_voters=n // 2,
        )
        for n in range(args.districts)
    ]

    def django_upsert(version) -> None:
        District.objects.bulk_create(
            [
                District(
                    organization=version.organization,
                    kind=count.kind,
                    code=count.code,
                    name=count.name,
                    voter_count=count.voters,
                    active_voter_count=count.active_voters,
                    version=version,
                )
                for count in counts
            ],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["organization", "kind", "code"],
            update_fields=["name", "voter_count", "active_voter_count", "version"],
        )

    ways = {
        "bulk_create(update_conflicts=True)": django_upsert,
        "refresh_districts (upsert_rows)": lambda version: refresh_districts(
            version=version, counts=counts
        ),
    }
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    number = 0
    for _ in range(args.rounds):
        for name, write in ways.items():
            number += 1
            version = VoterFileVersion.objects.create(
                organization=organization, number=number, file_name=f"{number}.duckdb", layout="nc"
            )
            started = time.perf_counter()
            with transaction.atomic():
                write(version)
            seconds[name].append(time.perf_counter() - started)
            assert District.objects.filter(version=version).count() == len(counts)
    shutil.rmtree(data, ignore_errors=True)
    print(f"{len(counts):,} districts, {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, median in medians.items():
        print(f"{name:38} median {median:6.3f} s")
    baseline, ours = medians.values()
    print(f"Speed relative to bulk_create: {baseline / ours:.1f}x")


if __name__ == "__main__":
    main()
