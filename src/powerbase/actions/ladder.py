"""The leadership ladder: each organization's rungs, the rules that place people on them, and
the record of who moved when.

`recompute` places people by the rules over what the base has done (actions attended, people
recruited, roles held, tags, support told to a canvasser). Check-in and its undo, and a canvass
result with a support score, call it for the people they touch; the job
`actions.recompute_ladder` places everyone (run it after an import or a change of rules).
Each change of rung is kept as a `LadderMove` with its date and the condition that placed the
person (`rule`), so movement can be shown and explained on the person's story.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from powerbase.actions.models import Attendance, LadderLevel, LadderMove, LadderStanding
from powerbase.coalition.models import AffiliateMembership
from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.core.jobs import Progress
from powerbase.core.models import Job, Organization
from powerbase.field.models import Attempt
from powerbase.identity.models import VoterLink
from powerbase.people.models import Person, PersonTag

# The rungs an organization starts with; it can change the rules on the ladder page.
DEFAULT_LEVELS: list[dict[str, Any]] = [
    {"rank": 0, "name": "Member", "description": "In the base."},
    {
        "rank": 1,
        "name": "Active",
        "min_attended": 2,
        "attended_within_days": 90,
        "description": "Attended 2 actions in the last 90 days.",
    },
    {
        "rank": 2,
        "name": "Leader",
        "min_recruits": 5,
        "min_recruited_actions": 2,
        "counts_leader_role": True,
        "description": "Recruited 5 or more attendees to 2 or more actions, or holds a leader "
        "role in an affiliate.",
    },
    {
        "rank": 3,
        "name": "Core leader",
        "tags": ["team lead", "governing body"],
        "description": "Leads a team or sits on a governing body (tagged 'team lead' or "
        "'governing body').",
    },
]
LEVEL_FIELDS = (
    "name",
    "rank",
    "description",
    "min_attended",
    "attended_within_days",
    "min_recruits",
    "min_recruited_actions",
    "counts_leader_role",
    "tags",
    "canvass_support_at_most",
)
CHUNK = 2000


def levels(organization: Organization) -> list[LadderLevel]:
    """Return the organization's rungs, lowest first, creating the default ladder if none."""
    found = list(LadderLevel.objects.filter(organization=organization).order_by("rank"))
    if found:
        return found
    with transaction.atomic():
        for level in DEFAULT_LEVELS:
            LadderLevel.objects.get_or_create(
                organization=organization, rank=level["rank"], defaults=level
            )
    return list(LadderLevel.objects.filter(organization=organization).order_by("rank"))


def recompute(
    *,
    organization: Organization,
    person_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> int:
    """Place *person_ids* (everyone when None) on the ladder; return how many moved.

    Runs a few set-based queries per chunk of people, whatever their number.
    """
    today = today or timezone.localdate()
    rungs = levels(organization)
    people = Person.objects.filter(organization=organization).unmerged()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    moved = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        placed = place(organization, rungs, chunk, today)
        moved += _save_places(organization, placed, today)
    return moved


@dataclass(frozen=True)
class Place:
    """The rung a person stands on and the condition of its rule they met."""

    level: LadderLevel
    rule: str


def recompute_voter(*, organization: Organization, voter_id: str) -> int:
    """Place the person linked to the voter *voter_id*, after a canvasser scored them."""
    person_ids = list(
        VoterLink.objects.filter(organization=organization, voter_id=voter_id).values_list(
            "person_id", flat=True
        )
    )
    return recompute(organization=organization, person_ids=person_ids) if person_ids else 0


def place(
    organization: Organization, rungs: list[LadderLevel], person_ids: list[int], today: date
) -> dict[int, Place]:
    """Return the highest rung whose rule each person meets, and which condition they met."""
    first = Place(rungs[0], f"{rungs[0].name}: {rungs[0].description or 'in the base'}")
    placed = {person_id: first for person_id in person_ids}
    for rung in rungs[1:]:
        for person_id, condition in qualifying_conditions(
            organization, rung, person_ids, today
        ).items():
            if placed[person_id].level.rank < rung.rank:
                placed[person_id] = Place(rung, f"{rung.name}: {condition}")
    return placed


def qualifying(
    organization: Organization, rung: LadderLevel, person_ids: list[int], today: date
) -> set[int]:
    """Return which of *person_ids* meet any condition of *rung*'s rule."""
    return set(qualifying_conditions(organization, rung, person_ids, today))


def qualifying_conditions(
    organization: Organization, rung: LadderLevel, person_ids: list[int], today: date
) -> dict[int, str]:
    """Return, for those of *person_ids* who meet *rung*'s rule, the condition they met.

    Conditions are tried in the order the ladder page lists them; the first one met is the
    one a person's story names ("moved by rule ...").
    """
    met: dict[int, str] = {}
    for condition, people in _conditions(organization, rung, person_ids, today):
        for person_id in people:
            met.setdefault(person_id, condition)
    return met


def _conditions(organization: Organization, rung: LadderLevel, person_ids: list[int], today: date):
    """Yield (condition in words, the people meeting it) for each condition *rung* sets."""
    if rung.min_attended:
        attended = Attendance.objects.filter(organization=organization, person_id__in=person_ids)
        if rung.attended_within_days:
            since = today - timedelta(days=rung.attended_within_days)
            attended = attended.filter(action__starts_at__date__gte=since)
        within = f" within {rung.attended_within_days} days" if rung.attended_within_days else ""
        yield (
            f"attended {rung.min_attended} action{'s' if rung.min_attended != 1 else ''}{within}",
            attended.values("person_id")
            .annotate(n=Count("id"))
            .filter(n__gte=rung.min_attended)
            .values_list("person_id", flat=True),
        )
    if rung.min_recruits:
        recruiters = (
            Attendance.objects.filter(organization=organization, recruited_by_id__in=person_ids)
            .values("recruited_by_id")
            .annotate(recruits=Count("id"), actions=Count("action", distinct=True))
            .filter(recruits__gte=rung.min_recruits, actions__gte=rung.min_recruited_actions or 1)
        )
        yield (
            f"recruited {rung.min_recruits} attendees to "
            f"{rung.min_recruited_actions or 1} or more actions",
            recruiters.values_list("recruited_by_id", flat=True),
        )
    if rung.counts_leader_role:
        yield (
            "holds a steward/leader role in an affiliate",
            AffiliateMembership.objects.current()
            .filter(
                person_id__in=person_ids,
                role=AffiliateMembership.Role.LEADER,
            )
            .values_list("person_id", flat=True),
        )
    if rung.tags:
        yield (
            f"tagged {' or '.join(repr(tag) for tag in rung.tags)}",
            PersonTag.objects.filter(person_id__in=person_ids, tag__name__in=rung.tags).values_list(
                "person_id", flat=True
            ),
        )
    if rung.canvass_support_at_most:
        yield (
            f"told a canvasser support {rung.canvass_support_at_most} or stronger "
            "(1 = strong support)",
            canvass_supporters(organization, person_ids, rung.canvass_support_at_most),
        )


def canvass_supporters(organization: Organization, person_ids: list[int], at_most: int) -> set[int]:
    """Return those of *person_ids* whose latest support score at the door is *at_most* or less.

    A canvass result names the voter spoken to; the person is the one linked to that voter.
    The latest score counts, so someone who has since told a canvasser they oppose drops out.
    """
    person_of = dict(
        VoterLink.objects.filter(organization=organization, person_id__in=person_ids).values_list(
            "voter_id", "person_id"
        )
    )
    if not person_of:
        return set()
    latest: dict[str, int] = {}
    scored = (
        Attempt.objects.filter(
            organization=organization, voter_id__in=list(person_of), support__isnull=False
        )
        .order_by("voter_id", "-recorded_at", "-id")
        .values_list("voter_id", "support")
    )
    for voter_id, support in scored:
        if support is not None:  # always: the query keeps scored attempts only
            latest.setdefault(voter_id, support)
    return {person_of[voter_id] for voter_id, support in latest.items() if support <= at_most}


def _save_places(organization: Organization, placed: dict[int, Place], today: date) -> int:
    with transaction.atomic():
        current = {
            standing.person_id: standing
            for standing in LadderStanding.objects.select_for_update().filter(
                person_id__in=list(placed)
            )
        }
        new, changed, moves = [], [], []
        for person_id, found in placed.items():
            rung = found.level
            standing = current.get(person_id)
            if standing is not None and standing.level_id == rung.pk:
                continue
            moves.append(
                LadderMove(
                    organization=organization,
                    person_id=person_id,
                    from_level_id=standing.level_id if standing else None,
                    to_level=rung,
                    moved_on=today,
                    rule=found.rule[:300],
                )
            )
            if standing is None:
                new.append(
                    LadderStanding(
                        organization=organization, person_id=person_id, level=rung, since=today
                    )
                )
            else:
                standing.level, standing.since = rung, today
                changed.append(standing)
        LadderStanding.objects.bulk_create(new, batch_size=500)
        LadderStanding.objects.bulk_update(changed, ["level", "since"], batch_size=500)
        LadderMove.objects.bulk_create(moves, batch_size=500)
    return len(moves)


def recompute_job(job: Job, progress: Progress) -> dict:
    """Place everyone in the job's organization on the ladder (safe to run twice)."""
    progress.update(0, total=1, message="Placing people on the ladder")
    moved = recompute(organization=jobs.organization_of(job))
    progress.update(1, message="Done")
    return {"moved": moved}


def start_recompute(*, actor: Actor) -> Job:
    """Queue a job that places everyone on the ladder by the current rules."""
    access.require(actor, "actions.manage")
    return jobs.start(
        kind="actions.recompute_ladder", started_by=actor.user, organization=actor.organization
    )


def save_level(*, actor: Actor, level: LadderLevel | None, values: dict[str, Any]) -> LadderLevel:
    """Add a rung or change one's rule. Run the recompute job afterwards to apply it to all."""
    access.require(actor, "actions.manage", level)
    unknown = set(values) - set(LEVEL_FIELDS)
    if unknown:
        raise InvalidInput(f"These fields cannot be set here: {', '.join(sorted(unknown))}.")
    if "rank" in values:
        _refuse_taken_rank(actor, level, values["rank"])
    with transaction.atomic():
        if level is None:
            level = LadderLevel.objects.create(organization=actor.organization, **values)
            audit.record(
                actor,
                "ladder_level.created",
                level,
                changes={name: [None, value] for name, value in values.items()},
            )
            return level
        # Read the rung afresh: a model form has already written the new values onto *level*.
        current = LadderLevel.objects.select_for_update().get(pk=level.pk)
        differences = audit.field_changes({name: getattr(current, name) for name in values}, values)
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        audit.record(actor, "ladder_level.changed", current, changes=differences)
    return current


def _refuse_taken_rank(actor: Actor, level: LadderLevel | None, rank: int) -> None:
    clash = LadderLevel.objects.filter(organization=actor.organization, rank=rank)
    if level is not None:
        clash = clash.exclude(pk=level.pk)
    if clash.exists():
        raise InvalidInput(
            f"Another rung already has rank {rank}: ranks order the ladder, so each must differ."
        )


# Reads: the funnel and the leaders who delivered --------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    """How many people stand on each rung, for one affiliate (or district)."""

    label: str
    cells: list[tuple[str, int]]  # (rung name, people on it), lowest rung first

    @property
    def total(self) -> int:
        return sum(count for _, count in self.cells)


@dataclass(frozen=True)
class Funnels:
    """The ladder page's funnels: the rungs, lowest first, and the rows by affiliate and by
    district."""

    rungs: list[LadderLevel]
    by_affiliate: list[FunnelRow]
    by_district: list[FunnelRow]


def funnels(actor: Actor, kind: str = "state_house") -> Funnels:
    """Return both funnels of the ladder page: `funnel_by_affiliate` and `funnel_by_district`.

    For someone who sees the whole base, both are counted once and kept (`identity.base.kept`)
    until the base changes: a membership, a merge, a placing or a ladder move changes the base's
    fingerprint, so a page shows it at once. An affiliate lead's part is counted afresh.
    """
    from powerbase.identity import base

    access.require(actor, "actions.view")
    rungs = levels(actor.organization)
    if actor.is_affiliate_scoped:
        by_affiliate, by_district = _funnel_counts(actor, kind, rungs)
    else:
        # One fingerprint for these counts and, when they are counted again, the placing.
        with base.one_fingerprint():
            by_affiliate, by_district = base.kept(
                actor.organization,
                _whole_base_key(actor, kind, rungs),
                lambda: _funnel_counts(actor, kind, rungs),
            )
    return Funnels(
        rungs,
        _affiliate_rows(actor, rungs, by_affiliate),
        _district_rows(kind, rungs, by_district),
    )


def funnel_by_affiliate(actor: Actor) -> tuple[list[LadderLevel], list[FunnelRow]]:
    """Count people on each rung per affiliate the actor may see, by active membership."""
    found = funnels(actor)
    return found.rungs, found.by_affiliate


def funnel_by_district(
    actor: Actor, kind: str = "state_house"
) -> tuple[list[LadderLevel], list[FunnelRow]]:
    """Count the base on each rung per district of *kind*, placed as `identity.base` places
    people; a row's total is the base placed there, as on the power map and the legislature
    pages. Someone not placed on the ladder yet counts on its first rung ("in the base");
    people not placed in a district count under "District not known yet".
    """
    found = funnels(actor, kind)
    return found.rungs, found.by_district


def _whole_base_key(actor: Actor, kind: str, rungs: list[LadderLevel]) -> str:
    """The name the whole base's funnels are kept under: besides the base (the fingerprint),
    they depend on whether this role is shown the placing and from which voter file, and on
    the rungs (the first rung's count is what the others leave)."""
    from powerbase.voterfile import queries as voterfile

    placed = actor.can("people.view") and actor.can("voterfile.view")
    version = voterfile.version_in_use(actor.organization) if placed else None
    return f"ladder_funnels:{kind}:{version.pk if version else '-'}:" + ",".join(
        str(rung.pk) for rung in rungs
    )


def _funnel_counts(actor: Actor, kind: str, rungs: list[LadderLevel]) -> tuple[dict, dict]:
    """({affiliate id: {rung id: people}}, {district code: {rung id: people}}) of the base the
    actor sees."""
    return (
        _affiliate_counts(access.scoped(actor, AffiliateMembership.objects.current())),
        _district_counts(actor, kind, rungs),
    )


def _affiliate_counts(memberships) -> dict[int, dict[int, int]]:
    """{affiliate id: {rung id: people}} of *memberships*' people who stand on the ladder."""
    counted = (
        memberships.filter(person__merged_into__isnull=True, person__ladder_standing__isnull=False)
        .order_by()
        .values("affiliate_id", "person__ladder_standing__level_id")
        .annotate(people=Count("person", distinct=True))
        .values_list("affiliate_id", "person__ladder_standing__level_id", "people")
    )
    counts: dict[int, dict[int, int]] = {}
    for affiliate_id, level_id, people in counted:
        counts.setdefault(affiliate_id, {})[level_id] = people
    return counts


def _affiliate_rows(
    actor: Actor, rungs: list[LadderLevel], counts: dict[int, dict[int, int]]
) -> list[FunnelRow]:
    """One row per affiliate of *counts*, by name; names are read afresh (a rename does not
    change the base's fingerprint)."""
    from powerbase.coalition.models import Affiliate

    names = access.scoped(actor, Affiliate.objects.filter(pk__in=list(counts))).values_list(
        "pk", "name"
    )
    return [
        FunnelRow(name, [(rung.name, counts[pk].get(rung.pk, 0)) for rung in rungs])
        for name, pk in sorted((name, pk) for pk, name in names)
    ]


def _district_counts(
    actor: Actor, kind: str, rungs: list[LadderLevel]
) -> dict[str, dict[int, int]]:
    """{district code, "" when not known: {rung id: people}} of the base the actor sees."""
    from powerbase.identity import base
    from powerbase.identity import queries as identity

    seen = base.people(actor.organization, actor)
    # The placing covers exactly the base the actor sees, so each district's total is counted
    # from it and the unknown row is the rest; only people above the first rung (a few
    # thousand, not the whole base) are read to split the totals by rung.
    district_of = identity.districts_of_people(actor, kind)
    totals = base.count_by_district(district_of)
    unplaced = seen.count() - sum(totals.values())
    if unplaced > 0:
        totals[""] = unplaced
    counts: dict[str, dict[int, int]] = {code: {} for code in totals}
    # From the standings' side: the level index finds the few above the first rung.
    above_first = (
        access.scoped(actor, LadderStanding.objects.all())
        .filter(level__in=rungs[1:], person__merged_into__isnull=True)
        .exclude(person__status=Person.Status.DECEASED)
        .values_list("person_id", "level_id")
    )
    for person_id, level_id in above_first.iterator(chunk_size=5000):
        by_level = counts.setdefault(district_of.get(person_id, ""), {})
        by_level[level_id] = by_level.get(level_id, 0) + 1
    for code, by_level in counts.items():
        by_level[rungs[0].pk] = totals.get(code, 0) - sum(by_level.values())
    return counts


def _district_rows(
    kind: str, rungs: list[LadderLevel], counts: dict[str, dict[int, int]]
) -> list[FunnelRow]:
    from powerbase.voterfile.models import District

    label = dict(District.Kind.choices)[kind]
    return [
        FunnelRow(
            f"{label} {code}" if code else "District not known yet",
            [(rung.name, by_level.get(rung.pk, 0)) for rung in rungs],
        )
        for code, by_level in sorted(counts.items(), key=lambda item: _district_order(item[0]))
    ]


def _district_order(code: str) -> tuple:
    """Numbered districts in number order; the unknown row last."""
    if not code:
        return (2, 0, "")
    return (0, int(code), "") if code.isdigit() else (1, 0, code)


def recent_moves(actor: Actor, limit: int = 20):
    access.require(actor, "actions.view")
    return access.scoped(actor, LadderMove.objects.all()).select_related(
        "person", "from_level", "to_level"
    )[:limit]
