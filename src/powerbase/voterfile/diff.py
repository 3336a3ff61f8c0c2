"""What changed between two versions of a voter file.

A voter counts as registered when their status is not "removed" (some states keep removed
registrations in the file for years). Between the version in use and the new one:

    new       registered now, not before (new registrations and re-registrations)
    removed   registered before, not now (dropped from the file or marked removed)
    moved     registered in both, with a different address or a different district
              (a redistricting shows up here too: the detail says which district changed)
    party     registered in both, with a different party

A voter can both move and change party; they are counted in both.
"""

from pathlib import Path

import duckdb

from powerbase.voterfile.expressions import literal
from powerbase.voterfile.layout import DISTRICT_KINDS

CHANGE_KINDS = ("new", "removed", "moved", "party")
CHANGE_LABELS = {
    "new": "New registrations",
    "removed": "Removals",
    "moved": "Moves (address or district)",
    "party": "Party changes",
}

_REGISTERED = "status IS DISTINCT FROM 'removed'"


def compare(con: duckdb.DuckDBPyConnection, previous: Path, *, samples: int = 5) -> dict:
    """Create the `changes` table against the *previous* version; return counts and samples.

    Returns {"new": {"count": 12, "samples": [{"voter_id":..., "name":..., "old":...,
    "new":...}, ...]}, "removed": ..., "moved": ..., "party": ...}, and under "gates" the
    counts the sanity gates weigh (`comparison`).
    """
    con.execute(f"ATTACH {literal(str(previous))} AS previous (READ_ONLY)")
    try:
        kinds = shared_district_kinds(con)
        con.execute(_paired_sql(kinds))
        con.execute(_detail_sql(kinds))
        con.execute(_CHANGES_SQL)
        changes = summary(con, samples=samples)
        changes["gates"] = comparison(con, removed=changes["removed"]["count"])
    finally:
        con.execute("DROP TABLE IF EXISTS pb_paired")
        con.execute("DROP TABLE IF EXISTS pb_detail")
        con.execute("DETACH previous")
    return changes


def comparison(con: duckdb.DuckDBPyConnection, *, removed: int) -> dict:
    """Return the counts the sanity gates weigh: voters in each version, ids in both, and
    registered voters of the version in use (attached as `previous`) now gone or removed.

    *removed* is the count of removals the comparison already found: the same voters.
    """
    row = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE {_REGISTERED}),
               (SELECT count(*) FROM main.voters),
               (SELECT count(*) FROM main.voters SEMI JOIN previous.voters USING (voter_id))
        FROM previous.voters""").fetchall()[0]  # noqa: S608 - see expressions.py
    keys = ("previous_voters", "previous_registered", "voters", "shared_ids")
    return {
        **{key: int(value) for key, value in zip(keys, row, strict=True)},
        "removed": int(removed),
    }


def summary(con: duckdb.DuckDBPyConnection, *, samples: int = 5) -> dict:
    """Return counts and the first *samples* changes of each kind from the `changes` table."""
    counts = dict(con.execute("SELECT change, count(*) FROM changes GROUP BY change").fetchall())
    found = {}
    for kind in CHANGE_KINDS:
        rows = con.execute(
            "SELECT voter_id, name, old_value, new_value FROM changes WHERE change = ? "
            "ORDER BY voter_id LIMIT ?",
            [kind, samples],
        ).fetchall()
        found[kind] = {
            "count": int(counts.get(kind, 0)),
            "samples": [
                {"voter_id": voter_id, "name": name or "", "old": old or "", "new": new or ""}
                for voter_id, name, old, new in rows
            ],
        }
    return found


def shared_district_kinds(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the district kinds both versions have columns for.

    A version built before a kind was added (the local districts) has no column for it; a
    kind missing from one side is not compared rather than reported as everyone moving.
    """
    columns = {
        (database, column)
        for database, column in con.execute(
            "SELECT database_name, column_name FROM duckdb_columns() "
            "WHERE table_name = 'voters' AND database_name IN ('previous', current_database())"
        ).fetchall()
    }
    databases = {database for database, _ in columns}
    return [
        kind
        for kind in DISTRICT_KINDS
        if all((database, kind) in columns for database in databases)
    ]


# Compare hashes of each voter's address and districts first: only voters who changed go on
# to the (slower) step that reads names and addresses for the report.
def _paired_sql(kinds: list[str]) -> str:
    districts = ", ".join(kinds) or "NULL"
    return f"""
    CREATE TEMP TABLE pb_paired AS
    SELECT coalesce(now.voter_id, before.voter_id) AS voter_id,
           before.voter_id IS NULL AS arrived, now.voter_id IS NULL AS gone,
           now.address_key IS DISTINCT FROM before.address_key AS address_changed,
           now.district_key IS DISTINCT FROM before.district_key AS district_changed,
           now.party IS DISTINCT FROM before.party AS party_changed
    FROM (SELECT voter_id, hash(address, city, zip) AS address_key,
                 hash({districts}) AS district_key, party
          FROM main.voters WHERE {_REGISTERED}) AS now
    FULL OUTER JOIN
         (SELECT voter_id, hash(address, city, zip) AS address_key,
                 hash({districts}) AS district_key, party
          FROM previous.voters WHERE {_REGISTERED}) AS before
    USING (voter_id)
    WHERE before.voter_id IS NULL OR now.voter_id IS NULL
       OR now.address_key IS DISTINCT FROM before.address_key
       OR now.district_key IS DISTINCT FROM before.district_key
       OR now.party IS DISTINCT FROM before.party
"""  # noqa: S608 - see expressions.py


def _detail_sql(kinds: list[str]) -> str:
    """Return SQL reading names, addresses and districts of the changed voters only."""
    district_detail = (
        " || ".join(
            f"CASE WHEN now.{kind} IS DISTINCT FROM before.{kind} THEN "
            f"'{kind.replace('_', ' ')} ' || coalesce(before.{kind}, '-') || ' -> ' || "
            f"coalesce(now.{kind}, '-') || '; ' ELSE '' END"
            for kind in kinds
        )
        or "''"
    )
    address = "upper(concat_ws(' ', {t}.address, {t}.city, {t}.zip))"
    return f"""
        CREATE TEMP TABLE pb_detail AS
        SELECT paired.*,
               concat_ws(' ', coalesce(now.first_name, before.first_name),
                         coalesce(now.last_name, before.last_name)) AS name,
               {address.format(t="now")} AS address_now,
               {address.format(t="before")} AS address_before,
               rtrim({district_detail}, '; ') AS district_detail,
               now.party AS party_now, before.party AS party_before
        FROM pb_paired AS paired
        LEFT JOIN main.voters AS now ON now.voter_id = paired.voter_id AND NOT paired.gone
        LEFT JOIN previous.voters AS before
               ON before.voter_id = paired.voter_id AND NOT paired.arrived
    """  # noqa: S608 - see expressions.py


_CHANGES_SQL = """
    CREATE TABLE changes AS
    SELECT voter_id, 'new' AS change, name, NULL AS old_value, address_now AS new_value
    FROM pb_detail WHERE arrived
    UNION ALL
    SELECT voter_id, 'removed', name, address_before, NULL FROM pb_detail WHERE gone
    UNION ALL
    SELECT voter_id, 'moved', name,
           CASE WHEN address_changed THEN address_before ELSE district_detail END,
           CASE WHEN address_changed THEN address_now ELSE NULL END
    FROM pb_detail WHERE NOT arrived AND NOT gone AND (address_changed OR district_changed)
    UNION ALL
    SELECT voter_id, 'party', name, party_before, party_now
    FROM pb_detail WHERE NOT arrived AND NOT gone AND party_changed
"""
