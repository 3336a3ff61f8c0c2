"""The power map, computed in DuckDB: per district, the organized base against the votes it
takes to win the next primary.

Django-free, so the benchmark drives it directly:

    facts = district_facts(con, kind="state_house", party="DEM")     # voter file only: cached
    rows = power_map(con, base, facts, Assumptions(kind="state_house", party="DEM"))

*con* has the voter file's tables (voters, votes, elections; see voterfile.build). *base* is a
pyarrow table of the organized base (BASE_SCHEMA): person_id, voter_id (null when not matched
to the voter file), leader (on the ladder's leader rung or above) and code (the district of
the map's kind the base is placed in by `identity.base`'s rule; null when not placed). The
voter-file side of the map
depends only on the voter file version, so `district_facts` is computed once per version,
chamber and party and kept; a change in the base reruns only the join of the base with the
voters.
"""

import hashlib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from powerbase.voterfile.layout import DISTRICT_KINDS  # every kind, the local ones too
from powerbase.voterfile.lookups import joined_parameter, split_parameter

BASE_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("voter_id", pa.string()),
        ("leader", pa.bool_()),
        ("code", pa.string()),
    ]
)

# The base reaches DuckDB as query parameters (voterfile.queries: one concurrency rule), each
# column one string split inside the query; '' stands for null.
BASE_SQL = f"""(
    SELECT unnest({split_parameter("base_people")})::BIGINT AS person_id,
           nullif(unnest({split_parameter("base_voters")}), '') AS voter_id,
           unnest({split_parameter("base_leaders")}) = '1' AS leader,
           nullif(unnest({split_parameter("base_codes")}), '') AS code
    WHERE $base_people <> '')"""


def base_params(base: pa.Table) -> dict:
    """Return *base* (BASE_SCHEMA) as the named parameters of BASE_SQL."""
    return {
        "base_people": joined_parameter(base.column("person_id").to_pylist()),
        "base_voters": joined_parameter(base.column("voter_id").to_pylist()),
        "base_leaders": joined_parameter(
            "1" if leader else "0" for leader in base.column("leader").to_pylist()
        ),
        "base_codes": joined_parameter(base.column("code").to_pylist()),
    }


@dataclass(frozen=True)
class Assumptions:
    """The choices behind a win number, shown next to it on the map."""

    kind: str = "state_house"
    party: str = ""
    primaries: int = 2  # expected turnout: the average of this many last primaries
    share_to_win: float = 0.5  # a two-way race: half the expected turnout, plus one vote
    # "Close to decisive": the base's voters in the party are enough to swing the primary
    # (from close_share of the win number) without winning it alone (below decisive_share),
    # and, where imported results give the last margin, that race was close.
    close_share: float = 0.25
    decisive_share: float = 1.0
    close_margin: float = 0.10  # the last margin within this share of the turnout

    def __post_init__(self):
        if self.kind not in DISTRICT_KINDS:
            raise ValueError(
                f"'{self.kind}' is not a kind of district; kinds: {', '.join(DISTRICT_KINDS)}."
            )
        if not 1 <= self.primaries <= 8:
            raise ValueError("Expected turnout averages 1 to 8 past primaries.")

    def sentence(self) -> str:
        """Say how the win number is worked out, for the page."""
        party = f"{self.party} " if self.party else ""
        return (
            f"Expected turnout is the average {party}primary turnout of the last "
            f"{self.primaries} primar{'y' if self.primaries == 1 else 'ies'} in the district "
            f"(from the voter file's vote history); the win number is "
            f"{self.share_to_win:.0%} of it plus one vote, as in a two-way race. "
            f"{self.rule()}"
        )

    def rule(self) -> str:
        """Say when a district is "close to decisive", for the page."""
        return (
            f"A district is close to decisive when the base's voters in the party are "
            f"between {self.close_share:.0%} and {self.decisive_share:.0%} of the win "
            f"number (enough to swing the primary, not enough to win it alone) and, where "
            f"imported results give the last primary's margin, that margin was under "
            f"{self.close_margin:.0%} of the turnout or smaller than the base's members "
            f"who voted in it."
        )


@dataclass
class DistrictPower:
    """One row of the map."""

    code: str
    name: str = ""
    registered: int = 0
    registered_in_party: int = 0
    primary_turnouts: list[tuple[str, int]] = field(default_factory=list)  # (date, voters)
    members: int = 0
    leaders: int = 0
    members_registered: int = 0
    members_in_party: int = 0
    members_voted_primaries: int = 0
    last_turnout: int | None = None
    last_margin: int | None = None
    results_source: str = "history"  # or "results" when imported results gave turnout/margin
    expected_turnout: float | None = None
    win_number: int | None = None

    @property
    def share_of_win_number(self) -> float | None:
        if not self.win_number:
            return None
        return self.members_in_party / self.win_number

    @property
    def share_percent(self) -> float | None:
        share = self.share_of_win_number
        return None if share is None else round(100 * share, 1)

    def is_close_to_decisive(self, assumptions: Assumptions) -> bool:
        """True where the base changes the outcome: see `Assumptions.rule`."""
        share = self.share_of_win_number
        if share is None or not assumptions.close_share <= share < assumptions.decisive_share:
            return False  # too small to matter, or already enough to win on its own
        return self.last_margin is None or self.race_was_close(assumptions)

    def race_was_close(self, assumptions: Assumptions) -> bool:
        if self.last_margin is None:
            return False
        if self.last_turnout and self.last_margin < assumptions.close_margin * self.last_turnout:
            return True
        return self.members_voted_primaries >= self.last_margin

    def beyond_win_number(self, assumptions: Assumptions) -> bool:
        """True where the base's voters in the party reach the win number on their own."""
        share = self.share_of_win_number
        return share is not None and share >= assumptions.decisive_share


# The voter file side: cached per file, chamber, party ----------------------------------------

_FACTS_CACHE: dict[tuple, pa.Table] = {}
_FACTS_LOCK = Lock()
_FACTS_KEPT = 16


def cached_district_facts(
    con: duckdb.DuckDBPyConnection, key: str, assumptions: Assumptions, folder: Path | None = None
) -> pa.Table:
    """Return `district_facts`, computed once per *key* (a voter file version's file name).

    Kept in memory, and in *folder* as Parquet when given, so that other processes (each web
    worker) and restarts read it instead of computing it again. A version's file never
    changes, so neither do its facts.
    """
    facts = kept_district_facts(key, assumptions, folder)
    if facts is None:
        facts = district_facts(
            con, kind=assumptions.kind, party=assumptions.party, primaries=assumptions.primaries
        )
        cache_key = _facts_key(key, assumptions)
        stored = _stored_path(folder, cache_key)
        if stored is not None:
            _store(facts, stored)
        _keep_facts(cache_key, facts)
    return facts


def kept_district_facts(
    key: str, assumptions: Assumptions, folder: Path | None = None
) -> pa.Table | None:
    """Return `cached_district_facts` when this process or *folder* has them, else None:
    a caller holding no connection opens the voter file only when they must be computed."""
    cache_key = _facts_key(key, assumptions)
    with _FACTS_LOCK:
        found = _FACTS_CACHE.get(cache_key)
    if found is not None:
        return found
    stored = _stored_path(folder, cache_key)
    if stored is None or not stored.exists():
        return None
    # ParquetFile, not read_table: read_table imports pyarrow.dataset (0.1-0.2 s, paid by the
    # first map of each web process); one file needs none of it.
    facts = pq.ParquetFile(stored).read()
    _keep_facts(cache_key, facts)
    return facts


def _facts_key(key: str, assumptions: Assumptions) -> tuple:
    return (key, assumptions.kind, assumptions.party, assumptions.primaries)


def _keep_facts(cache_key: tuple, facts: pa.Table) -> None:
    with _FACTS_LOCK:
        if len(_FACTS_CACHE) >= _FACTS_KEPT:
            _FACTS_CACHE.pop(next(iter(_FACTS_CACHE)))
        _FACTS_CACHE[cache_key] = facts


def _stored_path(folder: Path | None, cache_key: tuple) -> Path | None:
    if folder is None:
        return None
    key, kind, party, primaries = cache_key
    digest = hashlib.sha256(repr(cache_key).encode()).hexdigest()[:16]
    return folder / f"{Path(key).stem}-{kind}-{primaries}-{digest}.parquet"


def _store(facts: pa.Table, path: Path) -> None:
    """Write *facts* under a temporary name and rename it: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    pq.write_table(facts, partial)
    os.replace(partial, path)


def last_primaries(con: duckdb.DuckDBPyConnection, count: int) -> list:
    """Return the dates of the last *count* primaries large enough to count, newest first."""
    return [
        row[0]
        for row in con.execute(
            "SELECT election_date FROM elections WHERE counted AND kind = 'primary' "
            "ORDER BY election_date DESC LIMIT ?",
            [count],
        ).fetchall()
    ]


def district_facts(
    con: duckdb.DuckDBPyConnection, *, kind: str, party: str, primaries: int = 2
) -> pa.Table:
    """Return per district of *kind*: name, registered voters, those in *party*, and the
    *party* primary turnout of each of the last *primaries* primaries (t0 newest).

    A primary vote counts for the party when the history records that party's ballot, or
    records no ballot and the voter is registered in the party (closed primaries).
    """
    column = _kind(kind)
    dates = last_primaries(con, primaries)
    turnout_columns = (
        ", ".join(
            f"count(*) FILTER (WHERE p.election_date = DATE '{day.isoformat()}') AS t{n}"
            for n, day in enumerate(dates)
        )
        or "NULL AS t0"
    )
    party_test = "(p.party = $party OR (p.party IS NULL AND v.party = $party))" if party else "TRUE"
    date_list = ", ".join(f"DATE '{day.isoformat()}'" for day in dates) or "NULL"
    sql = f"""
        WITH registered AS (
            SELECT {column} AS code, min({column}_name) AS name, count(*) AS registered,
                   count(*) FILTER (WHERE party = $party) AS in_party
            FROM voters WHERE {column} IS NOT NULL AND status IS DISTINCT FROM 'removed'
            GROUP BY ALL),
        turnout AS (
            SELECT v.{column} AS code, {turnout_columns}
            FROM votes p JOIN voters v USING (voter_id)
            WHERE p.kind = 'primary' AND p.election_date IN ({date_list}) AND {party_test}
              AND v.{column} IS NOT NULL
            GROUP BY ALL)
        SELECT * FROM registered LEFT JOIN turnout USING (code)
        ORDER BY length(code), code"""  # noqa: S608 - kind is checked, dates are dates
    table = con.sql(sql, params={"party": party}).to_arrow_table()
    return table.replace_schema_metadata({"primaries": ",".join(day.isoformat() for day in dates)})


# The base side: rerun on every change of the base --------------------------------------------


def base_by_district(
    con: duckdb.DuckDBPyConnection, base: pa.Table, *, kind: str, party: str, primaries: list
) -> pa.Table:
    """Count the base per district of *kind*, joined with its members' registrations.

    Everyone is counted where *base* places them (its `code` column, `identity.base`'s rule);
    registered members have a registration that was not removed; "in party" are registered in
    *party*; "voted" counts those who voted in any of *primaries*.
    """
    _kind(kind)
    date_list = ", ".join(f"DATE '{day.isoformat()}'" for day in primaries) or "NULL"
    return con.sql(
        f"""
        WITH base AS MATERIALIZED {BASE_SQL},
        placed AS (
            SELECT b.person_id, b.leader, b.code, v.voter_id,
                   v.voter_id IS NOT NULL AND v.status IS DISTINCT FROM 'removed' AS registered,
                   v.voter_id IS NOT NULL AND v.status IS DISTINCT FROM 'removed'
                       AND v.party = $party AS in_party
            FROM base b LEFT JOIN voters v ON v.voter_id = b.voter_id
            WHERE b.code IS NOT NULL),
        voted AS (
            SELECT DISTINCT voter_id FROM votes
            WHERE kind = 'primary' AND election_date IN ({date_list})
              AND voter_id IN (SELECT voter_id FROM placed))
        SELECT code, count(*) AS members,
               count(*) FILTER (WHERE leader) AS leaders,
               count(*) FILTER (WHERE registered) AS members_registered,
               count(*) FILTER (WHERE in_party) AS members_in_party,
               count(voted.voter_id) AS members_voted
        FROM placed LEFT JOIN voted USING (voter_id)
        GROUP BY code""",  # noqa: S608
        params={"party": party, **base_params(base)},
    ).to_arrow_table()  # noqa: S608


def power_map(
    con: duckdb.DuckDBPyConnection,
    base: pa.Table,
    facts: pa.Table,
    assumptions: Assumptions,
    results: dict[str, tuple[int, int | None]] | None = None,
    *,
    counted: list[dict] | None = None,
) -> list[DistrictPower]:
    """Return one DistrictPower per district in *facts*, with the base counted in.

    *results* maps a district code to (turnout, margin) of its last primary from imported
    results; where present they replace the voter-file estimate of the last turnout, and give
    the margin (the voter file cannot). *counted* is `count_base`'s answer when kept from
    before (then *base* is not read).
    """
    if counted is None:
        counted = count_base(con, base, facts, assumptions)
    return map_rows(facts, assumptions, counted, results)


def map_rows(
    facts: pa.Table,
    assumptions: Assumptions,
    counted: list[dict],
    results: dict[str, tuple[int, int | None]] | None = None,
) -> list[DistrictPower]:
    """Return `power_map` from *facts* and the base as `count_base` counted it: no voter
    file read."""
    by_code = {row["code"]: row for row in counted}
    primaries = facts_primaries(facts)
    rows = []
    for fact in facts.to_pylist():
        row = DistrictPower(
            code=fact["code"],
            name=fact["name"] or "",
            registered=fact["registered"],
            registered_in_party=fact["in_party"] if assumptions.party else fact["registered"],
        )
        row.primary_turnouts = [
            (day, int(fact.get(f"t{n}") or 0)) for n, day in enumerate(primaries)
        ]
        base_counts = by_code.get(fact["code"])
        if base_counts:
            row.members = base_counts["members"]
            row.leaders = base_counts["leaders"]
            row.members_registered = base_counts["members_registered"]
            row.members_in_party = (
                base_counts["members_in_party"]
                if assumptions.party
                else base_counts["members_registered"]
            )
            row.members_voted_primaries = base_counts["members_voted"]
        _win_number(row, assumptions, (results or {}).get(fact["code"]))
        rows.append(row)
    return rows


def facts_primaries(facts: pa.Table) -> list[str]:
    """Return the dates (ISO) of the primaries *facts* counted, newest first."""
    dates = (facts.schema.metadata or {}).get(b"primaries", b"").decode()
    return [day for day in dates.split(",") if day]


def count_base(
    con: duckdb.DuckDBPyConnection, base: pa.Table, facts: pa.Table, assumptions: Assumptions
) -> list[dict]:
    """Return `base_by_district` for the map of *facts*, as plain rows (one per district with
    anyone placed): what a change in the base changes, and all of it."""
    return base_by_district(
        con,
        base,
        kind=assumptions.kind,
        party=assumptions.party,
        primaries=[_date(day) for day in facts_primaries(facts)],
    ).to_pylist()


def _win_number(
    row: DistrictPower, assumptions: Assumptions, result: tuple[int, int | None] | None
) -> None:
    turnouts = [voters for _, voters in row.primary_turnouts if voters]
    if row.primary_turnouts:
        row.last_turnout = row.primary_turnouts[0][1]
    if result is not None:
        row.last_turnout, row.last_margin = result
        row.results_source = "results"
    if turnouts:
        row.expected_turnout = sum(turnouts) / len(turnouts)
        row.win_number = math.floor(row.expected_turnout * assumptions.share_to_win) + 1


def _kind(kind: str) -> str:
    if kind not in DISTRICT_KINDS:
        raise ValueError(f"'{kind}' is not a kind of district.")
    return kind


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


# Composition: the base against the district's voters ----------------------------------------


def voter_compositions(con: duckdb.DuckDBPyConnection, *, kind: str) -> dict[str, dict]:
    """Return {district code: its registered voters by race and by sex, as the state records
    them}, every district of *kind* in one scan (the first page of each district read the
    file again, 0.2-2 s each on 500,000 voters). A district whose voters record neither has
    no entry; most states do not record race.
    """
    column = _kind(kind)
    found: dict[str, dict] = {}
    for field_name in ("race", "sex"):
        rows = con.execute(
            f"""
            SELECT {column}, {field_name}, count(*) FROM voters
            WHERE {column} IS NOT NULL AND status IS DISTINCT FROM 'removed'
              AND {field_name} IS NOT NULL AND {field_name} <> ''
            GROUP BY ALL ORDER BY 1, 3 DESC, 2""",  # noqa: S608
        ).fetchall()  # noqa: S608
        for code, value, count in rows:
            found.setdefault(str(code), {"race": {}, "sex": {}})[field_name][value] = int(count)
    return found


def district_member_ids(base: pa.Table, *, code: str) -> list[int]:
    """Return the person ids of *base* placed in district *code* (its `code` column)."""
    return [
        int(person_id)
        for person_id, placed in zip(
            base.column("person_id").to_pylist(), base.column("code").to_pylist(), strict=True
        )
        if placed == code
    ]
