"""Finding the people a list holds more than once, without merging a household."""

import pyarrow as pa

from powerbase.identity.linkage import dedupe
from powerbase.identity.linkage.synthetic import build_synthetic_lists
from tests.identity.linkage.conftest import MEMBER_COLUMNS, QUICK, with_rows

HOUSEHOLD = [
    # Eleanor and Theodore share an address, a landline and the family email.
    (
        "H-1",
        "Eleanor",
        "Marchbanks",
        "2/11/1958",
        "77 Juniper Lane",
        "06011",
        "(203) 555-0147",
        "marchbanks.home@example.org",
    ),
    (
        "H-2",
        "Theodore",
        "Marchbanks",
        None,
        "77 Juniper Ln",
        "06011",
        "203-555-0147",
        "marchbanks.home@example.org",
    ),
    # Eleanor again, from another affiliate's list, as Nora.
    ("H-3", "Nora", "Marchbanks", "1958-02-11", "77 Juniper Lane", "6011", None, None),
]


def test_dedupe_puts_each_persons_records_in_one_cluster_and_households_in_several():
    lists = build_synthetic_lists(voters=3000, members=700, seed=5, duplicate_share=0.15)
    records = with_rows(lists.members, MEMBER_COLUMNS, HOUSEHOLD)
    result = dedupe(records, settings=QUICK)

    clusters = result.clusters
    assert clusters.column_names == ["id", "cluster_id"]
    assert clusters["id"].to_pylist() == records["Member ID"].to_pylist()
    cluster_of = dict(
        zip(clusters["id"].to_pylist(), clusters["cluster_id"].to_pylist(), strict=True)
    )
    assert set(cluster_of.values()) <= set(cluster_of)
    assert cluster_of["H-1"] == cluster_of["H-3"] != cluster_of["H-2"]

    person_of = {row["member_id"]: row["person_id"] for row in lists.truth.to_pylist()}
    duplicates = [
        (a, b) for a in person_of for b in person_of if a < b and person_of[a] == person_of[b]
    ]
    found = sum(cluster_of[a] == cluster_of[b] for a, b in duplicates)
    assert found / len(duplicates) >= 0.9


def test_dedupe_also_returns_the_likely_pairs_for_review(town_members):
    records = town_members.slice(0, 200)
    first = records.slice(0, 1).to_pylist()[0]
    again = {**first, "Member ID": "AGAIN-1", "Mobile": None, "Email": None}
    records = pa.concat_tables([records, pa.Table.from_pylist([again], schema=records.schema)])
    result = dedupe(records, settings=QUICK, threshold=0.5)
    assert result.pairs.column_names == ["left_id", "right_id", "match_probability", "match_weight"]
    pairs = {
        (row["left_id"], row["right_id"]): row["match_probability"]
        for row in result.pairs.to_pylist()
    }
    assert tuple(sorted((first["Member ID"], "AGAIN-1"))) in pairs
    assert min(pairs.values()) >= 0.5


def test_a_list_with_no_duplicates_gives_every_record_its_own_cluster():
    records = pa.table(
        {
            "id": ["1", "2", "3"],
            "first_name": ["Ada", "Bo", "Cy"],
            "last_name": ["Lee", "Li", "Wu"],
            "dob": ["1990-01-01", "1980-02-02", "1970-03-03"],
        }
    )
    clusters = dedupe(records, settings=QUICK).clusters
    assert clusters["cluster_id"].to_pylist() == ["1", "2", "3"]
