"""How well and how fast members are linked to a voter file, against an exact-match baseline.

    python bench/linkage_quality.py            # 10,000 members against ~500,000 voters
    python bench/linkage_quality.py --full     # 100,000 members against ~5,000,000 voters
    python bench/linkage_quality.py --movers local   # movers mostly stay in their city
    python bench/linkage_quality.py --surnames census   # surnames as varied as real ones

`--movers uniform` (the default, the original lists) sends half the movers to a zip chosen
uniformly across the state, and the member list has no city. `--movers local` is closer to
real moves (synthetic.LOCAL_MOVES: 65% of movers stay in their city) and the member list
gives a city; `--city` gives the city with the uniform movers, to tell the two apart.
`--surnames census` draws surnames as often as Americans hold them (synthetic.
CENSUS_SURNAME_CURVE) instead of the original lists' short tail, which makes namesakes about
2.7 times too common (bench/linkage_generator_audit.py).

Builds a fictional voter file and member list with known truth (see
powerbase.identity.linkage.synthetic for the errors and their rates), stores the voters in a
DuckDB file and the members in Parquet, then runs, each in a fresh process so its peak memory
is its own:

  - link:      powerbase.identity.linkage.link(members, "voters", connection=...)
  - year only: the same against a copy of the voter file that, like North Carolina's,
               publishes the birth year and leaves birth_date empty
  - baseline:  an exact join in DuckDB on lowercased first name, last name and birth date

and prints precision, recall and F1 at the default thresholds, the time and peak memory of
each, and their ratio; then, for each hard kind of member (moved, changed surname, and
every member against the year-only file), precision and recall of the pairs offered (auto-
accepted or queued for review), and the members missed grouped by what they still share
exactly with their voter record (and whether other voters share that much). A dedupe run
on a member list with people listed twice follows. Goals (issue 4): precision >= 0.98 and
recall >= 0.95; the full run in under 5 minutes and 8 GB on 2 cores. Goals (issue 13):
recall >= 0.97 with precision >= 0.99 on each hard kind.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from powerbase.identity.linkage import DEFAULT_THRESHOLDS, dedupe, link
from powerbase.identity.linkage.synthetic import (
    LOCAL_MOVES,
    ErrorRates,
    build_synthetic_lists,
    create_population,
    draw_members,
)

GOAL_PRECISION, GOAL_RECALL = 0.98, 0.95
GOAL_SECONDS, GOAL_GIGABYTES = 300, 8
GOAL_KIND_PRECISION, GOAL_KIND_RECALL = 0.99, 0.97


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help="100,000 members against 5,000,000 voters"
    )
    parser.add_argument("--voters", type=int, help="voters in the file (overrides --full)")
    parser.add_argument("--members", type=int, help="members on the list (overrides --full)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--movers",
        choices=("uniform", "local"),
        default="uniform",
        help="where movers go: anywhere in the state (default) or mostly within their city",
    )
    parser.add_argument(
        "--city", action="store_true", help="members give their city (implied by --movers local)"
    )
    parser.add_argument(
        "--surnames",
        choices=("original", "census"),
        default="original",
        help="surnames of the original lists, or drawn as often as Americans hold them "
        "(synthetic.CENSUS_SURNAME_CURVE)",
    )
    parser.add_argument("--child", nargs=2, metavar=("TASK", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILD_TASKS[args.child[0]](Path(args.child[1]))))
        return
    voters = args.voters or (5_000_000 if args.full else 500_000)
    members = args.members or (100_000 if args.full else 10_000)
    with tempfile.TemporaryDirectory(prefix="linkage-bench-") as directory:
        directory = Path(directory)
        started = time.perf_counter()
        rates = (
            LOCAL_MOVES
            if args.movers == "local"
            else ErrorRates(city_given=LOCAL_MOVES.city_given if args.city else 0.0)
        )
        truth = write_lists(
            directory,
            voters=voters,
            members=members,
            seed=args.seed,
            rates=rates,
            census_surnames=args.surnames == "census",
        )
        print(
            f"Built {voters:,} voters (about) and {members:,} members in "
            f"{time.perf_counter() - started:.0f} s "
            f"({sum(1 for v in truth['voter'].values() if v):,} members are registered).\n"
        )
        results = {
            task: run_child(task, directory) for task in ("link", "link_year_only", "baseline")
        }
        report_link(results, truth["voter"])
        report_kinds(results, truth)
        report_misses(directory, results, truth)
        report_unique_name_rule(directory, results, truth)
    report_dedupe(members=min(members, 20_000), seed=args.seed)


# Building the lists ----------------------------------------------------------------------


def write_lists(
    directory: Path,
    *,
    voters: int,
    members: int,
    seed: int,
    rates: ErrorRates | None = None,
    census_surnames: bool = False,
) -> dict:
    """Write voters.duckdb (tables `voters`, `voters_year_only`) and members.parquet.

    Return {"voter": member -> voter, "moved": set of members, "surname_changed": set}.
    """
    with duckdb.connect(str(directory / "voters.duckdb")) as con:
        create_population(con, voters=voters, seed=seed, census_surnames=census_surnames)
        member_table, truth = draw_members(con, members=members, seed=seed, rates=rates)
        con.execute("CREATE TABLE voters AS SELECT * FROM synthetic_voters")
        con.execute("""CREATE TABLE voters_year_only AS
            SELECT * REPLACE (CAST(NULL AS VARCHAR) AS birth_date),
                   year(CAST(birth_date AS DATE)) AS birth_year
            FROM synthetic_voters""")
        con.execute("DROP VIEW synthetic_voters")
        for table in (
            "synthetic_people",
            "synthetic_households",
            "synthetic_words",
            "synthetic_cities",
        ):
            con.execute(f"DROP TABLE {table}")
        con.execute("CHECKPOINT")
    pq.write_table(member_table, directory / "members.parquet")
    rows = truth.to_pylist()
    return {
        "voter": {row["member_id"]: row["voter_id"] for row in rows},
        **{
            kind: {row["member_id"] for row in rows if row[kind]}
            for kind in ("moved", "surname_changed")
        },
    }


# The runs, each in its own process ---------------------------------------------------------


def run_child(task: str, directory: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", task, str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"The {task} run failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def child_link(directory: Path, table: str = "voters") -> dict:
    started = time.perf_counter()
    steps: list[list] = []  # [message, seconds since the start] for each progress report

    def progress(stage, message):
        steps.append([f"{stage.value}: {message}", time.perf_counter() - started])

    with duckdb.connect(str(directory / "voters.duckdb"), read_only=True) as con:
        result = link(directory / "members.parquet", table, connection=con, progress=progress)
        pairs = result.pairs.select(["left_id", "right_id", "match_probability"]).to_pylist()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_bytes": peak_memory_bytes(),
        "pairs": [[p["left_id"], p["right_id"], p["match_probability"]] for p in pairs],
        "steps": [
            [message, (steps[i + 1][1] if i + 1 < len(steps) else seconds) - at]
            for i, (message, at) in enumerate(steps)
        ],
        "pairs_over_threshold": result.stats.pairs_over_threshold,
    }


def child_baseline(directory: Path) -> dict:
    started = time.perf_counter()
    with duckdb.connect(str(directory / "voters.duckdb"), read_only=True) as con:
        rows = con.execute(f"""
            SELECT m."Member ID", v.voter_id, CAST(1 AS DOUBLE)
            FROM read_parquet('{directory / "members.parquet"}') AS m
            JOIN voters AS v
              ON lower(trim(m."First Name")) = lower(v.first_name)
             AND lower(trim(m."Last Name")) = lower(v.last_name)
             AND CAST(try_strptime(m."Date of Birth", ['%m/%d/%Y', '%Y-%m-%d']) AS DATE)
                 = CAST(v.birth_date AS DATE)
        """).fetchall()
    return {
        "seconds": time.perf_counter() - started,
        "peak_bytes": peak_memory_bytes(),
        "pairs": [list(row) for row in rows],
        "steps": [],
        "pairs_over_threshold": 0,
    }


def child_link_year_only(directory: Path) -> dict:
    return child_link(directory, table="voters_year_only")


CHILD_TASKS = {
    "link": child_link,
    "link_year_only": child_link_year_only,
    "baseline": child_baseline,
}


def peak_memory_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


# Reporting -------------------------------------------------------------------------------


def scores(predicted: set, actual: set) -> tuple[float, float, float]:
    true_positives = len(predicted & actual)
    precision = true_positives / len(predicted) if predicted else 1.0
    recall = true_positives / len(actual) if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report_link(results: dict, truth: dict) -> None:
    actual = {(member, voter) for member, voter in truth.items() if voter}
    thresholds = DEFAULT_THRESHOLDS
    print(f"Linking members to voters ({len(actual):,} true pairs)")
    print(
        f"{'':34}{'precision':>10}{'recall':>9}{'F1':>8}{'pairs':>10}{'seconds':>9}{'peak GB':>9}"
    )
    rows = [
        (
            f"splink, auto-accept (p >= {thresholds.auto_accept:.2f})",
            "link",
            thresholds.auto_accept,
        ),
        (f"splink, accept + review (p >= {thresholds.review:.2f})", "link", thresholds.review),
        ("baseline: exact name + birth date", "baseline", 0.0),
    ]
    for label, task, threshold in rows:
        result = results[task]
        predicted = {(left, right) for left, right, p in result["pairs"] if p >= threshold}
        precision, recall, f1 = scores(predicted, actual)
        print(
            f"{label:34}{precision:>10.4f}{recall:>9.4f}{f1:>8.4f}{len(predicted):>10,}"
            f"{result['seconds']:>9.1f}{result['peak_bytes'] / 1e9:>9.2f}"
        )
    linked, baseline = results["link"], results["baseline"]
    print(
        f"\nWhere the link run spent its time ({linked['pairs_over_threshold']:,} pairs at or "
        "above the review threshold):"
    )
    for message, seconds in linked["steps"]:
        print(f"  {seconds:6.1f} s  {message}")
    print(
        f"Ratio to baseline: {linked['seconds'] / baseline['seconds']:.1f}x the time, "
        f"{linked['peak_bytes'] / baseline['peak_bytes']:.1f}x the peak memory."
    )
    auto = {(left, right) for left, right, p in linked["pairs"] if p >= thresholds.auto_accept}
    precision, recall, _ = scores(auto, actual)
    checks = [
        ("precision", precision >= GOAL_PRECISION, f"{precision:.4f} >= {GOAL_PRECISION}"),
        ("recall", recall >= GOAL_RECALL, f"{recall:.4f} >= {GOAL_RECALL}"),
        (
            "time",
            linked["seconds"] <= GOAL_SECONDS,
            f"{linked['seconds']:.0f} s <= {GOAL_SECONDS} s",
        ),
        (
            "memory",
            linked["peak_bytes"] <= GOAL_GIGABYTES * 1e9,
            f"{linked['peak_bytes'] / 1e9:.2f} GB <= {GOAL_GIGABYTES} GB",
        ),
    ]
    print(
        "Goals: "
        + "; ".join(f"{name} {'met' if ok else 'NOT MET'} ({text})" for name, ok, text in checks)
        + ".\n"
    )


def report_kinds(results: dict, truth: dict) -> None:
    """Precision and recall of the pairs offered (p >= review) for each hard kind of member."""
    voter_of = truth["voter"]
    kinds = [
        ("moved", "link", truth["moved"]),
        ("changed surname", "link", truth["surname_changed"]),
        ("birth year only (voter file)", "link_year_only", set(voter_of)),
        ("year only and moved", "link_year_only", truth["moved"]),
        ("year only, changed surname", "link_year_only", truth["surname_changed"]),
    ]
    print(
        f"Hard cases, pairs offered (p >= {DEFAULT_THRESHOLDS.review:.2f}: linked or queued "
        "for review)"
    )
    print(
        f"{'':34}{'members':>9}{'precision':>10}{'recall':>9}"
        f"{'auto P / R (p >= ' + str(DEFAULT_THRESHOLDS.auto_accept) + ')':>26}"
        f"{'to review: right / all':>24}"
    )
    verdicts = []
    for label, task, members in kinds:
        actual = {(m, voter_of[m]) for m in members if voter_of[m]}
        pairs = [(left, right, p) for left, right, p in results[task]["pairs"] if left in members]
        offered = {(left, right) for left, right, p in pairs if p >= DEFAULT_THRESHOLDS.review}
        auto = {(left, right) for left, right, p in pairs if p >= DEFAULT_THRESHOLDS.auto_accept}
        review = offered - auto
        precision, recall, _ = scores(offered, actual)
        auto_precision, auto_recall, _ = scores(auto, actual)
        print(
            f"{label:34}{len(members):>9,}{precision:>10.4f}{recall:>9.4f}"
            f"{f'{auto_precision:.4f} / {auto_recall:.4f}':>26}"
            f"{f'{len(review & actual):,} / {len(review):,}':>24}"
        )
        met = precision >= GOAL_KIND_PRECISION and recall >= GOAL_KIND_RECALL
        verdicts.append(f"{label} {'met' if met else 'NOT MET'}")
    print(
        f"Goals (precision >= {GOAL_KIND_PRECISION}, recall >= {GOAL_KIND_RECALL}): "
        + "; ".join(verdicts)
        + f". Year-only run: {results['link_year_only']['seconds']:.1f} s.\n"
    )


# What a missed member still shares with their voter record, exactly. "first+last, 2+ voters"
# means the exact name and nothing else, and at least two voters have that name: no model
# can tell which one is the member.
EVIDENCE = {
    "first": "v.first_name = m.first",
    "last": "v.last_name = m.last",
    "date": "v.birth_date = m.birth_date",
    "year": "v.year = m.year",
    "zip": "v.zip_code = m.zip",
}


def report_misses(directory: Path, results: dict, truth: dict) -> None:
    """For each hard kind, group the registered members not offered by what they share."""
    voter_of = truth["voter"]
    kinds = [
        ("moved", "link", "voters", truth["moved"]),
        ("changed surname", "link", "voters", truth["surname_changed"]),
        ("year only and moved", "link_year_only", "voters_year_only", truth["moved"]),
        (
            "year only, changed surname",
            "link_year_only",
            "voters_year_only",
            truth["surname_changed"],
        ),
    ]
    print(
        "Missed members of each hard kind, by what they share exactly with their voter "
        "record (and whether 2+ voters share that much)"
    )
    with duckdb.connect(str(directory / "voters.duckdb"), read_only=True) as con:
        _comparable_tables(con, directory)
        for label, task, table, members in kinds:
            offered = {
                (left, right)
                for left, right, p in results[task]["pairs"]
                if p >= DEFAULT_THRESHOLDS.review
            }
            missed = sorted(m for m in members if voter_of[m] and (m, voter_of[m]) not in offered)
            groups: dict[str, int] = {}
            for member in missed:
                group = _shared_evidence(con, member, voter_of[member], year_only=table != "voters")
                groups[group] = groups.get(group, 0) + 1
            print(
                f"  {label}: {len(missed)} missed: "
                + "; ".join(
                    f"{count} {group}"
                    for group, count in sorted(groups.items(), key=lambda item: -item[1])
                )
            )
    print()


def _comparable_tables(con, directory: Path) -> None:
    """Members and voters with names, dates, zips, phones and emails written alike."""

    def letters(column):
        return f"regexp_replace(lower(strip_accents(trim({column}))), '[^a-z]', '', 'g')"

    con.execute(f"""CREATE TEMP TABLE m AS SELECT "Member ID" AS id,
        {letters('"First Name"')} AS first, {letters('"Last Name"')} AS last,
        CAST(coalesce(try_strptime("Date of Birth", '%m/%d/%Y'),
                      try_strptime("Date of Birth", '%Y-%m-%d')) AS DATE) AS birth_date,
        year(birth_date) AS year,
        lpad(regexp_replace("Zip Code", '\\.0$', ''), 5, '0') AS zip,
        right(regexp_replace(coalesce("Mobile", ''), '[^0-9]', '', 'g'), 10) AS phone,
        lower("Email") AS email
        FROM read_parquet('{directory / "members.parquet"}')""")  # noqa: S608
    con.execute(f"""CREATE TEMP TABLE v AS SELECT voter_id, {letters("first_name")}
        AS first_name, {letters("last_name")} AS last_name,
        CAST(birth_date AS DATE) AS birth_date, year(CAST(birth_date AS DATE)) AS year,
        zip_code, phone, lower(email) AS email FROM voters""")


def _shared_evidence(con, member: str, voter: str, *, year_only: bool) -> str:
    agrees = con.execute(
        f"""SELECT {", ".join(f"coalesce({sql}, false)" for sql in EVIDENCE.values())},
        coalesce(v.phone = m.phone OR v.email = m.email, false)
        FROM m, v WHERE m.id = $member AND v.voter_id = $voter""",  # noqa: S608
        {"member": member, "voter": voter},
    ).fetchone()
    shared = [name for name, agree in zip(EVIDENCE, agrees, strict=False) if agree]
    if year_only or "date" in shared:
        shared = [name for name in shared if name != ("date" if year_only else "year")]
    if agrees[-1]:
        return "+".join(shared + ["phone or email"])
    if not shared:
        return "nothing exact"
    sharing = con.execute(
        f"""SELECT count(*) FROM v, m WHERE m.id = $member AND
        {" AND ".join(EVIDENCE[name] for name in shared)}""",  # noqa: S608
        {"member": member},
    ).fetchone()[0]
    return "+".join(shared) + (", 2+ voters" if sharing > 1 else "")


def report_unique_name_rule(directory: Path, results: dict, truth: dict) -> None:
    """What offering one more kind of pair would do: a member with no birth date and no pair
    offered, and the one voter who holds their exact first and last name (no other voter
    does). Measured, not offered by the engine: precision of the rule's own pairs, and each
    kind's precision and recall with them added."""
    voter_of = truth["voter"]
    everyone = set(voter_of)
    kinds = [
        ("every member", "link", everyone),
        ("moved", "link", truth["moved"]),
        ("changed surname", "link", truth["surname_changed"]),
        ("every member, year-only file", "link_year_only", everyone),
        ("year only and moved", "link_year_only", truth["moved"]),
        ("year only, changed surname", "link_year_only", truth["surname_changed"]),
    ]
    with duckdb.connect(str(directory / "voters.duckdb"), read_only=True) as con:
        _comparable_tables(con, directory)
        unique = dict(
            con.execute("""
            WITH names AS (SELECT first_name, last_name, any_value(voter_id) AS voter_id
                FROM v GROUP BY ALL HAVING count(*) = 1)
            SELECT m.id, names.voter_id FROM m JOIN names
              ON names.first_name = m.first AND names.last_name = m.last
            WHERE m.birth_date IS NULL""").fetchall()
        )
    print(
        "Trial, not in the engine: also offer a member with no birth date and no pair offered "
        f"the one voter holding their exact name ({len(unique):,} such members)"
    )
    for label, task, members in kinds:
        offered = {
            (left, right)
            for left, right, p in results[task]["pairs"]
            if p >= DEFAULT_THRESHOLDS.review and left in members
        }
        answered = {left for left, _ in offered}
        added = {(m, v) for m, v in unique.items() if m in members and m not in answered}
        actual = {(m, voter_of[m]) for m in members if voter_of[m]}
        before, after = scores(offered, actual), scores(offered | added, actual)
        print(
            f"  {label:30} adds {len(added & actual):>4} right, {len(added - actual):>3} wrong: "
            f"P / R {before[0]:.4f} / {before[1]:.4f} -> {after[0]:.4f} / {after[1]:.4f}"
        )
    print()


def report_dedupe(*, members: int, seed: int) -> None:
    lists = build_synthetic_lists(
        voters=members * 5, members=members, seed=seed + 1, duplicate_share=0.15
    )
    started = time.perf_counter()
    result = dedupe(lists.members)
    seconds = time.perf_counter() - started
    person_of = {row["member_id"]: row["person_id"] for row in lists.truth.to_pylist()}
    actual = same_group_pairs(person_of)
    cluster_of = dict(
        zip(
            result.clusters["id"].to_pylist(),
            result.clusters["cluster_id"].to_pylist(),
            strict=True,
        )
    )
    predicted = same_group_pairs(cluster_of)
    precision, recall, f1 = scores(predicted, actual)
    print(
        f"Deduplicating {members:,} member rows ({len(actual):,} true duplicate pairs): "
        f"precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f} "
        f"({len(predicted):,} pairs in clusters), {seconds:.1f} s."
    )


def same_group_pairs(group_of: dict) -> set:
    groups: dict = {}
    for record, group in group_of.items():
        groups.setdefault(group, []).append(record)
    return {(a, b) for records in groups.values() for a in records for b in records if a < b}


if __name__ == "__main__":
    main()
