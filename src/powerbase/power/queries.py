"""Read queries for dashboards and the power map: figures drawn from every domain, through
their own queries; the map's arithmetic is in `map` (DuckDB)."""

import hashlib
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q

from powerbase.coalition import queries as coalition_queries
from powerbase.core import access
from powerbase.core import queries as core_queries
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Job, Organization
from powerbase.identity import base as base_rules
from powerbase.people.models import Person
from powerbase.power import map as map_engine
from powerbase.power import shapes as shape_reader
from powerbase.power.map import BASE_SCHEMA, Assumptions, DistrictPower
from powerbase.power.models import CensusCount, DistrictShape
from powerbase.voterfile import queries as voterfile
from powerbase.voterfile import store
from powerbase.voterfile.models import District, VoterFileVersion


@dataclass(frozen=True)
class Dashboard:
    users: int
    affiliates: int | None
    unfinished_jobs: int
    recent_jobs: list[Job]
    child_organizations: list[Organization]
    checklist: list["ChecklistItem"] = field(default_factory=list)  # empty once all are done

    @property
    def checklist_done(self) -> int:
        return sum(item.done for item in self.checklist)


@dataclass(frozen=True)
class ChecklistItem:
    """One first step of a new organization, ticked from what is in the database."""

    label: str
    done: bool
    url_name: str  # the page that does it
    permission: str  # needed to open that page
    why: str
    may_open: bool = False


def checklist(actor: Actor) -> list[ChecklistItem]:
    """Return the first-run steps (roster, voter file, staff, first action), or [] once they
    are all done: a new organization's front page says what to do instead of empty pages."""
    from powerbase.actions.models import Action
    from powerbase.core.models import Membership
    from powerbase.imports.models import ImportBatch

    organization = actor.organization
    items = [
        ChecklistItem(
            "Import a roster",
            ImportBatch.objects.filter(
                organization=organization, status=ImportBatch.Status.COMMITTED
            ).exists(),
            "imports:imports",
            "imports.run",
            "Bring your members in from a CSV or XLSX list.",
        ),
        ChecklistItem(
            "Load a voter file",
            VoterFileVersion.objects.filter(organization=organization).exists(),
            "voterfile:import",
            "voterfile.import",
            "Place members in districts and draw the power map.",
        ),
        ChecklistItem(
            "Invite staff",
            Membership.objects.filter(organization=organization).count() > 1,
            "core:member_add",
            "members.manage",
            "Give organizers and data staff their own sign-in.",
        ),
        ChecklistItem(
            "Create the first action",
            Action.objects.filter(organization=organization).exists(),
            "actions:action_new",
            "actions.manage",
            "A meeting, a canvass or a march to invite people to.",
        ),
    ]
    if all(item.done for item in items):
        return []
    return [replace(item, may_open=actor.can(item.permission)) for item in items]


def dashboard(actor: Actor) -> Dashboard:
    """Return the figures on an organization's front page, as far as the actor may see."""
    return Dashboard(
        checklist=checklist(actor) if not actor.is_affiliate_scoped else [],
        users=core_queries.member_count(actor),
        affiliates=(
            coalition_queries.affiliates(actor).count() if actor.can("affiliates.view") else None
        ),
        unfinished_jobs=core_queries.job_counts(actor)["unfinished"],
        recent_jobs=list(core_queries.recent_jobs(actor, limit=5)),
        child_organizations=list(actor.organization.children.order_by("name")),
    )


# The power map -----------------------------------------------------------------------------

SORTS = {
    "district": lambda row: (len(row.code), row.code),
    "members": lambda row: -row.members,
    "leaders": lambda row: -row.leaders,
    "registered": lambda row: -row.members_registered,
    "in_party": lambda row: -row.members_in_party,
    "voted": lambda row: -row.members_voted_primaries,
    "turnout": lambda row: -(row.last_turnout or 0),
    "margin": lambda row: (row.last_margin is None, row.last_margin or 0),
    "win_number": lambda row: -(row.win_number or 0),
    "share": lambda row: -(row.share_of_win_number or 0),
}
CHAMBERS = (
    "state_house",
    "state_senate",
    "congressional",
    "municipality",
    "ward",
    "county_commission",
    "school_board",
)
DEMOCRATIC_CODES = ("DEM", "D", "DEMOCRATIC")
CHART_BARS = 30


@dataclass
class PowerMap:
    """The map for one chamber and party, with what the page needs around it."""

    assumptions: Assumptions
    rows: list[DistrictPower]
    version: VoterFileVersion | None
    parties: list[tuple[str, int]]
    base_size: int = 0
    base_matched: int = 0
    base_placed: int = 0  # placed in a district of the map's kind
    primaries: list[str] = field(default_factory=list)
    districts: dict[str, int] = field(default_factory=dict)  # code -> District id
    seconds: float = 0.0
    base: pa.Table | None = field(default=None, repr=False)  # as joined, for a district page

    @property
    def placed(self) -> int:
        return sum(row.members for row in self.rows)

    @property
    def definition(self) -> str:
        return base_rules.DEFINITION

    def close(self) -> list[DistrictPower]:
        return [row for row in self.rows if row.is_close_to_decisive(self.assumptions)]


def facts_folder(organization: Organization) -> Path:
    """Return where the power map keeps the voter-file side of its maps, per version."""
    return Path(settings.DATA_DIR) / "power" / organization.slug


def base_table(
    actor: Actor, *, kind: str = "state_house", version: VoterFileVersion | None = None
) -> pa.Table:
    """Return the base as the power map joins it: person_id, voter_id (or null), leader, and
    the *kind* district it is placed in (or null), all as `identity.base` defines them."""
    organization = actor.organization
    threshold = base_rules.leader_rank(organization)
    seen = base_rules.people(organization, actor)
    # The whole base's placing is cached (identity.base); an affiliate lead's part is not.
    placed = base_rules.placements(
        organization, kind, version=version, base=seen if actor.is_affiliate_scoped else None
    )
    read = seen.values_list("pk", "voter_link__voter_id", "ladder_standing__level__rank")
    if actor.is_affiliate_scoped:
        rows: Iterable[tuple] = read.iterator(chunk_size=5000)
    else:
        # The same whatever the kind of district: kept, the first map of another chamber
        # after a change of the base reads them back instead (0.1-0.3 s on the full demo).
        rows = base_rules.kept(organization, "power:base_rows", lambda: list(read))
    ids, voters, leaders, codes = [], [], [], []
    for person_id, voter_id, rank in rows:
        ids.append(person_id)
        voters.append(voter_id)
        leaders.append(rank is not None and rank >= threshold)
        codes.append(placed.get(person_id))
    return pa.table(
        {
            "person_id": pa.array(ids, pa.int64()),
            "voter_id": pa.array(voters, pa.string()),
            "leader": pa.array(leaders, pa.bool_()),
            "code": pa.array(codes, pa.string()),
        },
        schema=BASE_SCHEMA,
    )


def power_map(
    actor: Actor, *, kind: str = "state_house", party: str | None = None, sort: str = "share"
) -> PowerMap:
    """Return the power map of *kind* districts for the primary of *party* (the Democratic
    party's code when the voter file has one, else its largest party)."""
    access.require(actor, "power.view")
    started = time.perf_counter()
    version = access.scoped(actor, VoterFileVersion.objects.all()).current()
    if version is None:
        return PowerMap(
            assumptions=Assumptions(kind=_chamber(kind)), rows=[], version=None, parties=[]
        )
    kind = _chamber(kind)
    parties = voterfile.parties(version)
    chosen = party if party is not None else _default_party(parties)
    assumptions = Assumptions(kind=kind, party=chosen)
    results = _primary_results(actor, assumptions)
    facts = _district_facts(actor.organization, version, assumptions)
    counted = _counted_base(actor, facts, assumptions, version)
    rows = map_engine.map_rows(facts, assumptions, counted.rows, results)
    rows.sort(key=SORTS.get(sort, SORTS["share"]))
    districts = dict(
        access.scoped(
            actor, District.objects.filter(version=version, kind=assumptions.kind)
        ).values_list("code", "pk")
    )
    return PowerMap(
        assumptions=assumptions,
        rows=rows,
        version=version,
        parties=parties,
        base_size=counted.size,
        base_placed=counted.placed,
        base_matched=counted.matched,
        primaries=map_engine.facts_primaries(facts),
        districts=districts,
        seconds=time.perf_counter() - started,
        base=counted.base,
    )


def _district_facts(
    organization: Organization, version: VoterFileVersion, assumptions: Assumptions
) -> pa.Table:
    """The voter file's side of a map, computed once per version and kept on disk. The file
    is opened only when they are not kept yet: a process's first map then does not pay for
    opening it (25-150 ms)."""
    key, folder = str(store.path_of(version)), facts_folder(organization)
    facts = map_engine.kept_district_facts(key, assumptions, folder)
    if facts is None:
        with store.reading(version) as con:
            facts = map_engine.cached_district_facts(con, key, assumptions, folder=folder)
    return facts


@dataclass(frozen=True)
class CountedBase:
    """The base's side of one map: its rows per district (`map.count_base`) and its sizes."""

    rows: list[dict]
    size: int
    placed: int
    matched: int
    base: pa.Table | None = None  # as joined; None when kept from before


# Counted together after a change of the base (the legislative maps the pages link to first):
# the first map of each paid 0.4-1.3 s on the full demo.
COUNTED_TOGETHER = ("state_house", "state_senate", "congressional")


def _counted_base(actor: Actor, facts: pa.Table, assumptions: Assumptions, version):
    """Count the base the actor may see in the map's districts. The whole base's count is
    kept until the base changes (`identity.base.kept`): counting it reads all 49,000 people of
    the demo and joins them with the voter file, most of a map's time. When it is not kept,
    the other chambers of the voter file are counted and kept too, so that only the first map
    after a change pays."""

    def count(assumptions: Assumptions, facts: pa.Table) -> CountedBase:
        base = base_table(actor, kind=assumptions.kind, version=version)
        with store.reading(version) as con:
            rows = map_engine.count_base(con, base, facts, assumptions)
        return CountedBase(
            rows=rows,
            size=base.num_rows,
            placed=base.num_rows - base.column("code").null_count,
            matched=base.num_rows - base.column("voter_id").null_count,
            base=base,
        )

    if actor.is_affiliate_scoped:
        return count(assumptions, facts)
    organization = actor.organization

    def kept_count(assumptions: Assumptions, facts: pa.Table, compute) -> CountedBase:
        name = (
            f"power:base:{assumptions.kind}:{assumptions.party}:{version.pk}:"
            f"{','.join(map_engine.facts_primaries(facts))}"
        )
        return base_rules.kept(organization, name, compute)

    def count_every_chamber() -> CountedBase:
        kinds = voterfile.district_kinds(version)
        for other in (k for k in COUNTED_TOGETHER if k in kinds and k != assumptions.kind):
            theirs = replace(assumptions, kind=other)
            their_facts = _district_facts(organization, version, theirs)
            kept_count(
                theirs,
                their_facts,
                lambda theirs=theirs, their_facts=their_facts: replace(
                    count(theirs, their_facts), base=None
                ),
            )
        return replace(count(assumptions, facts), base=None)

    return kept_count(assumptions, facts, count_every_chamber)


def _primary_results(actor: Actor, assumptions: Assumptions) -> dict[str, tuple[int, int | None]]:
    from powerbase.electoral import queries as electoral

    summaries = electoral.primary_results(actor, kind=assumptions.kind, party=assumptions.party)
    return {code: (summary.ballots, summary.margin) for code, summary in summaries.items()}


def _default_party(parties: list[tuple[str, int]]) -> str:
    codes = [code for code, _ in parties]
    for code in DEMOCRATIC_CODES:
        if code in codes:
            return code
    return codes[0] if codes else ""


def _chamber(kind: str) -> str:
    if kind not in map_engine.DISTRICT_KINDS:
        raise InvalidInput(f"'{kind}' is not a kind of district.")
    return kind


def chart(power: PowerMap, bars: int = CHART_BARS) -> dict:
    """Return the geometry of a horizontal bar chart (server-drawn SVG): per district, the win
    number and the base's voters in the party, for the districts closest to decisive."""
    ranked = sorted(
        ((row, row.win_number) for row in power.rows if row.win_number),
        key=lambda pair: -(pair[0].share_of_win_number or 0),
    )[:bars]
    if not ranked:
        return {"bars": [], "height": 0}
    widest = max(max(win, row.members_in_party) for row, win in ranked)
    label_width, plot_width, bar_height, gap = 90, 400, 14, 6
    drawn = []
    for n, (row, win) in enumerate(ranked):
        y = n * (bar_height + gap)
        drawn.append(
            {
                "label": row.name or row.code,
                "code": row.code,
                "y": y,
                "text_y": y + 11,
                "win_width": round(plot_width * win / widest, 1),
                "base_width": round(plot_width * row.members_in_party / widest, 1),
                "close": row.is_close_to_decisive(power.assumptions),
                "share": row.share_of_win_number,
                "win": win,
                "base": row.members_in_party,
            }
        )
    return {
        "bars": drawn,
        "height": len(ranked) * (bar_height + gap),
        "label_width": label_width,
        "plot_width": plot_width,
        "width": label_width + plot_width + 60,
        "bar_height": bar_height,
        "widest": widest,
    }


# The drawn map: district boundaries shaded by the base's share of the win number ---------

# (lower bound of the share, css class, legend), highest first
SHADES = [
    (1.0, "shade-5", "at or above the win number"),
    (0.5, "shade-4", "50–100%"),
    (0.25, "shade-3", "25–50%"),
    (0.1, "shade-2", "10–25%"),
    (0.0, "shade-1", "under 10%"),
]
_DRAWN: dict[tuple, dict] = {}


def drawn_map(actor: Actor, power: PowerMap) -> dict | None:
    """Return the map of *power*'s districts as SVG geometry, each district shaded by the
    base's share of its win number, or None when no boundaries of that kind are loaded."""
    organization = actor.organization
    shapes = access.scoped(
        actor, DistrictShape.objects.filter(district_kind=power.assumptions.kind)
    )
    stamp = shapes.aggregate(count=Count("id"), latest=Max("imported_at"))
    if not stamp["count"]:
        return None
    key = (organization.pk, power.assumptions.kind, stamp["count"], stamp["latest"])
    geometry = _DRAWN.get(key)
    if geometry is None:
        names = dict(shapes.values_list("district_code", "name"))
        geometry = shape_reader.draw(list(shapes.values_list("district_code", "rings")))
        geometry["names"] = names
        _DRAWN.clear()  # one map kept: the geometry of a state is a few hundred kB
        _DRAWN[key] = geometry
    rows = {row.code: row for row in power.rows}
    districts = []
    for code, path in geometry["paths"].items():
        row = rows.get(code)
        share = row.share_of_win_number if row else None
        districts.append(
            {
                "code": code,
                "path": path,
                "name": (row.name if row else "") or geometry["names"].get(code) or code,
                "district_id": power.districts.get(code),
                "share": None if share is None else round(100 * share),
                "shade": _shade(share),
                "close": bool(row and row.is_close_to_decisive(power.assumptions)),
            }
        )
    districts.sort(key=lambda d: d["close"])  # the flagged outlines drawn last, on top
    return {
        "width": geometry["width"],
        "height": geometry["height"],
        "districts": districts,
        "shades": SHADES,
    }


def _shade(share: float | None) -> str:
    if share is None:
        return "shade-none"
    return next(css for bound, css, _ in SHADES if share >= bound)


# One district: its row of the map and the base's composition against its voters -------------


@dataclass
class DistrictPage:
    district: District
    power: DistrictPower | None
    assumptions: Assumptions
    voters: dict  # {"race": {code: n}, "sex": {code: n}} from the voter file
    base: dict  # {"race": {label: n}, "gender": {label: n}, "counted": n, "withheld": n}
    census: dict  # {category: [(group, n), ...]}
    people: list = field(default_factory=list)  # the first PEOPLE_SHOWN of the base placed here
    people_count: int = 0
    officials: list = field(default_factory=list)  # who holds the seat, as far as we know


def district_page(actor: Actor, district_id: int, *, party: str | None = None) -> DistrictPage:
    """Return one district's row of the power map and the base's composition beside it."""
    access.require(actor, "power.view")
    district = access.get(actor, District, pk=district_id)
    # The map's count and the placing are both kept under the base's fingerprint: take it once.
    with base_rules.one_fingerprint():
        return _district_page(actor, district, party)


def _district_page(actor: Actor, district: District, party: str | None) -> DistrictPage:
    organization = actor.organization
    power = power_map(actor, kind=district.kind, party=party)
    row = next((r for r in power.rows if r.code == district.code), None)
    voters: dict = {"race": {}, "sex": {}}
    member_ids: list[int] = []
    if power.version is not None:
        every_district = voterfile.kept_for_file(
            power.version,
            f"compositions:{district.kind}",
            lambda: _voter_compositions(power.version, district.kind),
        )
        voters = every_district.get(district.code, voters)
        member_ids = (
            map_engine.district_member_ids(power.base, code=district.code)
            if power.base is not None
            else base_rules.placed_in(organization, district.kind, district.code)
        )
    census: dict[str, list] = {}
    for count in access.scoped(
        actor, CensusCount.objects.filter(district_kind=district.kind, district_code=district.code)
    ):
        census.setdefault(count.category, []).append((count.group, count.count))
    return DistrictPage(
        district=district,
        power=row,
        assumptions=power.assumptions,
        voters=voters,
        base=(
            kept_composition(actor, district, power.version)
            if power.version is not None and not actor.is_affiliate_scoped
            else base_composition(actor, member_ids)
        ),
        census=census,
        people=_first_people(actor, district, member_ids),
        people_count=len(member_ids) if actor.can("people.view") else 0,
        officials=district_officials(actor, district),
    )


def _voter_compositions(version: VoterFileVersion, kind: str) -> dict[str, dict]:
    with store.reading(version) as con:
        return map_engine.voter_compositions(con, kind=kind)


PEOPLE_SHOWN = 100


def district_people(actor: Actor, person_ids: list[int]) -> list[Person]:
    """Return the first PEOPLE_SHOWN people of the base placed in a district, by name, when
    the actor may see people."""
    if not actor.can("people.view"):
        return []
    return list(
        access.scoped(actor, Person.objects.filter(pk__in=person_ids)).order_by(
            "family_name", "given_name", "pk"
        )[:PEOPLE_SHOWN]
    )


def _first_people(actor: Actor, district: District, person_ids: list[int]) -> list[Person]:
    """`district_people`, from the district panel kept for the whole base when it can tell:
    a big district's page then does not send its thousands of ids to the database."""
    if not actor.can("people.view"):
        return []
    from powerbase.identity import queries as identity

    found = identity.first_people_in_district(actor, district, PEOPLE_SHOWN)
    return district_people(actor, person_ids) if found is None else found


def district_officials(actor: Actor, district: District) -> list:
    """Return the current officials holding *district*'s seat: linked to it, or of its
    chamber with its number."""
    from powerbase.legislature import queries as legislature
    from powerbase.legislature.models import DISTRICT_KIND_OF_CHAMBER

    if not actor.can("legislature.view"):
        return []
    chambers = [
        chamber for chamber, kind in DISTRICT_KIND_OF_CHAMBER.items() if kind == district.kind
    ]
    return list(
        legislature.officials(actor).filter(
            Q(district=district) | Q(chamber__in=chambers, district_code=district.code)
        )
    )


def base_composition(actor: Actor, person_ids: list[int]) -> dict:
    """Count the self-identified race/ethnicity and gender of *person_ids*.

    Only people whose demographics the IPO may see are counted (direct members, and members of
    affiliates whose sharing terms include demographics); the rest are "withheld".
    """
    from powerbase.coalition.models import AffiliateMembership

    sharing = AffiliateMembership.objects.filter(
        person=OuterRef("pk"), affiliate__share_demographics=True
    )
    people = access.scoped(actor, Person.objects.filter(pk__in=person_ids))
    shared = people.filter(Q(is_direct_member=True) | Q(Exists(sharing)))
    return _composition(
        shared.order_by("pk").values_list("race_ethnicity", "gender_identity"), len(person_ids)
    )


def _composition(shared: Iterable[tuple[list | None, str]], placed: int) -> dict:
    """Count the (race/ethnicity list, gender) of the people whose demographics are shared,
    of *placed* people in all."""
    race: Counter = Counter()
    gender: Counter = Counter()
    counted = 0
    labels = dict(Person.RaceEthnicity.choices)
    for race_list, identity in shared:
        counted += 1
        for value in race_list or ["not given"]:
            race[labels.get(value, value)] += 1
        gender[identity.strip().lower() or "not given"] += 1
    return {
        "race": dict(race.most_common()),
        "gender": dict(gender.most_common()),
        "counted": counted,
        "withheld": placed - counted,
    }


def kept_composition(actor: Actor, district: District, version: VoterFileVersion) -> dict:
    """`base_composition` of the whole base placed in *district*, for someone who sees the
    whole base: every district's is kept (`identity.base.kept_of_kinds`) until the base
    changes. Counting a big district sent its thousands of ids to the database (0.15 s on
    PostgreSQL for a congressional district of the full demo)."""
    organization = actor.organization
    return base_rules.kept_of_kinds(
        organization,
        f"power:composition:{_sharing_stamp(organization)}",
        [district.kind],
        version,
        lambda kinds: _compositions(organization, kinds, version),
    )[district.kind].get(district.code, _composition([], 0))


def _sharing_stamp(organization: Organization) -> str:
    """Which affiliates share demographics, and the count and highest id of every affiliate
    membership (whatever its status, as `base_composition` reads them): the base's
    fingerprint does not follow either, and both change whose demographics are counted."""
    from powerbase.coalition.models import Affiliate, AffiliateMembership

    whole = access.system(organization)  # the whole base's figure: every affiliate counts
    sharing = access.scoped(whole, Affiliate.objects.filter(share_demographics=True))
    memberships = access.scoped(whole, AffiliateMembership.objects.all()).aggregate(
        n=Count("id"), top=Max("id")
    )
    stamp = (
        f"{sorted(sharing.values_list('pk', flat=True))}|{memberships['n']}|{memberships['top']}"
    )
    return hashlib.sha256(stamp.encode()).hexdigest()[:12]


def _compositions(organization: Organization, kinds: list[str], version) -> dict[str, dict]:
    """{kind: {district code: `base_composition` of the base placed there}} for *kinds*."""
    from powerbase.coalition.models import AffiliateMembership

    placed = base_rules.placements_of_kinds(organization, kinds, version, keep_here=False)
    whole = access.system(organization)  # the whole base's figure: every affiliate counts
    sharing = access.scoped(
        whole,
        AffiliateMembership.objects.filter(
            person=OuterRef("pk"), affiliate__share_demographics=True
        ),
    )
    # Everyone of the organization whose demographics it may see: {pk: (race list, gender)}.
    shared = {
        pk: (race, gender)
        for pk, race, gender in access.scoped(whole, Person.objects.all())
        .filter(Q(is_direct_member=True) | Q(Exists(sharing)))
        .values_list("pk", "race_ethnicity", "gender_identity")
        .iterator(chunk_size=5000)
    }
    found: dict[str, dict] = {}
    for kind in kinds:
        by_code: dict[str, list[int]] = {}
        for pk, code in sorted(placed[kind].items()):
            by_code.setdefault(code, []).append(pk)
        found[kind] = {
            code: _composition((shared[pk] for pk in ids if pk in shared), len(ids))
            for code, ids in by_code.items()
        }
    return found


def census_districts(actor: Actor) -> list[dict[str, Any]]:
    """Return the districts with imported census figures and how many figures each has."""
    access.require(actor, "power.view")
    found = (
        access.scoped(actor, CensusCount.objects.all())
        .values("district_kind", "district_code")
        .annotate(figures=Count("id"))
        .order_by("district_kind", "district_code")
    )
    return [dict(row) for row in found]
