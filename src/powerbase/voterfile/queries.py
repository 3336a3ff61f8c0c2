"""Read the voter file and its districts, always through `access`.

For other apps (the power map, person pages, identity):

    turnout_by_district(actor, kind="state_house", last=4)   # list of dicts, one per district
    turnout_table(actor, last=4)                             # pyarrow.Table, one row per voter
    voter_turnout(actor, ["BN100001"], last=4)               # {voter_id: {...}}
    voter(actor, "BN100001")                                 # registration, districts, turnout

Each reads the version in use; with no voter file imported they return empty results.

The one way other apps reach the voter file's tables (docs/voterfile.md, "Reading the voter
file", documents them). Given a version the caller found through access (`current_version`)
or for its organization (`version_in_use`, for counts shown without names):

    district_codes(version, "state_house", ["V01", "V02"])    # {voter_id: district code}
    districts_at_addresses(version, "state_house", rows)      # {key: code} by address and ZIP
    district_codes_of_kinds(version, ["state_house", "county"], ids)  # the same, several kinds
    district_kinds(version)                                   # ["congressional", ...]
    voters_in_district(version, "state_house", "94", ids)     # which of ids are registered there
    parties(version)                                          # [(party, registered voters)]

Only `field/universes.py` and `power/map.py` write their own SQL over these tables.

One DuckDB concurrency rule, everywhere (`voterfile.lookups`): Python data reaches a query
only as parameters, a list as one joined string; nothing is registered on a connection.
"""

from collections.abc import Iterable, Sequence

import pyarrow as pa
from django.core.cache import cache
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Length

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Job, Organization
from powerbase.voterfile import store
from powerbase.voterfile.build import TURNOUT_LAST_N
from powerbase.voterfile.layout import DISTRICT_KINDS, Layout, available_layouts
from powerbase.voterfile.lookups import (
    district_codes_of_columns_in,
    districts_at_addresses_of_columns_in,
    joined_parameter,
    split_parameter,
)
from powerbase.voterfile.models import District, VoterFileVersion, VoterFileVersionQuerySet
from powerbase.voterfile.services import IMPORT_JOB

DISTRICT_ORDERS = {
    "code": (Length("code"), "code"),
    "name": ("name", Length("code"), "code"),
    "voters": (F("voter_count").desc(), "code"),
    "-voters": ("voter_count", "code"),
    "active": (F("active_voter_count").desc(), "code"),
    "-active": ("active_voter_count", "code"),
}
MAX_LAST = 20
SENSITIVE_VOTER_FIELDS = ("race", "ethnicity", "sex")


def versions(actor: Actor) -> VoterFileVersionQuerySet:
    """Return every version of the actor's voter file, newest first."""
    access.require(actor, "voterfile.view")
    return access.scoped(actor, VoterFileVersion.objects.select_related("imported_by"))


def current_version(actor: Actor) -> VoterFileVersion | None:
    """Return the version in use, or None before the first import."""
    return versions(actor).current()


def version(actor: Actor, number: int) -> VoterFileVersion:
    """Return version *number*, or raise NotFound."""
    access.require(actor, "voterfile.view")
    return access.get(actor, VoterFileVersion, number=number)


def import_jobs(actor: Actor, limit: int = 10) -> QuerySet[Job]:
    """Return the latest voter file imports the actor may follow, running and failed too."""
    access.require(actor, "voterfile.view")
    return access.jobs(actor).filter(kind=IMPORT_JOB).select_related("started_by")[:limit]


def may_follow_import_job(actor: Actor, version: VoterFileVersion) -> bool:
    """Whether the actor may open the job that imported *version*.

    Roles without `jobs.view_all` follow only the jobs they started; a link to anyone else's
    would be a 404.
    """
    return version.job_id is not None and access.jobs(actor).filter(pk=version.job_id).exists()


def layouts() -> list[Layout]:
    """Return the layouts an import can use."""
    return available_layouts()


def districts(actor: Actor, *, kind: str = "", order: str = "code") -> QuerySet[District]:
    """Return the districts of the version in use, of one *kind* if given, in *order*."""
    access.require(actor, "voterfile.view")
    current = current_version(actor)
    if current is None:
        return District.objects.none()
    found = access.scoped(actor, District.objects.filter(version=current))
    if kind:
        found = found.filter(kind=_district_kind(kind))
    return found.order_by(*DISTRICT_ORDERS.get(order, DISTRICT_ORDERS["code"]))


def district_kind_counts(actor: Actor) -> dict[str, int]:
    """Return how many districts of each kind the version in use has."""
    counts = dict.fromkeys(DISTRICT_KINDS, 0)
    for row in districts(actor).order_by().values("kind").annotate(n=Count("id")):
        counts[row["kind"]] = row["n"]
    return counts


def district(actor: Actor, district_id: int) -> District:
    """Return one district of the actor's organization, or raise NotFound."""
    access.require(actor, "voterfile.view")
    return access.get(actor, District.objects.select_related("version"), pk=district_id)


def district_profile(actor: Actor, district: District, *, last: int = 4) -> dict:
    """Return a district's voters by status and party, and their turnout in recent elections.

    Counts come from the version in use. Turnout is how many of the last *last* primaries
    and generals each registered voter took part in, as a histogram {0: n0, 1: n1, ...}.
    """
    current = current_version(actor)
    empty = {
        "statuses": {},
        "parties": [],
        "primaries": {},
        "generals": {},
        "last": last,
        "elections": [],
    }
    if current is None or district.version_id != current.pk:
        return empty
    last = _last(last)
    return kept_for_file(
        current,
        f"profile:{district.kind}:{district.code}:{last}",
        lambda: _read_profile(current, district, last),
    )


# A version's file is written once: what is counted in it never changes. A day bounds what
# the cache holds for versions no longer in use.
FILE_FIGURES_CACHE_SECONDS = 24 * 3600


def kept_for_file(version: VoterFileVersion, name: str, compute):
    """Return `compute()`, figures of *version*'s file, kept in the cache under the data as
    written (`store.written_as`), so a file written again under the same name is read afresh."""
    written = store.written_as(version)
    if written is None:
        return compute()  # not there: let the read say so
    key = f"voterfile:{name}:{version.pk}:{written}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=FILE_FIGURES_CACHE_SECONDS)
    return found


def _read_profile(current: VoterFileVersion, district: District, last: int) -> dict:
    """Count a district's voters by status and party, and its turnout histogram (3 scans of
    the voter file, 0.1-0.6 s on 500,000 voters)."""
    where = f"voters.{_column(district.kind)} = ?"
    with store.reading(current) as con:
        statuses = dict(
            con.execute(
                f"SELECT coalesce(status, 'unknown'), count(*) FROM voters WHERE {where} "  # noqa: S608
                "GROUP BY ALL ORDER BY 2 DESC",
                [district.code],
            ).fetchall()
        )
        parties = con.execute(
            f"SELECT coalesce(party, 'none'), count(*) FROM voters WHERE {where} "  # noqa: S608
            "AND status IS DISTINCT FROM 'removed' GROUP BY ALL ORDER BY 2 DESC, 1",
            [district.code],
        ).fetchall()
        histogram = con.execute(
            f"""SELECT coalesce(t.primaries, 0), coalesce(t.generals, 0), count(*)
                FROM voters LEFT JOIN {_turnout(last)} t USING (voter_id)
                WHERE {where} AND status IS DISTINCT FROM 'removed' GROUP BY ALL""",  # noqa: S608
            [district.code],
        ).fetchall()
        elections = _recent_elections(con, last)
    primaries: dict[int, int] = dict.fromkeys(range(last + 1), 0)
    generals: dict[int, int] = dict.fromkeys(range(last + 1), 0)
    for voted_primaries, voted_generals, count in histogram:
        primaries[voted_primaries] += count
        generals[voted_generals] += count
    return {
        "statuses": statuses,
        "parties": parties,
        "primaries": primaries,
        "generals": generals,
        "last": last,
        "elections": elections,
    }


def turnout_by_district(actor: Actor, *, kind: str, last: int = 4) -> list[dict]:
    """Return, per district of *kind*, its voters and their turnout in the last elections.

    Each dict: code, registered, active, primaries (list: voters who voted in 0, 1, ...
    *last* of the last primaries), generals (the same for generals), and the number of
    registered voters who voted in at least one of those primaries and generals.
    """
    access.require(actor, "voterfile.view")
    current = current_version(actor)
    if current is None:
        return []
    column, last = _column(kind), _last(last)
    with store.reading(current) as con:
        if column not in store.voter_columns(con):
            return []  # a version built before this kind of district was read
        rows = con.execute(f"""
            SELECT v.{column} AS code,
                   count(*) AS registered,
                   count(*) FILTER (WHERE v.status = 'active') AS active,
                   histogram(coalesce(t.primaries, 0)) AS primaries,
                   histogram(coalesce(t.generals, 0)) AS generals
            FROM voters v LEFT JOIN {_turnout(last)} t USING (voter_id)
            WHERE v.{column} IS NOT NULL AND v.status IS DISTINCT FROM 'removed'
            GROUP BY v.{column} ORDER BY length(v.{column}), v.{column}""").fetchall()  # noqa: S608
    found = []
    for code, registered, active, primaries, generals in rows:
        primary_counts = [int(primaries.get(n, 0)) for n in range(last + 1)]
        general_counts = [int(generals.get(n, 0)) for n in range(last + 1)]
        found.append(
            {
                "code": code,
                "registered": int(registered),
                "active": int(active),
                "primaries": primary_counts,
                "generals": general_counts,
                "primary_voters": registered - primary_counts[0],
                "general_voters": registered - general_counts[0],
            }
        )
    return found


def turnout_table(actor: Actor, *, last: int = 4) -> pa.Table:
    """Return one row per registered voter: voter_id, districts, primaries and generals voted.

    For the power map to aggregate as it needs; an empty table before the first import.
    """
    access.require(actor, "voterfile.view")
    current = current_version(actor)
    if current is None:
        return pa.table(
            {name: pa.array([], pa.string()) for name in ("voter_id", *DISTRICT_KINDS)}
            | {"primaries": pa.array([], pa.int64()), "generals": pa.array([], pa.int64())}
        )
    with store.reading(current) as con:
        present = store.voter_columns(con)
        columns = ", ".join(
            f"v.{kind}" if kind in present else f"NULL::VARCHAR AS {kind}"
            for kind in DISTRICT_KINDS
        )
        return con.sql(f"""
            SELECT v.voter_id, {columns}, coalesce(t.primaries, 0) AS primaries,
                   coalesce(t.generals, 0) AS generals
            FROM voters v LEFT JOIN {_turnout(_last(last))} t USING (voter_id)
            WHERE v.status IS DISTINCT FROM 'removed'""").to_arrow_table()  # noqa: S608


def voter_turnout(actor: Actor, voter_ids: Iterable[str], *, last: int = 4) -> dict[str, dict]:
    """Return {voter_id: {"primaries": n, "generals": m, "last": last}} for known voter ids."""
    access.require(actor, "voterfile.view")
    current = current_version(actor)
    ids = sorted({str(voter_id) for voter_id in voter_ids})
    if current is None or not ids:
        return {}
    last = _last(last)
    with store.reading(current) as con:
        rows = con.execute(
            f"""
            SELECT v.voter_id, coalesce(t.primaries, 0), coalesce(t.generals, 0)
            FROM voters v LEFT JOIN {_turnout(last)} t USING (voter_id)
            WHERE v.voter_id IN (SELECT unnest(?))""",  # noqa: S608
            [ids],
        ).fetchall()  # noqa: S608
    return {
        voter_id: {"primaries": int(p), "generals": int(g), "last": last} for voter_id, p, g in rows
    }


def voter(actor: Actor, voter_id: str) -> dict | None:
    """Return one voter's registration, districts and votes, or None if not in the file.

    Race, ethnicity and sex are included only for roles that may see sensitive fields.
    """
    access.require(actor, "voterfile.view")
    current = current_version(actor)
    if current is None:
        return None
    with store.reading(current) as con:
        cursor = con.execute("SELECT * FROM voters WHERE voter_id = ?", [voter_id])
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
        if row is None:
            return None
        votes = con.execute(
            "SELECT election_date, kind, party, method FROM votes WHERE voter_id = ? "
            "ORDER BY election_date DESC",
            [voter_id],
        ).fetchall()
    record = dict(zip(names, row, strict=True))
    if not actor.can("people.view_sensitive"):
        # Race, ethnicity and sex as the state recorded them are sensitive fields.
        for field in SENSITIVE_VOTER_FIELDS:
            record.pop(field, None)
    record["votes"] = [
        {"date": date, "kind": kind, "party": party, "method": method}
        for date, kind, party, method in votes
    ]
    return record


# For other apps: named reads of one version -----------------------------------------------


def version_in_use(organization: Organization) -> VoterFileVersion | None:
    """Return *organization*'s version in use, for figures shown without names (counts)."""
    return VoterFileVersion.objects.filter(organization=organization).current()


def district_codes(
    version: VoterFileVersion, kind: str, voter_ids: Iterable[str]
) -> dict[str, str]:
    """Return {voter_id: code of their *kind* district} for the ids registered in *version*
    with such a district, whatever their registration's status."""
    return district_codes_of_kinds(version, [kind], voter_ids)[kind]


def district_codes_of_kinds(
    version: VoterFileVersion, kinds: Sequence[str], voter_ids: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Return {kind: `district_codes` of that kind} for *kinds*, in one read of the file."""
    ids = sorted({str(voter_id) for voter_id in voter_ids if voter_id})
    found: dict[str, dict[str, str]] = {_column(kind): {} for kind in kinds}
    if not ids or not kinds:
        return found
    with store.reading(version) as con:
        present = store.voter_columns(con)  # a version built before a kind was read lacks it
        found |= district_codes_of_columns_in(con, [kind for kind in kinds if kind in present], ids)
    return found


def districts_at_addresses(
    version: VoterFileVersion, kind: str, addresses: Sequence[tuple[int, str, str]]
) -> dict[int, str]:
    """Return {key: district code} for (key, street address, ZIP) rows whose address and
    five-digit ZIP match a registration's in *version* (case and spacing ignored)."""
    return districts_at_addresses_of_kinds(version, [kind], addresses)[kind]


def districts_at_addresses_of_kinds(
    version: VoterFileVersion, kinds: Sequence[str], addresses: Sequence[tuple[int, str, str]]
) -> dict[str, dict[int, str]]:
    """Return {kind: `districts_at_addresses` of that kind} for *kinds*, in one read."""
    rows = [
        (key, " ".join(line.upper().split()), (zip_code or "")[:5])
        for key, line, zip_code in addresses
        if line and line.strip()
    ]
    found: dict[str, dict[int, str]] = {_column(kind): {} for kind in kinds}
    if not rows or not kinds:
        return found
    with store.reading(version) as con:
        present = store.voter_columns(con)
        found |= districts_at_addresses_of_columns_in(
            con, [kind for kind in kinds if kind in present], rows
        )
    return found


def district_kinds(version: VoterFileVersion) -> list[str]:
    """Return the kinds of district *version* has, in `DISTRICT_KINDS` order."""
    found = set(version.districts.order_by().values_list("kind", flat=True).distinct())
    return [kind for kind in DISTRICT_KINDS if kind in found]


def voters_in_district(
    version: VoterFileVersion, kind: str, code: str, voter_ids: Iterable[str]
) -> set[str]:
    """Return which of *voter_ids* are registered in district *code* of *kind*."""
    return {
        voter_id
        for voter_id, found in district_codes(version, kind, voter_ids).items()
        if found == code
    }


def parties(version: VoterFileVersion) -> list[tuple[str, int]]:
    """Return (party code, registered voters) of *version*, largest first (a scan of the
    file, kept: the power map and its districts ask on every view)."""
    return kept_for_file(version, "parties", lambda: _read_parties(version))


def _read_parties(version: VoterFileVersion) -> list[tuple[str, int]]:
    with store.reading(version) as con:
        return [
            (party, int(count))
            for party, count in con.execute(
                "SELECT party, count(*) FROM voters WHERE party IS NOT NULL AND party <> '' "
                "AND status IS DISTINCT FROM 'removed' GROUP BY ALL ORDER BY 2 DESC, 1"
            ).fetchall()
        ]


def voter_fields(
    version: VoterFileVersion, voter_ids: Iterable[str], fields: Sequence[str]
) -> dict[str, dict]:
    """Return {voter_id: {field: value}} for *fields* (voters columns) of *voter_ids*."""
    ids = sorted({str(voter_id) for voter_id in voter_ids if voter_id})
    if not ids:
        return {}
    with store.reading(version) as con:
        present = store.voter_columns(con)
        chosen = [name for name in fields if name in present and name != "voter_id"]
        cursor = con.execute(
            f"SELECT voter_id{''.join(', ' + name for name in chosen)} FROM voters "  # noqa: S608
            f"WHERE voter_id IN (SELECT unnest({split_parameter('ids')}))",
            {"ids": joined_parameter(ids)},
        )
        return {row[0]: dict(zip(chosen, row[1:], strict=True)) for row in cursor.fetchall()}


def voter_count(version: VoterFileVersion) -> int:
    """Return how many registrations *version* holds, whatever their status."""
    with store.reading(version) as con:
        return int(con.execute("SELECT count(*) FROM voters").fetchall()[0][0])


def _recent_elections(con, last: int) -> list[dict]:
    rows = con.execute(f"""
        SELECT election_date, kind FROM elections
        WHERE counted AND kind IN ('primary', 'general')
        QUALIFY row_number() OVER (PARTITION BY kind ORDER BY election_date DESC) <= {last}
        ORDER BY election_date DESC""").fetchall()  # noqa: S608
    return [{"date": date, "kind": kind} for date, kind in rows]


def _district_kind(kind: str) -> str:
    if kind not in DISTRICT_KINDS:
        raise InvalidInput(
            f"'{kind}' is not a kind of district. Kinds: {', '.join(DISTRICT_KINDS)}."
        )
    return kind


def _column(kind: str) -> str:
    """Return the voters column of a district kind (checked: it goes into SQL)."""
    return _district_kind(kind)


def _turnout(last: int) -> str:
    """The turnout over the last *last* elections, as a table to join: the one the import
    wrote for the usual four, else computed (grouping every vote in the file, ~10x slower)."""
    return "turnout" if last == TURNOUT_LAST_N else f"turnout_last({int(last)})"


def _last(last: int) -> int:
    if not 1 <= int(last) <= MAX_LAST:
        raise InvalidInput(f"Turnout looks back over 1 to {MAX_LAST} elections, not {last}.")
    return int(last)
