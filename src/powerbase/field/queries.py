"""Reads of the field program, always through `access`.

universes(actor)                    the organization's universes, newest first
turfs(actor, universe)              its turfs with their progress
walk_list(turf)                     doors in walking order, each with its latest attempt
directions(rows)                    a maps link to the first door still to knock
turf_progress(turf)                 doors reached against the goal, conversations, support
progress_by_district(actor, u)      the same rolled up by state house district
progress_by_day(actor, u)           knocks per day against the daily goal
events_for_person(actor, person, ...)  a member's canvass results, for their story
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import NotFound
from powerbase.field.models import Attempt, CanvassLink, Door, Turf, Universe
from powerbase.identity.models import VoterLink
from powerbase.people.timeline import Event

VIEW, MANAGE, CANVASS = "electoral.view", "electoral.manage", "field.canvass"
TALKED = Attempt.Result.TALKED


def universes(actor: Actor) -> QuerySet[Universe]:
    access.require(actor, VIEW)
    return access.scoped(actor, Universe.objects.annotate(turf_count=Count("turfs")))


def universe(actor: Actor, universe_id: int) -> Universe:
    access.require(actor, VIEW)
    return access.get(actor, Universe, pk=universe_id)


def turf(actor: Actor, turf_id: int, *, permission: str = VIEW) -> Turf:
    access.require(actor, permission)
    return access.get(actor, Turf.objects.select_related("universe"), pk=turf_id)


def link(actor: Actor, link_id: int) -> CanvassLink:
    access.require(actor, MANAGE)
    return access.get(actor, CanvassLink.objects.select_related("turf"), pk=link_id)


def door(turf: Turf, door_id: int) -> Door:
    """Return a door of *turf* (already looked up through access), or raise NotFound."""
    found = Door.objects.filter(turf=turf, pk=door_id).select_related("turf__universe").first()
    if found is None:
        raise NotFound("That door")
    return found


def _progress_annotations() -> dict:
    return {
        "attempt_count": Count("attempts"),
        "reached": Count("attempts__door", distinct=True),
        "talked": Count("attempts", filter=Q(attempts__result=TALKED)),
    }


def turfs(actor: Actor, universe: Universe) -> QuerySet[Turf]:
    """Return *universe*'s turfs, each annotated with attempts, doors reached and talks."""
    access.require(actor, VIEW)
    return (
        access.scoped(actor, Turf.objects.filter(universe=universe))
        .annotate(**_progress_annotations())
        .order_by("number")
    )


def canvass_turfs(actor: Actor) -> QuerySet[Turf]:
    """Return every turf a canvasser may open, with its progress, by universe."""
    access.require(actor, CANVASS)
    return (
        access.scoped(actor, Turf.objects.select_related("universe"))
        .annotate(**_progress_annotations())
        .order_by("-universe__created_at", "number")
    )


def my_turfs(actor: Actor) -> QuerySet[Turf]:
    """Return the turfs given to the actor, with their progress."""
    return canvass_turfs(actor).filter(canvassers=actor.user)


def assignable(actor: Actor, turf: Turf) -> tuple[list, list]:
    """Return (users given *turf*, users of the organization who may canvass and are not)."""
    from powerbase.core.models import Membership

    access.require(actor, MANAGE)
    given = list(turf.canvassers.order_by("email"))
    roles = [role for role, perms in access.ROLE_PERMISSIONS.items() if CANVASS in perms]
    others = [
        m.user
        for m in Membership.objects.select_related("user")
        .filter(organization=actor.organization, role__in=roles)
        .exclude(user__in=given)
        .order_by("user__email")
    ]
    return given, others


def links(actor: Actor, turf: Turf) -> QuerySet[CanvassLink]:
    access.require(actor, MANAGE)
    return access.scoped(actor, CanvassLink.objects.filter(turf=turf)).annotate(
        attempt_count=Count("attempts")
    )


@dataclass
class DoorRow:
    """A door as a canvasser sees it: its voters and the latest attempt, if any."""

    door: Door
    latest: Attempt | None
    attempts: int
    support_label: str = ""

    @property
    def members(self) -> list[dict]:
        return [voter for voter in self.door.voters if voter.get("person_id")]


def walk_list(turf: Turf) -> list[DoorRow]:
    """Return *turf*'s doors in walking order with the latest attempt at each (the latest wins
    for display; every attempt still counts)."""
    latest: dict[int, Attempt] = {}
    tally: dict[int, int] = {}
    for attempt in Attempt.objects.filter(turf=turf).order_by("door_id", "-recorded_at", "-id"):
        latest.setdefault(attempt.door_id, attempt)
        tally[attempt.door_id] = tally.get(attempt.door_id, 0) + 1
    universe = turf.universe
    return [
        _row(universe, door, latest.get(door.pk), tally.get(door.pk, 0))
        for door in Door.objects.filter(turf=turf).order_by("position")
    ]


def door_row(door: Door) -> DoorRow:
    attempts = Attempt.objects.filter(door=door).order_by("-recorded_at", "-id")
    return _row(door.turf.universe, door, attempts.first(), attempts.count())


def _row(universe: Universe, door: Door, latest: Attempt | None, attempts: int) -> DoorRow:
    label = universe.support_label(latest.support) if latest is not None else ""
    return DoorRow(door, latest, attempts, support_label=label)


# A maps link opens the phone's maps app with directions from where the canvasser stands;
# it is only a link: nothing is sent anywhere until the canvasser taps it.
DIRECTIONS_URL = "https://www.google.com/maps/dir/?api=1&travelmode=walking&destination="


def directions(rows: list[DoorRow]) -> tuple[Door, str] | None:
    """Return the first door still to knock (the first door when all were) and a maps link
    with directions to it, or None for a turf without doors."""
    if not rows:
        return None
    door = next((row.door for row in rows if row.latest is None), rows[0].door)
    place = ", ".join(part for part in (door.address.title(), door.city.title(), door.zip) if part)
    return door, DIRECTIONS_URL + quote(place, safe="")


@dataclass
class Progress:
    """Work done against a goal: doors reached, knocks, conversations and supporters."""

    goal: int
    reached: int
    attempts: int
    talked: int
    supporters: int = 0
    label: str = ""

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.reached / self.goal)) if self.goal else 0

    @property
    def attempt_percent(self) -> int:
        """Knocks against the goal: how a day is measured against the daily goal."""
        return min(100, round(100 * self.attempts / self.goal)) if self.goal else 0


def turf_progress(turf: Turf) -> Progress:
    """Return *turf*'s doors reached (any attempt) against its goal, all knocks and talks."""
    attempts = Attempt.objects.filter(turf=turf)
    figures = attempts.aggregate(
        attempts=Count("id"),
        reached=Count("door", distinct=True),
        talked=Count("id", filter=Q(result=TALKED)),
    )
    return Progress(
        goal=turf.goal, supporters=_supporters(attempts, turf.universe.supporter_scores), **figures
    )


def universe_progress(actor: Actor, universe: Universe) -> Progress:
    access.require(actor, VIEW)
    attempts = access.scoped(actor, Attempt.objects.filter(turf__universe=universe))
    figures = attempts.aggregate(
        attempts=Count("id"),
        reached=Count("door", distinct=True),
        talked=Count("id", filter=Q(result=TALKED)),
    )
    goal = (
        access.scoped(actor, Turf.objects.filter(universe=universe)).aggregate(goal=Sum("goal"))[
            "goal"
        ]
        or 0
    )
    return Progress(
        goal=goal, supporters=_supporters(attempts, universe.supporter_scores), **figures
    )


def _supporters(attempts: QuerySet[Attempt], supporter_scores: list[int]) -> int:
    """Count doors whose latest scored conversation gave a supporter's score (1 or 2 on the
    usual scale, where 1 is strong support; the universe may say otherwise)."""
    latest: dict[int, int | None] = {}
    for door_id, support in (
        attempts.filter(support__isnull=False)
        .order_by("door_id", "-recorded_at", "-id")
        .values_list("door_id", "support")
    ):
        latest.setdefault(door_id, support)
    return sum(1 for support in latest.values() if support in supporter_scores)


def progress_by_district(actor: Actor, universe: Universe) -> list[Progress]:
    """Return progress per state house district of *universe*'s turfs."""
    access.require(actor, VIEW)
    goals = dict(
        access.scoped(actor, Turf.objects.filter(universe=universe))
        .values("district")
        .annotate(goal=Sum("goal"))
        .values_list("district", "goal")
    )
    done = {
        row["turf__district"]: row
        for row in access.scoped(actor, Attempt.objects.filter(turf__universe=universe))
        .values("turf__district")
        .annotate(
            attempts=Count("id"),
            reached=Count("door", distinct=True),
            talked=Count("id", filter=Q(result=TALKED)),
        )
        .order_by()
    }
    rows = []
    for district in sorted(goals, key=lambda code: (len(code), code)):
        row = done.get(district, {})
        rows.append(
            Progress(
                goal=goals[district] or 0,
                reached=row.get("reached", 0),
                attempts=row.get("attempts", 0),
                talked=row.get("talked", 0),
                label=district or "No district",
            )
        )
    return rows


def progress_by_day(actor: Actor, universe: Universe) -> list[Progress]:
    """Return, per day canvassed, the knocks, new doors and conversations against the
    universe's daily goal (in knocks)."""
    access.require(actor, VIEW)
    rows = (
        access.scoped(actor, Attempt.objects.filter(turf__universe=universe))
        .annotate(day=TruncDate("recorded_at"))
        .values("day")
        .annotate(
            attempts=Count("id"),
            reached=Count("door", distinct=True),
            talked=Count("id", filter=Q(result=TALKED)),
        )
        .order_by("-day")
    )
    return [
        Progress(
            goal=universe.daily_goal,
            reached=row["reached"],
            attempts=row["attempts"],
            talked=row["talked"],
            label=row["day"].isoformat() if row["day"] else "",
        )
        for row in rows
    ]


# The person's story ------------------------------------------------------------------------


def events_for_person(
    actor: Actor, person, seen, *, kinds: frozenset[str], limit: int
) -> list[Event]:
    """Return what canvassers recorded at the door of the voter *person* is linked to.

    Results name the voter spoken to, so these are the attempts naming the person's voter.
    The door's address is the voter file's: beside a member whose affiliate withholds their
    address it is left out (`seen.home_address`), as on walk lists.
    """
    if "canvass" not in kinds or not actor.can(VIEW):
        return []
    voter_ids = access.scoped(actor, VoterLink.objects.filter(person=person)).values("voter_id")
    attempts = (
        access.scoped(actor, Attempt.objects.filter(voter_id__in=voter_ids))
        .select_related("turf__universe", "door")
        .order_by("-recorded_at", "-id")[:limit]
    )
    return [
        Event(
            at=attempt.recorded_at,
            kind="canvass",
            title=_canvass_title(attempt, seen),
            detail=_canvass_answers(attempt),
        )
        for attempt in attempts
    ]


def _canvass_title(attempt: Attempt, seen) -> str:
    universe = attempt.turf.universe
    where = f"at {attempt.door.address}" if seen.home_address else f"in turf {attempt.turf.number}"
    said = attempt.get_result_display()
    if attempt.support is not None:
        said += f", support {universe.support_label(attempt.support)}"
    return f"Canvassed {where} ({universe.name}): {said}"


def _canvass_answers(attempt: Attempt) -> str:
    questions = {q["key"]: q.get("question", q["key"]) for q in attempt.turf.universe.survey}
    return " · ".join(
        f"{questions.get(key, key)} {answer}" for key, answer in attempt.answers.items()
    )
