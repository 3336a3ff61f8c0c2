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

_ADDRESS = "upper(concat_ws(' ', {t}.address, {t}.city, {t}.zip))"
_REGISTERED = "status IS DISTINCT FROM 'removed'"


def compare(con: duckdb.DuckDBPyConnection, previous: Path, *, samples: int = 5) -> dict:
    """Create the `changes` table against the *previous* version; return counts and samples.

    Returns {"new": {"count": 12, "samples": [{"voter_id":..., "name":..., "old":...,
    "new":...}, ...]}, "removed": ..., "moved": ..., "party": ...}.
    """
    con.execute(f"ATTACH {literal(str(previous))} AS previous (READ_ONLY)")
    try:
        con.execute(_changes_sql())
    finally:
        con.execute("DETACH previous")
    return summary(con, samples=samples)


def summary(con: duckdb.DuckDBPyConnection, *, samples: int = 5) -> dict:
    """Return counts and the first *samples* changes of each kind from the `changes` table."""
    counts = dict(con.execute(
        "SELECT change, count(*) FROM changes GROUP BY change").fetchall())
    found = {}
    for kind in CHANGE_KINDS:
        rows = con.execute(
            "SELECT voter_id, name, old_value, new_value FROM changes WHERE change = ? "
            "ORDER BY voter_id LIMIT ?", [kind, samples]).fetchall()
        found[kind] = {
            "count": int(counts.get(kind, 0)),
            "samples": [{"voter_id": voter_id, "name": name or "", "old": old or "",
                         "new": new or ""} for voter_id, name, old, new in rows],
        }
    return found


def _changes_sql() -> str:
    districts_differ = " OR ".join(
        f"now.{kind} IS DISTINCT FROM before.{kind}" for kind in DISTRICT_KINDS)
    district_detail = " || ".join(
        f"CASE WHEN now.{kind} IS DISTINCT FROM before.{kind} THEN "
        f"'{kind.replace('_', ' ')} ' || coalesce(before.{kind}, '-') || ' -> ' || "
        f"coalesce(now.{kind}, '-') || '; ' ELSE '' END" for kind in DISTRICT_KINDS)
    address_now, address_before = _ADDRESS.format(t="now"), _ADDRESS.format(t="before")
    return f"""
        CREATE TABLE changes AS
        WITH now AS (SELECT * FROM main.voters WHERE {_REGISTERED}),
             before AS (SELECT * FROM previous.voters WHERE {_REGISTERED}),
             paired AS (
                SELECT coalesce(now.voter_id, before.voter_id) AS voter_id,
                       concat_ws(' ', coalesce(now.first_name, before.first_name),
                                 coalesce(now.last_name, before.last_name)) AS name,
                       now.voter_id IS NULL AS gone, before.voter_id IS NULL AS arrived,
                       {address_now} AS address_now, {address_before} AS address_before,
                       {address_now} IS DISTINCT FROM {address_before} AS address_changed,
                       ({districts_differ}) AS district_changed,
                       rtrim({district_detail}, '; ') AS district_detail,
                       now.party AS party_now, before.party AS party_before
                FROM now FULL OUTER JOIN before USING (voter_id)
             )
        SELECT voter_id, 'new' AS change, name, NULL AS old_value, address_now AS new_value
        FROM paired WHERE arrived
        UNION ALL
        SELECT voter_id, 'removed', name, address_before, NULL FROM paired WHERE gone
        UNION ALL
        SELECT voter_id, 'moved', name,
               CASE WHEN address_changed THEN address_before ELSE district_detail END,
               CASE WHEN address_changed THEN address_now ELSE NULL END
        FROM paired WHERE NOT arrived AND NOT gone AND (address_changed OR district_changed)
        UNION ALL
        SELECT voter_id, 'party', name, party_before, party_now
        FROM paired WHERE NOT arrived AND NOT gone AND party_now IS DISTINCT FROM party_before
    """  # noqa: S608
