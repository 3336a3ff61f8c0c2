"""Benchmark: the whole power map over 5,000,000 voters and 100,000 members.

    .venv/bin/python bench/power_map.py                      # 5,000,000 voters, 100,000 members
    .venv/bin/python bench/power_map.py --voters 500000 --members 10000

DuckDB generates the voter file (voters, votes, elections, as `voterfile.build` writes them)
in memory from a seeded formula: 151 house, 36 senate and 5 congressional districts, four
primaries and four generals of history, ~20% primary turnout, 70% of registrations in the
party whose primary matters. The base is 100,000 people, 90% matched to a voter, 8% leaders,
as a pyarrow table (what `power.queries` builds from the ORM).

Figures, each the median of 5 runs in one process:

    baseline        SELECT state_house, count(*) FROM voters GROUP BY 1
    voter side      district_facts: registered, in party, turnout of the last two primaries
                    (once per voter file version, chamber and party; then cached)
    base side       the base joined to the voters, counted per district, win numbers, shares:
                    what reruns after a change in the base
    whole map       both, as on a cold start

Goal (issue 8): the whole map in under one second after a change.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

from powerbase.power.map import Assumptions, district_facts, power_map  # noqa: E402
from powerbase.voterfile.lookups import district_codes_in  # noqa: E402

PRIMARIES = ["2018-08-14", "2020-08-11", "2022-08-09", "2024-08-13"]
GENERALS = ["2018-11-06", "2020-11-03", "2022-11-08", "2024-11-05"]
RUNS = 5


def generate(con: duckdb.DuckDBPyConnection, voters: int) -> None:
    """Fill *con* with a voter file of *voters* registrations and their vote history."""
    con.execute(f"""
        CREATE TABLE voters AS
        SELECT printf('CT%08d', i) AS voter_id,
               CASE WHEN hash(i, 'p') % 10 < 7 THEN 'DEM' WHEN hash(i, 'p') % 10 < 8 THEN 'REP'
                    ELSE 'UNA' END AS party,
               CASE WHEN hash(i, 's') % 20 = 0 THEN 'removed'
                    WHEN hash(i, 's') % 20 < 3 THEN 'inactive' ELSE 'active' END AS status,
               ['W', 'B', 'H', 'A', 'O'][(1 + hash(i, 'r') % 5)::BIGINT] AS race,
               ['F', 'M'][(1 + hash(i, 'x') % 2)::BIGINT] AS sex,
               (1 + i % 151)::VARCHAR AS state_house, NULL::VARCHAR AS state_house_name,
               (1 + i % 36)::VARCHAR AS state_senate, NULL::VARCHAR AS state_senate_name,
               (1 + i % 5)::VARCHAR AS congressional, NULL::VARCHAR AS congressional_name
        FROM range({voters}) t(i)""")  # noqa: S608
    elections = [(day, "primary") for day in PRIMARIES] + [(day, "general") for day in GENERALS]
    parts = []
    for n, (day, kind) in enumerate(elections):
        share = 20 if kind == "primary" else 60
        parts.append(f"""
            SELECT voter_id, DATE '{day}' AS election_date, '{kind}' AS kind,
                   CASE WHEN '{kind}' = 'primary' THEN party END AS party,
                   'in_person' AS method
            FROM voters WHERE hash(voter_id, {n}) % 100 < {share}""")
    con.execute("CREATE TABLE votes AS " + " UNION ALL ".join(parts))  # noqa: S608
    con.execute("""CREATE TABLE elections AS SELECT election_date, kind, count(*) AS votes,
                   TRUE AS counted FROM votes GROUP BY ALL""")


def make_base(con: duckdb.DuckDBPyConnection, members: int, voters: int) -> pa.Table:
    """Return the base as `power.queries.base_table` hands it over: placed in its house
    district by its voter link (`code`), as `identity.base` places people."""
    return con.execute(f"""
        WITH b AS (
            SELECT i::BIGINT AS person_id,
                   CASE WHEN i % 10 = 0 THEN NULL
                        ELSE printf('CT%08d', hash(i, 'm') % {voters}) END AS voter_id,
                   i % 100 < 8 AS leader
            FROM range({members}) t(i))
        SELECT b.person_id, b.voter_id, b.leader, v.state_house AS code
        FROM b LEFT JOIN voters v USING (voter_id)
        ORDER BY b.person_id""").to_arrow_table()  # noqa: S608


def timed(function) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=5_000_000)
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    started = time.perf_counter()
    generate(con, args.voters)
    base = make_base(con, args.members, args.voters)
    votes = con.execute("SELECT count(*) FROM votes").fetchall()[0][0]
    print(
        f"Generated {args.voters:,} voters, {votes:,} votes, {base.num_rows:,} members "
        f"in {time.perf_counter() - started:.1f} s"
    )
    assumptions = Assumptions(kind="state_house", party="DEM")

    baseline, _ = timed(
        lambda: con.execute("SELECT state_house, count(*) FROM voters GROUP BY 1").fetchall()
    )
    voter_side, facts = timed(lambda: district_facts(con, kind="state_house", party="DEM"))
    linked = [voter_id for voter_id in base.column("voter_id").to_pylist() if voter_id]
    placing, _ = timed(lambda: district_codes_in(con, "state_house", linked))
    base_side, rows = timed(lambda: power_map(con, base, facts, assumptions))
    whole, _ = timed(
        lambda: power_map(
            con, base, district_facts(con, kind="state_house", party="DEM"), assumptions
        )
    )
    close = sum(row.is_close_to_decisive(assumptions) for row in rows)
    print(
        f"{len(rows)} districts, {sum(r.members for r in rows):,} members placed, "
        f"{close} close to decisive"
    )
    print(f"{'':28}{'median':>10}{'x baseline':>12}")
    for label, seconds in [
        ("baseline GROUP BY count", baseline),
        ("voter side (cached)", voter_side),
        ("place the base (links)", placing),
        ("base side (after a change)", base_side),
        ("whole map (cold)", whole),
    ]:
        print(f"{label:28}{seconds * 1000:>8.0f} ms{seconds / baseline:>12.1f}")
    goal = "met" if whole < 1 else "NOT met"
    print(f"Goal: whole map under 1 s: {goal} ({whole:.2f} s)")


if __name__ == "__main__":
    main()
