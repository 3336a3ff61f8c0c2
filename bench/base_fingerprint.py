"""Benchmark: the base's fingerprint (identity.base.fingerprint), which every page showing
base figures takes, on a loaded demo.

    .venv/bin/python bench/base_fingerprint.py --data-dir var/bench-sqlite
    .venv/bin/python bench/base_fingerprint.py --data-dir var/bench-pg \\
        --database-url postgres://postgres@127.0.0.1:5432/pages_bench --explain

Calls `fingerprint` of the demo's organization --repeat times in one process (after one
call left out, which warms the connection) and prints p50 and p95 in milliseconds, then
each of its five aggregates timed alone. --explain prints the database's plan of each
aggregate (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL): with the indexes
of people 0004 and the others each should read an index only, not the table.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(call, repeat: int) -> list[float]:
    call()
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        found.append((time.perf_counter() - started) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", required=True, help="where the demo is loaded")
    parser.add_argument("--database-url", default="", help="postgres://... (default SQLite)")
    parser.add_argument("--repeat", type=int, default=20, help="calls timed")
    parser.add_argument("--organization", default="nutmeg", help="the organization's slug")
    parser.add_argument("--explain", action="store_true", help="print each aggregate's plan")
    args = parser.parse_args()

    os.environ["POWERBASE_DATA_DIR"] = str(Path(args.data_dir).resolve())
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    import django

    django.setup()
    from django.db import connection

    from powerbase.cli.consoles import make_console
    from powerbase.core.models import Organization
    from powerbase.identity import base

    console = make_console()
    organization = Organization.objects.get(slug=args.organization)
    people = base.people(organization).count()
    console.print(
        f"{connection.vendor}, {people:,} people in the base, load average "
        + " ".join(f"{figure:.2f}" for figure in os.getloadavg())
    )
    found = timed(lambda: base.fingerprint(organization), args.repeat)
    console.print(
        f"fingerprint x{args.repeat}: p50 {statistics.median(found):.1f} ms, "
        f"p95 {percentile(found, 0.95):.1f} ms"
    )
    for label, rows in base.fingerprint_sources(organization):
        alone = timed(lambda rows=rows: list(rows.all()), args.repeat)
        console.print(
            f"  {label:<12} p50 {statistics.median(alone):.1f} ms, "
            f"p95 {percentile(alone, 0.95):.1f} ms"
        )
        if args.explain:
            sql, params = rows.query.sql_with_params()
            verb = "EXPLAIN ANALYZE" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
            with connection.cursor() as cursor:
                cursor.execute(f"{verb} {sql}", params)
                for row in cursor.fetchall():
                    console.print("      " + " ".join(str(part) for part in row), highlight=False)


if __name__ == "__main__":
    main()
