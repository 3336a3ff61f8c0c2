"""Universes in DuckDB: a filter over the voter file joined with the base, as SQL.

    chosen = UniverseFilter.from_dict({"district_kind": "state_house", "districts": ["94"],
                                       "parties": ["DEM", "UNA"], "min_primaries": 1})
    base = base_table(organization)                 # members linked to voters, as Arrow
    with store.reading(version) as con:
        counts(con, chosen, base)                   # {"voters": .., "doors": .., "members": ..}
        doors(con, chosen, base)                    # one row per address, in walking order

The base (`identity.base`: who is in it, their ladder level and tags) lives in the ORM; it is
handed to DuckDB as query parameters (see BASE_SQL), so one query filters both. This module
and `power/map.py` are the only ones that write SQL over the voter file's tables
(docs/voterfile.md, "Reading the voter file"); the rest call `voterfile.queries`.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

import duckdb
import pyarrow as pa

from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Organization
from powerbase.voterfile import store
from powerbase.voterfile.build import TURNOUT_LAST_N
from powerbase.voterfile.layout import DISTRICT_KINDS
from powerbase.voterfile.lookups import joined_parameter, split_parameter

MEMBERSHIP_CHOICES = ("any", "members", "others")
MAX_LAST = 12

# An address as the voter file writes it: "118 Orange Street", "45 CHAPEL ST APT 2R",
# "45 Chapel Street 2R". The house number leads; a unit may trail.
HOUSE_NUMBER_SQL = r"TRY_CAST(regexp_extract(v.address, '^\s*(\d+)', 1) AS INTEGER)"
STREET_SQL = (
    r"upper(trim(regexp_replace(regexp_replace(coalesce(v.address, ''), "
    r"'^\s*\d+[A-Za-z]?(-\d+)?\s+', ''), "
    r"'\s+((APT|UNIT|STE|FL|APARTMENT)\.?\s*\S*|#\s*\S+|\d+[A-Za-z]+|[A-Za-z]\d+\w*)$', "
    r"'', 'i')))"
)


@dataclass(frozen=True)
class UniverseFilter:
    """Who is in a universe. Empty fields do not filter."""

    district_kind: str = ""
    districts: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    min_primaries: int = 0
    last_primaries: int = 4
    min_age: int | None = None
    max_age: int | None = None
    membership: str = "any"
    ladder_levels: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    include_inactive: bool = False
    precincts: tuple[str, ...] = field(default=())

    @classmethod
    def from_dict(cls, data: dict) -> "UniverseFilter":
        """Read a saved or submitted filter, raising InvalidInput naming the bad field."""
        kind = str(data.get("district_kind") or "")
        if kind and kind not in DISTRICT_KINDS:
            raise InvalidInput(
                f"Field 'district_kind': '{kind}' is not a kind of district "
                f"({', '.join(DISTRICT_KINDS)})."
            )
        membership = str(data.get("membership") or "any")
        if membership not in MEMBERSHIP_CHOICES:
            raise InvalidInput(
                f"Field 'membership': '{membership}' is not one of {', '.join(MEMBERSHIP_CHOICES)}."
            )
        chosen = cls(
            district_kind=kind,
            districts=_strings(data.get("districts")),
            parties=tuple(p.upper() for p in _strings(data.get("parties"))),
            min_primaries=_number(data, "min_primaries", 0, 0, MAX_LAST),
            last_primaries=_number(data, "last_primaries", 4, 1, MAX_LAST),
            min_age=_number(data, "min_age", None, 17, 120),
            max_age=_number(data, "max_age", None, 17, 120),
            membership=membership,
            ladder_levels=tuple(_ids(data, "ladder_levels")),
            tags=tuple(_ids(data, "tags")),
            include_inactive=bool(data.get("include_inactive")),
            precincts=_strings(data.get("precincts")),
        )
        if chosen.districts and not chosen.district_kind:
            raise InvalidInput("Field 'districts': choose the kind of district first.")
        if chosen.min_primaries > chosen.last_primaries:
            raise InvalidInput(
                f"Field 'min_primaries': {chosen.min_primaries} of the last "
                f"{chosen.last_primaries} primaries cannot be met."
            )
        if chosen.min_age and chosen.max_age and chosen.min_age > chosen.max_age:
            raise InvalidInput(
                f"Field 'min_age': {chosen.min_age} is above the highest age {chosen.max_age}."
            )
        return chosen

    def to_dict(self) -> dict:
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in asdict(self).items()
        }

    def describe(self) -> list[str]:
        """Return the filter as short sentences for people."""
        said = []
        if self.districts:
            said.append(f"{self.district_kind.replace('_', ' ')} {', '.join(self.districts)}")
        if self.precincts:
            said.append(f"precincts {', '.join(self.precincts)}")
        if self.parties:
            said.append(f"party {', '.join(self.parties)}")
        if self.min_primaries:
            said.append(
                f"voted in at least {self.min_primaries} of the last "
                f"{self.last_primaries} primaries"
            )
        if self.min_age or self.max_age:
            said.append(f"age {self.min_age or ''}–{self.max_age or ''}")
        if self.membership != "any":
            said.append(
                "members of the base" if self.membership == "members" else "not members of the base"
            )
        if self.ladder_levels:
            said.append("at chosen ladder levels")
        if self.tags:
            said.append("with chosen tags")
        if not self.include_inactive:
            said.append("active registrations")
        return said or ["every registered voter"]

    def where(self, today: date) -> tuple[str, dict]:
        """Return the SQL condition over voters `v`, turnout `t` and base `b`, with its named
        parameters."""
        clauses = ["v.status IS DISTINCT FROM 'removed'"]
        params: dict = {}

        def add(clause: str, value) -> None:
            name = f"w{len(params)}"
            params[name] = value
            clauses.append(clause.replace("?", f"${name}"))

        if not self.include_inactive:
            clauses.append("v.status = 'active'")
        if self.districts:
            # district_kind was checked against DISTRICT_KINDS: safe as a column name.
            add(f"list_contains(?, v.{self.district_kind})", list(self.districts))
        if self.precincts:
            add("list_contains(?, v.precinct)", list(self.precincts))
        if self.parties:
            add("list_contains(?, upper(coalesce(v.party, '')))", list(self.parties))
        if self.min_primaries:
            add("coalesce(t.primaries, 0) >= ?", self.min_primaries)
        if self.min_age:
            add("v.birth_year <= ?", today.year - self.min_age)
        if self.max_age:
            add("v.birth_year >= ?", today.year - self.max_age)
        if self.membership == "members" or self.ladder_levels or self.tags:
            clauses.append("b.person_id IS NOT NULL")
        elif self.membership == "others":
            clauses.append("b.person_id IS NULL")
        if self.ladder_levels:
            add("list_contains(?::BIGINT[], b.level_id)", list(self.ladder_levels))
        if self.tags:
            add("list_has_any(b.tag_ids, ?::BIGINT[])", list(self.tags))
        return " AND ".join(clauses), params


def _strings(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return tuple(dict.fromkeys(str(item).strip() for item in value if str(item).strip()))


def _number(data: dict, key: str, default, low: int, high: int):
    value = data.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"Field '{key}': '{value}' is not a whole number.") from None
    if not low <= number <= high:
        raise InvalidInput(f"Field '{key}': {number} is outside {low} to {high}.")
    return number


def _ids(data: dict, key: str) -> list[int]:
    values = data.get(key) or []
    if isinstance(values, str | int):
        values = [values]
    try:
        return sorted({int(value) for value in values if str(value).strip()})
    except (TypeError, ValueError):
        raise InvalidInput(f"Field '{key}': expected ids, got {values!r}.") from None


BASE_SCHEMA = pa.schema(
    [
        ("voter_id", pa.string()),
        ("person_id", pa.int64()),
        ("level_id", pa.int64()),
        ("tag_ids", pa.list_(pa.int64())),
    ]
)


def base_table(organization: Organization) -> pa.Table:
    """Return the base as DuckDB will join it: one row per person of the base (as
    `identity.base` defines it) linked to a voter, with their ladder rung and tags."""
    from powerbase.actions.models import LadderStanding
    from powerbase.identity import base as base_rules
    from powerbase.people.models import PersonTag

    people = base_rules.people(organization)
    links = list(base_rules.voter_links(people).items())
    levels = dict(
        LadderStanding.objects.filter(organization=organization).values_list(
            "person_id", "level_id"
        )
    )
    tags: dict[int, list[int]] = {}
    for person_id, tag_id in PersonTag.objects.filter(
        person__organization=organization
    ).values_list("person_id", "tag_id"):
        tags.setdefault(person_id, []).append(tag_id)
    return pa.table(
        {
            "voter_id": [voter_id for _, voter_id in links],
            "person_id": [person_id for person_id, _ in links],
            "level_id": [levels.get(person_id) for person_id, _ in links],
            "tag_ids": [tags.get(person_id, []) for person_id, _ in links],
        },
        schema=BASE_SCHEMA,
    )


# The base goes into the query as parameters (voterfile.lookups: the one DuckDB concurrency
# rule), each column one string split inside the query.
BASE_SQL = (
    f"(SELECT unnest({split_parameter('base_voters')}) AS voter_id, "
    f"unnest({split_parameter('base_people')})::BIGINT AS person_id, "
    f"nullif(unnest({split_parameter('base_levels')}), '')::BIGINT AS level_id, "
    "list_transform(list_filter(string_split("
    f"unnest({split_parameter('base_tags')}), ' '), "
    "lambda t: t <> ''), lambda t: t::BIGINT) AS tag_ids "
    "WHERE $base_voters <> '')"
)


def base_params(base: pa.Table) -> dict:
    """Return *base* as the named parameters of BASE_SQL."""
    return {
        "base_voters": joined_parameter(base.column("voter_id").to_pylist()),
        "base_people": joined_parameter(base.column("person_id").to_pylist()),
        "base_levels": joined_parameter(base.column("level_id").to_pylist()),
        "base_tags": joined_parameter(
            " ".join(map(str, tags or [])) for tags in base.column("tag_ids").to_pylist()
        ),
    }


def _matched(
    con: duckdb.DuckDBPyConnection,
    chosen: UniverseFilter,
    base: pa.Table,
    today: date,
    *,
    walk: bool = False,
) -> tuple[str, dict]:
    """Return the SQL of the voters matching *chosen* with their door fields (with *walk*,
    every voter column and the parsed house number and street too), and its parameters."""
    where, params = chosen.where(today)
    if "confidential" in store.voter_columns(con):
        # Voters whose address the law withholds are never put on a walk list or counted
        # among its doors, even where the state's file still carries an address.
        where = f"({where}) AND v.confidential IS NOT TRUE"
    params = {**base_params(base), **params}
    # Counting needs three columns; parsing every address for nothing doubled its time.
    columns = (
        f"v.*, {HOUSE_NUMBER_SQL} AS house_number, {STREET_SQL} AS street" if walk else "v.zip"
    )
    sql = f"""
        SELECT {columns}, b.person_id,
               upper(trim(coalesce(v.address, ''))) AS door_address
        FROM voters v
        {_turnout_join(chosen)}
        LEFT JOIN {BASE_SQL} b ON b.voter_id = v.voter_id
        WHERE {where}"""  # noqa: S608 - every value is a parameter; names are checked
    return sql, params


def _turnout_join(chosen: UniverseFilter) -> str:
    """Join primary turnout only when the filter asks about it: counting it for every voter
    is most of a query's time. The import keeps the last four elections' turnout as a table."""
    if not chosen.min_primaries:
        return ""
    if chosen.last_primaries == TURNOUT_LAST_N:
        return "LEFT JOIN turnout t USING (voter_id)"
    return f"LEFT JOIN turnout_last({int(chosen.last_primaries)}) t USING (voter_id)"


def counts(
    con: duckdb.DuckDBPyConnection,
    chosen: UniverseFilter,
    base: pa.Table,
    today: date | None = None,
) -> dict[str, int]:
    """Return how many voters, doors (distinct addresses) and members the filter keeps."""
    sql, params = _matched(con, chosen, base, today or date.today())
    voters, doors, members = con.execute(
        f"""
        SELECT count(*), count(DISTINCT door_address || '|' || coalesce(zip, '')),
               count(person_id)
        FROM ({sql}) m WHERE door_address <> ''""",  # noqa: S608
        params,
    ).fetchall()[0]  # noqa: S608
    return {"voters": int(voters), "doors": int(doors), "members": int(members)}


def doors(
    con: duckdb.DuckDBPyConnection,
    chosen: UniverseFilter,
    base: pa.Table,
    today: date | None = None,
) -> list[dict]:
    """Return one dict per address of the universe, by precinct, street and house number,
    with the mean coordinates of its voters when the voter file has them (`walking` puts
    the doors in walking order)."""
    today = today or date.today()
    sql, params = _matched(con, chosen, base, today, walk=True)
    cursor = con.execute(
        f"""
        SELECT coalesce(precinct, '') AS precinct, street, house_number, {_coordinates(con)}
               CASE WHEN house_number IS NULL THEN ''
                    WHEN house_number % 2 = 1 THEN 'odd' ELSE 'even' END AS side,
               door_address AS address, coalesce(any_value(city), '') AS city,
               coalesce(zip, '') AS zip, coalesce(mode(state_house), '') AS district,
               list(struct_pack(
                   voter_id := voter_id,
                   name := trim(concat_ws(' ', first_name, last_name)),
                   age := {today.year} - birth_year,
                   party := coalesce(party, ''),
                   phone := coalesce(phone, ''),
                   person_id := person_id)
                   ORDER BY last_name, first_name, voter_id) AS voters
        FROM ({sql}) m
        WHERE door_address <> ''
        GROUP BY precinct, street, house_number, door_address, zip
        ORDER BY precinct, street, house_number, door_address""",  # noqa: S608
        params,
    )  # noqa: S608
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


COORDINATES = ("latitude", "longitude")


def _coordinates(con: duckdb.DuckDBPyConnection) -> str:
    """Return the select list of a door's mean coordinates: the voter file's `latitude` and
    `longitude` columns when it has them (a vendor's geocoded file), else NULLs."""
    columns = {
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'voters'"
        ).fetchall()
    }
    if all(column in columns for column in COORDINATES):
        return (
            "avg(TRY_CAST(latitude AS DOUBLE)) AS latitude, "
            "avg(TRY_CAST(longitude AS DOUBLE)) AS longitude,"
        )
    return "NULL AS latitude, NULL AS longitude,"
