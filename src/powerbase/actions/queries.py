"""Read queries for campaigns, actions, check-in and one-on-ones, always through `access`."""

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from powerbase.actions.models import (
    Action,
    Attendance,
    Campaign,
    Commitment,
    CommitmentChange,
    LadderLevel,
    LadderMove,
    OneOnOne,
    Rsvp,
)
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.coalition.visibility import contact_facts_filter
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.people import queries as people_queries
from powerbase.people.models import Person, PhoneNumber, prefix_condition
from powerbase.people.names import name_key
from powerbase.people.services import reversed_digits
from powerbase.people.timeline import Event, at_day

CHECK_IN_RESULTS = 20
# A suffix of four digits is shared by about one person in 10,000; past this many, type more.
PHONE_CANDIDATES = 200
_DIGIT = re.compile(r"\d")


def actions(actor: Actor) -> QuerySet[Action]:
    access.require(actor, "actions.view")
    return access.scoped(actor, Action.objects.all()).select_related("campaign")


def upcoming_and_recent(actor: Actor, recent: int = 20) -> tuple[list[Action], list[Action]]:
    """Return the upcoming actions, soonest first, and the most recent past ones."""
    now = timezone.now()
    found = actions(actor)
    return (
        list(found.filter(starts_at__gte=now).order_by("starts_at")),
        list(found.filter(starts_at__lt=now).order_by("-starts_at")[:recent]),
    )


def action(actor: Actor, action_id: int) -> Action:
    return access.get(actor, actions(actor), pk=action_id)


def campaigns(actor: Actor) -> QuerySet[Campaign]:
    access.require(actor, "actions.view")
    return access.scoped(actor, Campaign.objects.all()).annotate(action_count=Count("actions"))


def campaign(actor: Actor, campaign_id: int) -> Campaign:
    return access.get(actor, campaigns(actor), pk=campaign_id)


@dataclass(frozen=True)
class Turnout:
    """How many have RSVP'd and come, as far as the actor may see."""

    rsvped: int
    attended: int


def turnout(actor: Actor, action: Action) -> Turnout:
    access.require(actor, "actions.view")
    return Turnout(
        rsvped=access.scoped(actor, Rsvp.objects.filter(action=action)).count(),
        attended=access.scoped(actor, Attendance.objects.filter(action=action)).count(),
    )


def commitments(actor: Actor, action: Action) -> list[Commitment]:
    """Return the commitments to *action* the actor may see, each with its history."""
    access.require(actor, "actions.view")
    history = Prefetch("changes", queryset=CommitmentChange.objects.select_related("changed_by"))
    return list(
        access.scoped(actor, Commitment.objects.filter(action=action))
        .select_related("affiliate", "leader")
        .prefetch_related(history)
        .order_by("leader__family_key", "affiliate__name", "id")
    )


def committable_affiliates(actor: Actor) -> QuerySet[Affiliate]:
    """Return the affiliates whose turnout the actor may commit: all for organizers, a lead's
    own."""
    if actor.can("actions.manage") and actor.can("affiliates.view"):
        return access.scoped(actor, Affiliate.objects.all())
    if actor.is_affiliate_scoped:
        return Affiliate.objects.filter(pk__in=actor.affiliate_ids)
    return Affiliate.objects.none()


def leaders(actor: Actor) -> QuerySet[Person]:
    """Return the leaders the actor may credit: for the "who commits" and "brought by" pickers."""
    access.require(actor, "actions.view")
    return _leaders(actor)


def committable_leader(actor: Actor, person_id: int) -> Person:
    return access.get(actor, _leaders(actor), pk=person_id)


def _leaders(actor: Actor) -> QuerySet[Person]:
    if not actor.can("people.view"):
        return Person.objects.none()
    memberships = AffiliateMembership.objects.current().filter(
        role=AffiliateMembership.Role.LEADER, affiliate__in=committable_affiliates(actor)
    )
    return people_queries.people(actor).filter(pk__in=memberships.values("person_id"))


# Check-in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone the check-in search found, and where they stand at this action."""

    person: Person
    has_rsvp: bool
    is_checked_in: bool


def is_searchable(query: str) -> bool:
    """Two letters of a name, or four digits of a phone, are enough to search."""
    return len(name_key(query).replace(" ", "")) >= 2 and (
        len(_DIGIT.findall(query)) >= 4 or not _DIGIT.search(query)
    )


def check_in_search(actor: Actor, action: Action, query: str) -> list[Candidate]:
    """Find people for the door: RSVPs first, then by family name, at most 20.

    Written for speed at hundreds of thousands of people (bench/checkin_search.py). Names are
    matched by `_name_condition`, a flat OR of prefix ranges that SQLite and PostgreSQL both
    answer from the name-key indexes. Digits first find the few phones ending with them through
    the reversed-digits index, and the sharing terms are then applied to those few people only.
    """
    access.require(actor, "actions.check_in")
    query = query.strip()
    if not is_searchable(query):
        return []
    found = people_queries.findable_people(actor)
    if _looks_like_phone(query):
        candidates = PhoneNumber.objects.filter(
            prefix_condition("digits_reversed", reversed_digits(_phone_digits(query))),
            organization=actor.organization,
        ).values_list("pk", flat=True)
        # Only numbers the actor may see find their owner: the provider's terms decide.
        owners = (
            PhoneNumber.objects.filter(pk__in=list(candidates[:PHONE_CANDIDATES]))
            .filter(contact_facts_filter(actor))
            .values("person_id")
        )
        found = found.filter(pk__in=owners)
    else:
        found = found.filter(_name_condition(actor.organization.pk, query))
    # Rank the matches on narrow rows first, then load the twenty shown: selecting every
    # column and the check-in status of thousands of matches would cost more than the search.
    ranked = list(
        found.annotate(has_rsvp=Exists(Rsvp.objects.filter(action=action, person=OuterRef("pk"))))
        .order_by("-has_rsvp", "family_key", "given_key", "id")
        .values_list("pk", "has_rsvp")[:CHECK_IN_RESULTS]
    )
    people = Person.objects.in_bulk([pk for pk, _ in ranked])
    checked_in = set(
        Attendance.objects.filter(action=action, person_id__in=list(people)).values_list(
            "person_id", flat=True
        )
    )
    return [Candidate(people[pk], has_rsvp, pk in checked_in) for pk, has_rsvp in ranked]


def _looks_like_phone(query: str) -> bool:
    digits = _DIGIT.findall(query)
    return len(digits) >= 4 and len(digits) >= len(query.replace(" ", "")) - 3


def _phone_digits(query: str) -> str:
    return query if query.startswith("+") else "".join(_DIGIT.findall(query))


NAME_KEYS = ("given_key", "family_key", "full_key")


def _name_condition(organization_id: int, query: str) -> Q:
    """Match the text as the start of a name, or each word as the start of some name part
    ("maria gon" finds "Maria Elena Gonzalez").

    The condition is a flat OR whose every branch holds the organization and one prefix range
    on one indexed key, so each branch is an index range scan: SQLite's OR optimisation and
    PostgreSQL's bitmap OR need exactly that shape. (The people page's `id IN (...) OR id IN
    (...)` form is scanned in full by PostgreSQL; "any word matches any key" nested inside an
    OR is scanned in full by SQLite.) Later words only filter the rows the first word found.
    """
    key = name_key(query)
    words = key.split()
    if not words:
        return Q(pk__in=[])
    branches = [
        Q(prefix_condition(column, key), organization_id=organization_id) for column in NAME_KEYS
    ]
    if len(words) > 1:
        later_words = Q()
        for word in words[1:]:
            later_words &= _starts_some_name(word)
        branches += [
            Q(prefix_condition(column, words[0]), later_words, organization_id=organization_id)
            for column in NAME_KEYS
        ]
    condition = branches[0]
    for branch in branches[1:]:
        condition |= branch
    return condition


def _starts_some_name(word: str) -> Q:
    return (
        prefix_condition("given_key", word)
        | prefix_condition("family_key", word)
        | prefix_condition("full_key", word)
    )


def checked_in(actor: Actor, action: Action, limit: int = 50) -> list[Attendance]:
    """Return the latest check-ins the actor may see, newest first (for undo)."""
    access.require(actor, "actions.check_in")
    return list(
        access.scoped(actor, Attendance.objects.filter(action=action))
        .select_related("person", "checked_in_by")
        .order_by("-checked_in_at", "-id")[:limit]
    )


def attendance(actor: Actor, action: Action, attendance_id: int) -> Attendance:
    access.require(actor, "actions.check_in")
    return access.get(
        actor,
        Attendance.objects.filter(action=action).select_related("person", "recruited_by"),
        pk=attendance_id,
    )


def checkable_person(actor: Actor, person_id: int) -> Person:
    """Return a person the actor may check in: one they can find in the people search."""
    access.require(actor, "actions.check_in")
    return access.get(actor, people_queries.findable_people(actor), pk=person_id)


def rsvps(actor: Actor, action: Action, limit: int = 200) -> list[Rsvp]:
    """Return the action's RSVPs the actor may see, newest first, with who recruited them."""
    access.require(actor, "actions.manage")
    return list(
        access.scoped(actor, Rsvp.objects.filter(action=action))
        .select_related("person", "recruited_by", "credited_affiliate")
        .order_by("-created_at", "-id")[:limit]
    )


def rsvp_people(actor: Actor) -> QuerySet[Person]:
    """Return the people staff may sign up for an action: the people they may see."""
    access.require(actor, "actions.manage")
    return people_queries.people(actor)


def rsvp_person(actor: Actor, person_id: int) -> Person:
    """Return a person staff may sign up for an action: one they can find in the people search."""
    access.require(actor, "actions.manage")
    return access.get(actor, people_queries.people(actor), pk=person_id)


# Ladder and one-on-ones ---------------------------------------------------------------------


def ladder_level(actor: Actor, level_id: int) -> LadderLevel:
    access.require(actor, "actions.view")
    return access.get(actor, LadderLevel, pk=level_id)


def one_on_ones(actor: Actor) -> QuerySet[OneOnOne]:
    """Return the one-on-ones the actor may read: their own, or everyone's for organizers."""
    access.require(actor, "actions.check_in")
    found = access.scoped(actor, OneOnOne.objects.all()).select_related(
        "person", "held_by", "held_by_person"
    )
    if not actor.can("actions.manage"):
        found = found.filter(held_by=actor.user)
    return found


def follow_ups_due(actor: Actor) -> QuerySet[OneOnOne]:
    """Return the actor's own follow-ups that are due (today or overdue), oldest first."""
    return (
        one_on_ones(actor)
        .filter(
            held_by=actor.user,
            follow_up_done_at__isnull=True,
            follow_up_on__lte=timezone.localdate(),
        )
        .order_by("follow_up_on")
    )


def one_on_one(actor: Actor, one_on_one_id: int) -> OneOnOne:
    return access.get(actor, one_on_ones(actor), pk=one_on_one_id)


def person_for_one_on_one(actor: Actor, person_id: int) -> Person:
    access.require(actor, "actions.check_in")
    return access.get(actor, people_queries.findable_people(actor), pk=person_id)


def own_person(actor: Actor) -> Person | None:
    """The actor's own record in the base, if exactly one person the actor can find has the
    account's email: the one-on-one form's default for who held the meeting."""
    email = actor.user.email if actor.user is not None else ""
    if not email:
        return None
    found = list(
        people_queries.findable_people(actor).filter(emails__address=email.lower()).distinct()[:2]
    )
    return found[0] if len(found) == 1 else None


def people_matching(actor: Actor, query: str, limit: int = 20) -> QuerySet[Person]:
    """Return people to choose from when logging a one-on-one."""
    if not query.strip():
        return Person.objects.none()
    return people_queries.findable_people(actor).filter(
        people_queries.matching(actor, query.strip())
    )[:limit]


# The person's story ------------------------------------------------------------------------


def events_for_person(
    actor: Actor, person: Person, seen, *, kinds: frozenset[str], limit: int
) -> list:
    """Return *person*'s RSVPs, check-ins, commitments, one-on-ones and ladder moves.

    At most *limit* of each kind, newest first, each read through `access.scoped`: an
    affiliate lead sees only turnout credited to their own affiliates, so a check-in another
    affiliate brought stays with that affiliate. For `people.timeline`.
    """
    if not actor.can("actions.view"):
        return []
    events = []
    for kind, reader in _PERSON_READERS.items():
        if kind in kinds:
            events += reader(actor, person, seen, limit)
    return events


def _rsvp_events(actor: Actor, person: Person, seen, limit: int) -> list:
    rsvps = (
        access.scoped(actor, Rsvp.objects.filter(person=person))
        .select_related("action", "recruited_by")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        Event(
            at=rsvp.created_at,
            kind="rsvp",
            title=f"RSVP'd to {rsvp.action.title} ({rsvp.action.starts_at:%b %-d, %Y})",
            detail=_credit_text(rsvp, rsvp.get_channel_display()),
            url=_action_url(actor, rsvp.action_id),
        )
        for rsvp in rsvps
    ]


def _attendance_events(actor: Actor, person: Person, seen, limit: int) -> list:
    attended = (
        access.scoped(actor, Attendance.objects.filter(person=person))
        .select_related("action", "recruited_by")
        .order_by("-checked_in_at", "-id")[:limit]
    )
    return [
        Event(
            at=attendance.checked_in_at,
            kind="attendance",
            title=f"Checked in at {attendance.action.title}",
            detail=_credit_text(attendance, "walk-in" if attendance.is_walk_in else ""),
            url=_action_url(actor, attendance.action_id),
        )
        for attendance in attended
    ]


def _commitment_events(actor: Actor, person: Person, seen, limit: int) -> list:
    """A leader's commitments: the number promised and, once the action began, who came."""
    brought = Count("action__attendances", filter=Q(action__attendances__recruited_by=person))
    made = (
        access.scoped(actor, Commitment.objects.filter(leader=person))
        .select_related("action")
        .annotate(brought=brought)
        .order_by("-updated_at", "-id")[:limit]
    )
    events = []
    for commitment in made:
        action = commitment.action
        if action.has_started:
            title = (
                f"Delivered {commitment.brought} of {commitment.number} committed to {action.title}"
            )
            at = action.starts_at
        else:
            title = f"Committed to bring {commitment.number} to {action.title}"
            at = commitment.updated_at
        events.append(
            Event(at=at, kind="commitment", title=title, url=_action_url(actor, action.pk))
        )
    return events


def _one_on_one_events(actor: Actor, person: Person, seen, limit: int) -> list:
    """One-on-ones the actor may read; what moves the person only for sensitive-field roles."""
    if not actor.can("actions.check_in"):
        return []
    meetings = one_on_ones(actor).filter(person=person).order_by("-held_on", "-id")[:limit]
    events = []
    for meeting in meetings:
        said = []
        if meeting.self_interest and seen.sensitive_notes:
            said.append(f"Cares about: {meeting.self_interest}")
        if meeting.commitment:
            said.append(f"Agreed to: {meeting.commitment}")
        events.append(
            Event(
                at=at_day(meeting.held_on),
                kind="one_on_one",
                title=f"One-on-one with {meeting.held_by or 'someone'}",
                detail=" · ".join(said),
            )
        )
    return events


def _ladder_events(actor: Actor, person: Person, seen, limit: int) -> list:
    """Each move on the ladder, with its date and the rule that moved them."""
    moves = (
        access.scoped(actor, LadderMove.objects.filter(person=person))
        .select_related("from_level", "to_level")
        .order_by("-moved_on", "-id")[:limit]
    )
    events = []
    for move in moves:
        if move.from_level is None:
            title = f"Placed on the ladder: {move.to_level.name}"
        elif move.to_level.rank > move.from_level.rank:
            title = f"Moved up the ladder: {move.from_level.name} → {move.to_level.name}"
        else:
            title = f"Moved down the ladder: {move.from_level.name} → {move.to_level.name}"
        # The day is the move's; the time of day, when recorded the same day, keeps a move
        # after the check-in that caused it.
        same_day = timezone.localdate(move.recorded_at) == move.moved_on
        events.append(
            Event(
                at=move.recorded_at if same_day else at_day(move.moved_on),
                kind="ladder",
                title=title,
                detail=f"moved by rule: {move.rule}" if move.rule else "",
            )
        )
    return events


def _credit_text(credit, how: str) -> str:
    parts = [how] if how else []
    if credit.recruited_by_id:
        parts.append(f"brought by {credit.recruited_by.display_name}")
    return " · ".join(parts)


def _action_url(actor: Actor, action_id: int) -> str:
    return reverse(
        "actions:action", kwargs={"org": actor.organization.slug, "action_id": action_id}
    )


_PERSON_READERS = {
    "rsvp": _rsvp_events,
    "attendance": _attendance_events,
    "commitment": _commitment_events,
    "one_on_one": _one_on_one_events,
    "ladder": _ladder_events,
}
