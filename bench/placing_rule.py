"""Benchmark the voter file's one DuckDB rule on placing the base: registered Arrow tables
(the legislature's old query) against joined string parameters (`voterfile.lookups`) and
bound Python lists, on 500,000 voters, 20,000 linked people and 30,000 placed by address.

    .venv/bin/python bench/placing_rule.py

Prints the median of 5 runs of each and its ratio to the registered tables.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

from powerbase.voterfile.lookups import (  # noqa: E402
    district_codes_in,
    districts_at_addresses_in,
)

VOTERS, LINKED, BY_ADDRESS, RUNS = 500_000, 20_000, 30_000, 5


def main() -> None:
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE voters AS
        SELECT 'V' || i AS voter_id, (i % 5000) || ' MAIN ST ' || (i % 97) AS address,
               lpad(((i * 7) % 900 + 6000)::VARCHAR, 5, '0') AS zip,
               ((i % 151) + 1)::VARCHAR AS state_house
        FROM range({VOTERS}) t(i)""")  # noqa: S608 - constants
    picks = random.Random(6).sample(range(VOTERS), LINKED + BY_ADDRESS)
    linked = {f"V{i}": n for n, i in enumerate(picks[:LINKED])}
    rows = [
        (n, f"{i % 5000} MAIN ST {i % 97}", f"{(i * 7) % 900 + 6000:05d}")
        for n, i in enumerate(picks[LINKED:], start=LINKED)
    ]

    def registered():
        con.register(
            "linked", pa.table({"voter_id": list(linked), "person_id": list(linked.values())})
        )
        con.register(
            "unlinked",
            pa.table(
                {
                    "person_id": [r[0] for r in rows],
                    "address": [r[1] for r in rows],
                    "zip": [r[2] for r in rows],
                }
            ),
        )
        try:
            return con.execute("""
                SELECT l.person_id, v.state_house FROM linked l JOIN voters v USING (voter_id)
                WHERE v.state_house IS NOT NULL
                UNION ALL
                SELECT u.person_id, any_value(v.state_house) FROM unlinked u
                JOIN voters v ON upper(v.address) = u.address AND left(v.zip, 5) = u.zip
                WHERE v.state_house IS NOT NULL GROUP BY u.person_id""").fetchall()
        finally:
            con.unregister("linked")
            con.unregister("unlinked")

    def parameters():
        by_link = district_codes_in(con, "state_house", list(linked))
        return [(linked[v], c) for v, c in by_link.items()] + list(
            districts_at_addresses_in(con, "state_house", rows).items()
        )

    def python_lists():
        by_link = con.execute(
            """
            WITH asked AS MATERIALIZED (SELECT unnest($ids::VARCHAR[]) AS voter_id)
            SELECT voter_id, v.state_house FROM asked JOIN voters v USING (voter_id)
            WHERE v.state_house IS NOT NULL""",
            {"ids": list(linked)},
        ).fetchall()
        by_address = con.execute(
            """
            WITH asked AS MATERIALIZED (
                SELECT unnest($k::BIGINT[]) AS key, unnest($a::VARCHAR[]) AS address,
                       unnest($z::VARCHAR[]) AS zip)
            SELECT a.key, any_value(v.state_house) FROM asked a
            JOIN voters v ON upper(v.address) = a.address AND left(v.zip, 5) = a.zip
            WHERE v.state_house IS NOT NULL GROUP BY a.key""",
            {"k": [r[0] for r in rows], "a": [r[1] for r in rows], "z": [r[2] for r in rows]},
        ).fetchall()
        return [(linked[v], c) for v, c in by_link] + by_address

    def timed(function) -> tuple[float, int]:
        times, placed = [], 0
        for _ in range(RUNS):
            started = time.perf_counter()
            placed = len(function())
            times.append(time.perf_counter() - started)
        return statistics.median(times), placed

    baseline, placed = timed(registered)
    print(f"{VOTERS:,} voters; {LINKED:,} linked + {BY_ADDRESS:,} by address; placed {placed:,}")
    print(f"registered Arrow tables (baseline): {baseline * 1000:>6.0f} ms")
    for label, function in [
        ("joined string parameters (rule)", parameters),
        ("bound Python lists", python_lists),
    ]:
        seconds, _ = timed(function)
        print(f"{label:35} {seconds * 1000:>6.0f} ms ({seconds / baseline:.2f}x)")


if __name__ == "__main__":
    main()
