"""The cohort report: who came from which affiliate, the cohort's race and gender composition
(self-identified, small cells hidden), completion, and what graduates did in the six months
after graduating (actions they came to, actions they led with a turnout commitment, people
they brought, one-on-ones they held, and their moves in the candidate pipeline, with dates).

Composition counts only participants whose demographics the reader may see under the one
visibility rule (`access.person_visibility`: a role allowed sensitive fields, and the
person's affiliates' consent); the rest are counted as "not shared". A count under
`SMALLEST_CELL` is shown as "fewer than 5", so a small cohort does not name anyone's race.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Prefetch

from powerbase.actions.models import Attendance, Commitment, OneOnOne
from powerbase.coalition.models import AffiliateMembership
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.electoral.models import PipelineEntry, PipelineStep
from powerbase.people.models import Person
from powerbase.school.models import Cohort, Participant, Session
from powerbase.school.services import progress_of

SMALLEST_CELL = 5
AFTER_GRADUATION = timedelta(days=183)


@dataclass(frozen=True)
class Cell:
    """A count as the report shows it: hidden when small."""

    count: int

    def __str__(self) -> str:
        if 0 < self.count < SMALLEST_CELL:
            return f"fewer than {SMALLEST_CELL}"
        return str(self.count)

    @property
    def hidden(self) -> bool:
        return 0 < self.count < SMALLEST_CELL


@dataclass(frozen=True)
class AffiliateRow:
    name: str
    nominated: int
    graduated: int
    withdrawn: int


@dataclass(frozen=True)
class GraduateRow:
    name: str
    participant_id: int
    graduated_on: date
    actions_attended: int
    actions_led: int
    people_brought: int
    one_on_ones: int
    pipeline_moves: list[tuple[str, date]]
    pipeline_stage: str


@dataclass(frozen=True)
class Report:
    participants: int
    graduated: int
    withdrawn: int
    meeting_rule: int
    by_affiliate: list[AffiliateRow]
    race: list[tuple[str, Cell]]
    gender: list[tuple[str, Cell]]
    demographics_shared: int
    demographics_not_shared: int
    graduates: list[GraduateRow]

    @property
    def completion_percent(self) -> int:
        return round(100 * self.graduated / self.participants) if self.participants else 0


def cohort_report(actor: Actor, cohort: Cohort) -> Report:
    """Build the report of *cohort* from the participants *actor* may see."""
    participants = list(
        access.scoped(actor, Participant.objects.filter(cohort=cohort)).select_related(
            "nominating_affiliate", "cohort__program"
        )
    )
    people = {
        person.pk: person
        for person in access.scoped(
            actor, Person.objects.filter(pk__in=[p.person_id for p in participants])
        ).prefetch_related(
            Prefetch(
                "affiliate_memberships",
                queryset=AffiliateMembership.objects.select_related("affiliate"),
            )
        )
    }
    progress = progress_of(actor, participants)
    race, gender, shared = Counter[str](), Counter[str](), 0
    for participant in participants:
        person = people.get(participant.person_id)
        if person is None or not access.person_visibility(actor, person).demographics:
            continue
        shared += 1
        labels = dict(Person.RaceEthnicity.choices)
        for category in person.race_ethnicity or ["(not answered)"]:
            race[str(labels.get(category, category))] += 1
        gender[(person.gender_identity or "(not answered)").strip().lower()] += 1
    status = Counter(p.status for p in participants)
    return Report(
        participants=len(participants),
        graduated=status[Participant.Status.GRADUATED],
        withdrawn=status[Participant.Status.WITHDRAWN],
        meeting_rule=sum(progress[p.pk].meets_rule for p in participants),
        by_affiliate=_by_affiliate(participants),
        race=[(name, Cell(count)) for name, count in sorted(race.items())],
        gender=[(name, Cell(count)) for name, count in sorted(gender.items())],
        demographics_shared=shared,
        demographics_not_shared=len(participants) - shared,
        graduates=_graduates(actor, cohort, participants, people),
    )


def _by_affiliate(participants: list[Participant]) -> list[AffiliateRow]:
    rows: dict[str, Counter[str]] = {}
    for participant in participants:
        counts = rows.setdefault(participant.nominating_affiliate.name, Counter())
        counts["nominated"] += 1
        counts[participant.status] += 1
    return [
        AffiliateRow(
            name=name,
            nominated=counts["nominated"],
            graduated=counts[Participant.Status.GRADUATED],
            withdrawn=counts[Participant.Status.WITHDRAWN],
        )
        for name, counts in sorted(rows.items())
    ]


def _graduates(
    actor: Actor, cohort: Cohort, participants: list[Participant], people: dict[int, Person]
) -> list[GraduateRow]:
    """What each graduate did in the six months after graduating: actions they came to
    (other than the school's own sessions), actions they led (a leader's turnout commitment),
    the people they brought to actions, one-on-ones they held (`OneOnOne.held_by_person`),
    their moves in the candidate pipeline in those months, and their stage there now."""
    graduates = [p for p in participants if p.graduated_on and p.person_id in people]
    if not graduates:
        return []
    school_actions = access.scoped(actor, Session.objects.all()).values("action_id")
    attendances = access.scoped(
        actor,
        Attendance.objects.exclude(action_id__in=school_actions).filter(
            person_id__in=[p.person_id for p in graduates]
        ),
    ).values_list("person_id", "action__starts_at")
    brought = access.scoped(
        actor,
        Attendance.objects.filter(recruited_by_id__in=[p.person_id for p in graduates]),
    ).values_list("recruited_by_id", "action__starts_at")
    led = access.scoped(
        actor, Commitment.objects.filter(leader_id__in=[p.person_id for p in graduates])
    ).values_list("leader_id", "action__starts_at")
    held = access.scoped(
        actor, OneOnOne.objects.filter(held_by_person_id__in=[p.person_id for p in graduates])
    ).values_list("held_by_person_id", "held_on")
    attended_list, brought_list, led_list = list(attendances), list(brought), list(led)
    held_list = list(held)
    moves = _pipeline_moves(actor, [p.person_id for p in graduates])
    stages = (
        {
            entry.person_id: entry.get_stage_display()
            for entry in access.scoped(
                actor, PipelineEntry.objects.filter(person_id__in=[p.person_id for p in graduates])
            )
        }
        if actor.can("electoral.view")
        else {}
    )
    rows = []
    for participant in graduates:
        start = participant.graduated_on
        assert start is not None
        rows.append(
            GraduateRow(
                name=people[participant.person_id].display_name,
                participant_id=participant.pk,
                graduated_on=start,
                actions_attended=_within(attended_list, participant.person_id, start),
                actions_led=_within(led_list, participant.person_id, start),
                people_brought=_within(brought_list, participant.person_id, start),
                one_on_ones=_within(held_list, participant.person_id, start),
                pipeline_moves=[
                    (stage, on)
                    for who, stage, on in moves
                    if who == participant.person_id and _in_window(on, start)
                ],
                pipeline_stage=stages.get(participant.person_id, ""),
            )
        )
    return rows


def _pipeline_moves(actor: Actor, person_ids: list[int]) -> list[tuple[int, str, date]]:
    """Every move of these people in the candidate pipeline (person, stage, date), oldest
    first; none for a role that may not see the pipeline."""
    if not actor.can("electoral.view"):
        return []
    labels = dict(PipelineEntry.Stage.choices)
    steps = access.scoped(
        actor, PipelineStep.objects.filter(entry__person_id__in=person_ids)
    ).values_list("entry__person_id", "stage", "on")
    return [(who, str(labels.get(stage, stage)), on) for who, stage, on in steps]


def _within(pairs: list, person_id: int, start: date) -> int:
    """Count the (person, day or time) pairs of *person_id* in the six months from *start*."""
    return sum(1 for who, at in pairs if who == person_id and _in_window(at, start))


def _in_window(at: date, start: date) -> bool:
    day = at.date() if isinstance(at, datetime) else at
    return start <= day <= start + AFTER_GRADUATION
