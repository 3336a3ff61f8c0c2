"""The structure-test report: who committed, who RSVP'd, who came, and who delivered.

For one action, by affiliate, by leader and by district; across a campaign's actions, the
turnout and delivery ratio over time. Every count goes through `access.scoped`, so an
affiliate lead's report holds only what is credited to their own affiliate.

Districts: people are placed in state house districts as `identity.base` places them (by
their link to the voter file, else by their address); those not placed yet count under
"District not known yet".
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from powerbase.actions.models import Action, Attendance, Campaign, Commitment, Rsvp
from powerbase.coalition.models import Affiliate
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.people.models import Person

UNKNOWN_DISTRICT = "District not known yet"
DISTRICT_KIND = "state_house"  # the report's districts: the chamber organizers most target
NO_AFFILIATE = "Not credited to an affiliate"
OVER = 1.2
SLIGHTLY_SHORT = 0.75


@dataclass(frozen=True)
class Tally:
    """One row of the report: what was committed, RSVP'd and attended, and what it means."""

    label: str
    committed: int | None
    rsvped: int
    attended: int
    held: bool

    @property
    def ratio(self) -> float | None:
        """Attended per person committed; None without a commitment."""
        return self.attended / self.committed if self.committed else None

    @property
    def status(self) -> str:
        """One word for the row's colour: over, met, short, far, unpledged or pending."""
        if not self.held:
            return "pending"
        if self.ratio is None:
            return "unpledged"
        if self.ratio >= OVER:
            return "over"
        if self.ratio >= 1:
            return "met"
        return "short" if self.ratio >= SLIGHTLY_SHORT else "far"

    @property
    def flag(self) -> str:
        """Say in a sentence whether they brought who they said they would."""
        committed, came = self.committed or 0, self.attended
        if not self.held:
            if committed:
                return f"Not held yet: {self.rsvped} RSVP'd of {committed} committed so far."
            return f"Not held yet: {self.rsvped} RSVP'd, no commitment."
        status = self.status
        if status == "unpledged":
            return f"Brought {came} without a commitment."
        if status == "over":
            percent = round(100 * (came - committed) / committed)
            return (
                f"Over-delivered: brought {came}, {percent}% more than the {committed} committed."
            )
        if status == "met":
            return f"Delivered: brought {came} of {committed} committed."
        if status == "short":
            return f"Fell a little short: brought {came} of {committed} committed."
        return f"Fell short: brought {came} of {committed} committed."


@dataclass
class StructureTest:
    action: Action
    held: bool
    total: Tally
    by_affiliate: list[Tally] = field(default_factory=list)
    by_leader: list[Tally] = field(default_factory=list)
    by_district: list[Tally] = field(default_factory=list)


def structure_test(actor: Actor, action: Action) -> StructureTest:
    """Return the report of one action, narrowed to what *actor* may see."""
    access.require(actor, "actions.view")
    held = action.has_started
    commitments = list(
        _commitments(actor).filter(action=action).values_list("affiliate_id", "leader_id", "number")
    )
    rsvps = _credits(actor, Rsvp).filter(action=action)
    attendances = _credits(actor, Attendance).filter(action=action)
    by_affiliate = _tallies(
        committed={a: n for a, leader, n in commitments if leader is None},
        rsvped=_count_by(rsvps, "credited_affiliate_id"),
        attended=_count_by(attendances, "credited_affiliate_id"),
        labels=_affiliate_names,
        held=held,
        none_label=NO_AFFILIATE,
    )
    by_leader = _tallies(
        committed={leader: n for _, leader, n in commitments if leader is not None},
        rsvped=_count_by(rsvps.filter(recruited_by__isnull=False), "recruited_by_id"),
        attended=_count_by(attendances.filter(recruited_by__isnull=False), "recruited_by_id"),
        labels=_person_names,
        held=held,
    )
    rsvped, attended = sum(t.rsvped for t in by_affiliate), sum(t.attended for t in by_affiliate)
    total = Tally("Everyone", _total_committed(commitments), rsvped, attended, held)
    return StructureTest(
        action=action,
        held=held,
        total=total,
        by_affiliate=by_affiliate,
        by_leader=by_leader,
        by_district=_by_district(actor, rsvps, attendances, total),
    )


def _by_district(actor: Actor, rsvps: QuerySet, attendances: QuerySet, total: Tally) -> list[Tally]:
    """Count RSVPs and attendance per state house district the people are placed in."""
    from powerbase.identity import base
    from powerbase.voterfile import queries as voterfile
    from powerbase.voterfile.models import District

    if not (total.rsvped or total.attended):
        return []
    version = voterfile.version_in_use(actor.organization)
    if version is None:  # nobody can be placed yet: one row, without reading who came
        return [Tally(UNKNOWN_DISTRICT, None, total.rsvped, total.attended, total.held)]
    rsvped = list(rsvps.values_list("person_id", flat=True))
    attended = list(attendances.values_list("person_id", flat=True))
    placed = base.placements(
        actor.organization,
        DISTRICT_KIND,
        version=version,
        base=base.people(actor.organization).filter(pk__in=set(rsvped) | set(attended)),
    )
    rsvp_counts = Counter(placed.get(person_id, "") for person_id in rsvped)
    came = Counter(placed.get(person_id, "") for person_id in attended)
    label = dict(District.Kind.choices)[DISTRICT_KIND]
    codes = sorted(set(rsvp_counts) | set(came), key=_district_order)
    return [
        Tally(
            f"{label} {code}" if code else UNKNOWN_DISTRICT,
            None,
            rsvp_counts[code],
            came[code],
            total.held,
        )
        for code in codes
    ]


def _district_order(code: str) -> tuple:
    """Numbered districts in number order; the unknown row last."""
    if not code:
        return (2, 0, "")
    return (0, int(code), "") if code.isdigit() else (1, 0, code)


def _total_committed(commitments: list[tuple]) -> int | None:
    """Add the affiliates' commitments and those of leaders outside any affiliate.

    A leader who organizes within an affiliate brings people toward that affiliate's number,
    so adding their commitment too would count those people twice.
    """
    numbers = [n for affiliate, leader, n in commitments if leader is None or affiliate is None]
    return sum(numbers) if numbers else None


def _tallies(
    *, committed: dict, rsvped: dict, attended: dict, labels, held: bool, none_label: str = ""
) -> list[Tally]:
    keys = set(committed) | set(rsvped) | set(attended)
    names = labels({key for key in keys if key is not None})
    rows = [
        Tally(
            names.get(key, none_label) if key is not None else none_label,
            committed.get(key),
            rsvped.get(key, 0),
            attended.get(key, 0),
            held,
        )
        for key in keys
    ]
    # Unnamed turnout ("not credited") sorts last; the rest by name.
    return sorted(rows, key=lambda row: (row.label == none_label, row.label.lower()))


def _count_by(queryset: QuerySet, column: str) -> dict:
    return dict(queryset.order_by().values_list(column).annotate(n=Count("id")))


def _affiliate_names(ids: set) -> dict:
    return dict(Affiliate.objects.filter(pk__in=ids).values_list("pk", "name"))


def _person_names(ids: set) -> dict:
    return {person.pk: person.display_name for person in Person.objects.filter(pk__in=ids)}


def _commitments(actor: Actor) -> QuerySet[Commitment]:
    return access.scoped(actor, Commitment.objects.all())


def _credits(actor: Actor, model) -> QuerySet:
    return access.scoped(actor, model.objects.all())


# Across a campaign ---------------------------------------------------------------------------


@dataclass
class TrendPoint:
    """One action of a campaign: everyone's turnout, and each affiliate's."""

    action: Action
    total: Tally
    by_affiliate: dict[str, Tally]


@dataclass
class Trend:
    campaign: Campaign
    points: list[TrendPoint]

    @property
    def affiliates(self) -> list[str]:
        names = {name for point in self.points for name in point.by_affiliate}
        return sorted(names - {NO_AFFILIATE}) + ([NO_AFFILIATE] if NO_AFFILIATE in names else [])

    @property
    def held(self) -> list[TrendPoint]:
        return [point for point in self.points if point.total.held]

    @property
    def summary(self) -> str:
        """Answer "are we ratcheting up?" in a sentence."""
        held = self.held
        if len(held) < 2:
            return "Too few actions have been held to see a trend yet."
        first, last = held[0].total, held[-1].total
        rises = sum(
            1
            for before, after in zip(held, held[1:], strict=False)
            if after.total.attended > before.total.attended
        )
        direction = (
            "grew"
            if last.attended > first.attended
            else ("fell" if last.attended < first.attended else "held steady")
        )
        change = f" ({last.attended / first.attended:.1f}×)" if first.attended else ""
        return (
            f"Turnout {direction} from {first.attended} at “{held[0].action.title}” to "
            f"{last.attended} at “{held[-1].action.title}”{change}, rising in {rises} of "
            f"{len(held) - 1} steps."
        )


def campaign_trend(actor: Actor, campaign: Campaign) -> Trend:
    """Return turnout and delivery per action of *campaign*, in order. Five queries."""
    access.require(actor, "actions.view")
    actions = list(campaign.actions.order_by("starts_at"))
    ids = [action.pk for action in actions]
    commitments = list(
        _commitments(actor)
        .filter(action_id__in=ids)
        .values_list("action_id", "affiliate_id", "leader_id", "number")
    )
    rsvps = _grouped(_credits(actor, Rsvp).filter(action_id__in=ids))
    attended = _grouped(_credits(actor, Attendance).filter(action_id__in=ids))
    names = _affiliate_names(
        {a for _, a, _, _ in commitments if a}
        | {a for _, a in rsvps if a}
        | {a for _, a in attended if a}
    )
    committed: dict[tuple, int] = {}
    for action_id, affiliate_id, leader_id, number in commitments:
        if leader_id is None:
            committed[(action_id, affiliate_id)] = number
    points = []
    for action in actions:
        held = action.has_started
        keys = (
            {a for (act, a) in committed if act == action.pk}
            | {a for (act, a) in rsvps if act == action.pk}
            | {a for (act, a) in attended if act == action.pk}
        )
        by_affiliate = {
            names.get(a, NO_AFFILIATE) if a else NO_AFFILIATE: Tally(
                names.get(a, NO_AFFILIATE) if a else NO_AFFILIATE,
                committed.get((action.pk, a)),
                rsvps.get((action.pk, a), 0),
                attended.get((action.pk, a), 0),
                held,
            )
            for a in keys
        }
        total = Tally(
            "Everyone",
            _total_committed(
                [(a, leader, n) for act, a, leader, n in commitments if act == action.pk]
            ),
            sum(t.rsvped for t in by_affiliate.values()),
            sum(t.attended for t in by_affiliate.values()),
            held,
        )
        points.append(TrendPoint(action=action, total=total, by_affiliate=by_affiliate))
    return Trend(campaign=campaign, points=points)


def _grouped(queryset: QuerySet) -> dict[tuple, int]:
    return {
        (action_id, affiliate_id): n
        for action_id, affiliate_id, n in queryset.order_by()
        .values_list("action_id", "credited_affiliate_id")
        .annotate(n=Count("id"))
    }


# Leaders who delivered ----------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderRecord:
    leader: Person
    actions: int
    committed: int
    attended: int

    @property
    def ratio(self) -> float:
        return self.attended / self.committed if self.committed else 0.0

    @property
    def delivered(self) -> bool:
        return bool(self.committed) and self.attended >= self.committed

    @property
    def tally(self) -> Tally:
        """The record as a row of the structure-test report: the same status and flag."""
        return Tally(self.leader.display_name, self.committed, 0, self.attended, True)


def leader_delivery(actor: Actor, *, limit: int = 25) -> list[LeaderRecord]:
    """Return every leader who committed to a held structure test, with what they brought.

    Counted per action, as the report's "by leader" rows count it: the attendees credited to
    the leader as their recruiter at each action they committed to, against their commitment
    there. An affiliate's delivery counts everyone credited to the affiliate, so an affiliate
    can deliver while its leaders' own recruits fall short. Best delivery first.
    """
    access.require(actor, "actions.view")
    commitments = list(
        _commitments(actor)
        .filter(
            leader__isnull=False,
            action__is_structure_test=True,
            action__starts_at__lte=timezone.now(),
        )
        .values_list("leader_id", "action_id", "number")
    )
    brought = dict(
        ((leader, action), n)
        for leader, action, n in _credits(actor, Attendance)
        .filter(
            recruited_by_id__in={c[0] for c in commitments},
            action_id__in={c[1] for c in commitments},
        )
        .order_by()
        .values_list("recruited_by_id", "action_id")
        .annotate(n=Count("id"))
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for leader, action, number in commitments:
        totals[leader][0] += 1
        totals[leader][1] += number
        totals[leader][2] += brought.get((leader, action), 0)
    people = Person.objects.in_bulk(list(totals))
    records = [
        LeaderRecord(people[leader], *numbers) for leader, numbers in totals.items() if numbers[1]
    ]
    return sorted(records, key=lambda r: (-r.ratio, -r.attended, r.leader.display_name))[:limit]


def leaders_who_delivered(actor: Actor, *, limit: int = 25) -> list[LeaderRecord]:
    """Return the leaders of `leader_delivery` who brought at least what they committed."""
    return [record for record in leader_delivery(actor, limit=limit) if record.delivered]


# Export ------------------------------------------------------------------------------------

CSV_HEADER = ["Section", "Name", "Committed", "RSVP'd", "Attended", "Delivery ratio", "Flag"]


def export_csv(actor: Actor, action: Action) -> str:
    """Return the report as CSV, and write the export to the audit log."""
    report = structure_test(actor, action)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    sections = [
        ("Total", [report.total]),
        ("Affiliate", report.by_affiliate),
        ("Leader", report.by_leader),
        ("District", report.by_district),
    ]
    for section, rows in sections:
        for row in rows:
            writer.writerow(
                [
                    section,
                    _cell(row.label),
                    "" if row.committed is None else row.committed,
                    row.rsvped,
                    row.attended,
                    "" if row.ratio is None else f"{row.ratio:.2f}",
                    row.flag,
                ]
            )
    audit.record(
        actor,
        "structure_test.exported",
        action,
        changes={
            "rows": sum(len(rows) for _, rows in sections),
            "affiliates": "own only" if actor.is_affiliate_scoped else "all",
        },
    )
    return out.getvalue()


def _cell(text: str) -> str:
    """Keep a spreadsheet from running a name as a formula ("=HYPERLINK(...)" as a name)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
