"""Read queries of identity, always through `access`.

For other apps' pages (the person page, the district page) and for identity's own:

    voter_match(actor, person)        the person's voter link, districts and turnout, or None
    district_people(actor, district)  the base placed in a district (`identity.base`), leaders
    first_people_in_district(actor, district, 100)   its first people by name, from what is kept
    districts_of_people(actor, kind)  {person id: district code} of the base the actor may see
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.identity import base
from powerbase.identity.models import CandidatePair, IdentityRun, Merge, VoterLink
from powerbase.people.models import Person
from powerbase.people.timeline import Event

CONTACT_FIELDS = ("email", "phone", "address", "zip", "residence")
NOT_SHARED = "(not shared)"
DISTRICT_LIST_LIMIT = 200


# Runs, pairs, merges -----------------------------------------------------------------------


def runs(actor: Actor) -> QuerySet[IdentityRun]:
    access.require(actor, "identity.review")
    return access.scoped(actor, IdentityRun.objects.select_related("started_by", "job"))


def run(actor: Actor, run_id: int) -> IdentityRun:
    access.require(actor, "identity.review")
    return access.get(actor, IdentityRun.objects.select_related("started_by"), pk=run_id)


def waiting_pairs(actor: Actor, *, kind: str = "") -> QuerySet[CandidatePair]:
    """Return the pairs waiting for review whose people are still separate records."""
    access.require(actor, "identity.review")
    pairs = access.scoped(
        actor,
        CandidatePair.objects.filter(
            status=CandidatePair.Status.PENDING, left__merged_into__isnull=True
        ).exclude(right__merged_into__isnull=False),
    )
    if kind == IdentityRun.Kind.LINK:
        pairs = pairs.filter(right__isnull=True)
    elif kind == IdentityRun.Kind.DEDUPE:
        pairs = pairs.filter(right__isnull=False)
    return pairs.select_related("left", "right", "run").order_by("-probability", "id")


def waiting_counts(actor: Actor) -> dict[str, int]:
    """Return how many pairs wait, of each kind."""
    counts = dict(waiting_pairs(actor).order_by().values_list("run__kind").annotate(n=Count("id")))
    return {kind: counts.get(kind, 0) for kind in IdentityRun.Kind.values}


def pair(actor: Actor, pair_id: int) -> CandidatePair:
    access.require(actor, "identity.review")
    return access.get(
        actor, CandidatePair.objects.select_related("left", "right", "run", "merge"), pk=pair_id
    )


@dataclass(frozen=True)
class PairView:
    """A pair as the reviewer sees it: the records side by side, contact masked if unshared."""

    pair: CandidatePair
    rows: list[dict]
    left_facts: list[tuple[str, str]]
    right_facts: list[tuple[str, str]]
    left_label: str
    right_label: str


def pair_view(actor: Actor, found: CandidatePair) -> PairView:
    """Return *found* ready to show, hiding contact details the actor may not see."""
    left_hidden = not _contact_visible(actor, found.left)
    right_hidden = found.right is not None and not _contact_visible(actor, found.right)
    rows = []
    for item in found.fields:
        hidden = item.get("comparison") in CONTACT_FIELDS
        rows.append(
            {
                **item,
                "left": _masked(item.get("left"), hidden and left_hidden),
                "right": _masked(item.get("right"), hidden and right_hidden),
                "css": (item.get("agreement") or "").replace(" ", "-"),
            }
        )
    return PairView(
        pair=found,
        rows=rows,
        left_facts=_facts(found.left_record, left_hidden),
        right_facts=_facts(found.right_record, right_hidden),
        left_label=f"{found.left.display_name} (#{found.left_id})",
        right_label=(
            f"{found.right.display_name} (#{found.right_id})"
            if found.right
            else f"Voter {found.voter_id}"
        ),
    )


def _masked(value, hidden: bool):
    return NOT_SHARED if hidden and value else value


FACT_LABELS = (
    ("first_name", "First name"),
    ("middle_name", "Middle name"),
    ("last_name", "Last name"),
    ("suffix", "Suffix"),
    ("dob", "Born"),
    ("birth_date", "Born"),
    ("address", "Address"),
    ("city", "City"),
    ("zip", "Zip"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("party", "Party"),
    ("status", "Registration"),
)


def _facts(record: dict, hidden: bool) -> list[tuple[str, str]]:
    facts = []
    for key, label in FACT_LABELS:
        value = record.get(key)
        if value:
            facts.append(
                (
                    label,
                    NOT_SHARED if hidden and key in ("address", "zip", "phone", "email") else value,
                )
            )
    return facts


def _contact_visible(actor: Actor, person: Person) -> bool:
    """Whether every contact fact of *person* is shown to *actor*, fact by fact.

    A pair's records are flattened snapshots ("email": one value) that no longer say which
    affiliate provided each value, so they are shown only when the one visibility rule shows
    the person's every email, phone and address; one withheld fact masks them all.
    """
    person = Person.objects.prefetch_related(
        "affiliate_memberships__affiliate", "emails__source", "phones__source", "addresses__source"
    ).get(pk=person.pk)
    seen = access.person_visibility(actor, person)
    facts = [*person.emails.all(), *person.phones.all(), *person.addresses.all()]
    return seen.contact and all(seen.shows_contact(fact) for fact in facts)


def merges(actor: Actor) -> QuerySet[Merge]:
    access.require(actor, "identity.review")
    return access.scoped(actor, Merge.objects.select_related("survivor", "merged", "merged_by"))


def merge(actor: Actor, merge_id: int) -> Merge:
    access.require(actor, "identity.review")
    return access.get(actor, Merge.objects.select_related("survivor", "merged"), pk=merge_id)


def merged_into(actor: Actor, person: Person) -> list[Merge]:
    """Return the merges (not undone) that folded other records into *person*."""
    if not actor.can("people.view"):
        return []
    return list(
        access.scoped(
            actor, Merge.objects.filter(survivor=person, undone_at__isnull=True)
        ).select_related("merged", "merged_by", "merged__source")
    )


# The voter file, through links -------------------------------------------------------------


@dataclass(frozen=True)
class VoterMatch:
    """What the person page shows of a person's registration."""

    link: VoterLink
    voter: dict | None
    districts: list[dict] = field(default_factory=list)
    turnout: dict | None = None


def voter_match(actor: Actor, person: Person) -> VoterMatch | None:
    """Return the person's voter link with their registration, districts and turnout.

    None when they are not linked, or the actor may not read the voter file.
    """
    from powerbase.voterfile import queries as voterfile
    from powerbase.voterfile.layout import DISTRICT_KINDS
    from powerbase.voterfile.models import District

    if not actor.can("voterfile.view"):
        return None
    link = (
        access.scoped(actor, VoterLink.objects.filter(person=person))
        .select_related("linked_by")
        .first()
    )
    if link is None:
        return None
    voter = voterfile.voter(actor, link.voter_id)
    if voter is None:
        return VoterMatch(link=link, voter=None)
    for vote in voter["votes"]:
        vote["method_label"] = (vote.get("method") or "").replace("_", " ")
    codes = {kind: code for kind in DISTRICT_KINDS if (code := voter.get(kind))}
    known = {
        (d.kind, d.code): d
        for d in voterfile.districts(actor).filter(
            kind__in=list(codes), code__in=list(codes.values())
        )
    }
    labels = dict(District.Kind.choices)
    districts = [
        {"kind": labels[kind], "code": code, "district": known.get((kind, code))}
        for kind, code in codes.items()
    ]
    turnout = voterfile.voter_turnout(actor, [link.voter_id]).get(link.voter_id)
    return VoterMatch(link=link, voter=voter, districts=districts, turnout=turnout)


@dataclass(frozen=True)
class DistrictPeople:
    """The base placed in one district (`identity.base`): its people and its leaders."""

    members: list[Person]
    member_count: int
    leaders: list[Person]
    leader_count: int
    matched_voters: int  # of them, linked to a registration in the district


def district_people(actor: Actor, district) -> DistrictPeople | None:
    """Return the people of the base placed in *district*, as far as the actor may see them.

    None when the actor may not see people, or the district is not in the version in use.
    """
    from powerbase.voterfile import queries as voterfile

    if not actor.can("people.view"):
        return None
    current = voterfile.current_version(actor)
    if current is None or district.version_id != current.pk:
        return None
    seen = base.people(actor.organization, actor)
    if not actor.is_affiliate_scoped:
        return _whole_base_district_people(actor, district, current, seen)
    # An affiliate lead sees part of the base: placed and counted afresh.
    placed = base.placements(actor.organization, district.kind, base=seen, version=current)
    person_ids = sorted(pk for pk, code in placed.items() if code == district.code)
    if not person_ids:
        return DistrictPeople([], 0, [], 0, 0)
    links = base.voter_links(seen.filter(pk__in=person_ids))
    people = (
        seen.filter(pk__in=person_ids)
        .select_related("ladder_standing__level")
        .order_by(*DISTRICT_LIST_ORDER)
    )
    leaders = people.filter(ladder_standing__level__rank__gte=base.leader_rank(actor.organization))
    return DistrictPeople(
        members=list(people[:DISTRICT_LIST_LIMIT]),
        member_count=len(person_ids),
        leaders=list(leaders[:DISTRICT_LIST_LIMIT]),
        leader_count=leaders.count(),
        matched_voters=len(links),
    )


# The order the district page lists people in.
DISTRICT_LIST_ORDER = ("family_name", "given_name", "pk")


def _whole_base_district_people(actor: Actor, district, current, seen) -> DistrictPeople:
    """`district_people` for someone who sees the whole base: the counts and the first names
    of every district are kept (`base.kept_of_kinds`, every kind at once) until the base
    changes, so a big district's page does not send its thousands of ids to the database four
    times."""
    summary = _kept_summary(actor.organization, district, current)
    if summary is None:
        return DistrictPeople([], 0, [], 0, 0)
    member_count, leader_count, matched, first_members, first_leaders = summary
    listed = (
        seen.filter(pk__in=[*first_members, *first_leaders])
        .select_related("ladder_standing__level")
        .order_by(*DISTRICT_LIST_ORDER)
    )
    by_id = {person.pk: person for person in listed}
    return DistrictPeople(
        members=[by_id[pk] for pk in first_members if pk in by_id],
        member_count=member_count,
        leaders=[by_id[pk] for pk in first_leaders if pk in by_id],
        leader_count=leader_count,
        matched_voters=matched,
    )


def first_people_in_district(actor: Actor, district, limit: int) -> list[Person] | None:
    """Return the first *limit* (up to DISTRICT_LIST_LIMIT) people of the base placed in
    *district*, in the district page's order, from the kept panel (`district_people`).

    None when it cannot tell them from what is kept: the actor sees part of the base, or the
    district is not in the version in use; the caller then reads them afresh.
    """
    from powerbase.voterfile import queries as voterfile

    current = voterfile.current_version(actor)
    if actor.is_affiliate_scoped or current is None or district.version_id != current.pk:
        return None
    summary = _kept_summary(actor.organization, district, current)
    if summary is None:
        return []
    first = summary[3][: min(limit, DISTRICT_LIST_LIMIT)]
    by_id = base.people(actor.organization, actor).in_bulk(first)
    return [by_id[pk] for pk in first if pk in by_id]


def _kept_summary(organization, district, current) -> tuple | None:
    """The kept panel of *district* (see `_district_summaries`), or None when nobody of the
    base is placed there."""
    return base.kept_of_kinds(
        organization,
        "district_people",
        [district.kind],
        current,
        lambda kinds: _district_summaries(organization, kinds, current),
    )[district.kind].get(district.code)


def _district_summaries(organization, kinds: list[str], version) -> dict[str, dict[str, tuple]]:
    """{kind: {district code: (members, leaders, linked to a registration, the first members'
    ids, the first leaders' ids)}} for the whole base, in the page's order, for *kinds*."""
    whole = base.people(organization)
    placed = base.placements_of_kinds(organization, kinds, version, keep_here=False)
    leaders = base.leader_ids(organization)
    links = access.scoped(access.system(organization), VoterLink.objects.filter(person__in=whole))
    linked = set(links.values_list("person_id", flat=True))
    # In the database's own order (its collation), as the page lists them.
    ordered = list(whole.order_by(*DISTRICT_LIST_ORDER).values_list("pk", flat=True))
    return {kind: _summaries(ordered, placed[kind], leaders, linked) for kind in kinds}


def _summaries(
    ordered: list[int], placed: dict[int, str], leaders: set[int], linked: set[int]
) -> dict[str, tuple]:
    found: dict[str, tuple[int, int, int, list[int], list[int]]] = {}
    for pk in ordered:
        code = placed.get(pk)
        if code is None:
            continue
        members, leading, matched, first_members, first_leaders = found.get(code, (0, 0, 0, [], []))
        if len(first_members) < DISTRICT_LIST_LIMIT:
            first_members.append(pk)
        if pk in leaders and len(first_leaders) < DISTRICT_LIST_LIMIT:
            first_leaders.append(pk)
        found[code] = (
            members + 1,
            leading + (pk in leaders),
            matched + (pk in linked),
            first_members,
            first_leaders,
        )
    return found


def districts_of_people(actor: Actor, kind: str) -> dict[int, str]:
    """Return {person id: district code of *kind*} for the base the actor may see, placed as
    `identity.base` places them (empty when there is no voter file in use, or when they may
    not see people or the voter file).
    """
    from powerbase.voterfile import queries as voterfile

    if not (actor.can("people.view") and actor.can("voterfile.view")):
        return {}
    current = voterfile.current_version(actor)
    if current is None:
        return {}
    # The whole base's placing is cached (base.placements); an affiliate lead's part is not.
    seen = base.people(actor.organization, actor) if actor.is_affiliate_scoped else None
    return base.placements(actor.organization, kind, base=seen, version=current)


# The person's story ------------------------------------------------------------------------


def events_for_person(
    actor: Actor, person: Person, seen, *, kinds: frozenset[str], limit: int
) -> list:
    """Return the records merged into *person* and when they were matched to the voter file."""
    if "records" not in kinds:
        return []
    events = [
        Event(
            at=merge.merged_at,
            kind="records",
            title=f"Merged with the record of {merge.merged.display_name} (#{merge.merged_id})",
            detail=merge.get_method_display(),
        )
        for merge in merged_into(actor, person)[:limit]
    ]
    link = access.scoped(actor, VoterLink.objects.filter(person=person)).first()
    if link is not None:
        events.append(
            Event(
                at=link.linked_at,
                kind="records",
                title="Matched to the voter file",
                detail=link.get_method_display(),
            )
        )
    return events
