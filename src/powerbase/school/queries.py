"""Read queries of the Democracy School, always through `access`.

Programs, their curricula, cohorts and sessions are shared with affiliate leads (so a lead can
nominate); participants, their work and their assessments reach a lead only when one of the
lead's affiliates nominated them (`access.AFFILIATE_PATHS`).
"""

from dataclasses import dataclass
from pathlib import Path

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from powerbase.actions.models import Attendance
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import NotFound
from powerbase.people import queries as people_queries
from powerbase.people.models import Person
from powerbase.people.timeline import Event, at_day
from powerbase.school import storage
from powerbase.school.models import (
    Assignment,
    Cohort,
    Material,
    Module,
    Participant,
    Program,
    Session,
    SkillAssessment,
    Submission,
)
from powerbase.school.services import Progress, progress_of

VIEW = "education.view"


def programs(actor: Actor) -> QuerySet[Program]:
    access.require(actor, VIEW)
    return access.scoped(actor, Program.objects.all()).prefetch_related(
        Prefetch("cohorts", queryset=access.scoped(actor, Cohort.objects.all()))
    )


def program(actor: Actor, program_id: int) -> Program:
    access.require(actor, VIEW)
    return access.get(actor, Program, pk=program_id)


def curriculum(actor: Actor, program: Program) -> list[Module]:
    return list(
        access.scoped(actor, Module.objects.filter(program=program)).prefetch_related("materials")
    )


def modules(actor: Actor, program: Program) -> QuerySet[Module]:
    return access.scoped(actor, Module.objects.filter(program=program))


def module(actor: Actor, module_id: int) -> Module:
    access.require(actor, VIEW)
    return access.get(actor, Module.objects.select_related("program"), pk=module_id)


def material_file(actor: Actor, material_id: int) -> tuple[Material, Path]:
    """An uploaded material and where its file is, for the download view; NotFound for a
    link, a material of another organization, or a file gone from the disk."""
    access.require(actor, VIEW)
    material = access.get(actor, Material.objects.exclude(stored_name=""), pk=material_id)
    path = storage.material_folder(actor.organization) / material.stored_name
    if not path.is_file():
        raise NotFound(f"The file of “{material}”")
    return material, path


def cohorts(actor: Actor, program: Program) -> QuerySet[Cohort]:
    return access.scoped(actor, Cohort.objects.filter(program=program))


def cohort(actor: Actor, cohort_id: int) -> Cohort:
    access.require(actor, VIEW)
    return access.get(
        actor,
        Cohort.objects.select_related("program").prefetch_related("facilitators"),
        pk=cohort_id,
    )


def sessions(actor: Actor, cohort: Cohort) -> list[Session]:
    return list(
        access.scoped(actor, Session.objects.filter(cohort=cohort)).select_related(
            "action", "module"
        )
    )


def session(actor: Actor, session_id: int) -> Session:
    access.require(actor, VIEW)
    return access.get(
        actor, Session.objects.select_related("action", "module", "cohort__program"), pk=session_id
    )


@dataclass(frozen=True)
class Row:
    """A participant with their progress toward the graduation rule."""

    participant: Participant
    progress: Progress


def participants(actor: Actor, cohort: Cohort) -> list[Row]:
    """The cohort's participants the actor may see (a lead: their affiliates' nominees)."""
    found = list(
        access.scoped(actor, Participant.objects.filter(cohort=cohort)).select_related(
            "person", "nominating_affiliate", "cohort__program"
        )
    )
    progress = progress_of(actor, found)
    return [Row(participant, progress[participant.pk]) for participant in found]


def participant(actor: Actor, participant_id: int) -> Participant:
    access.require(actor, VIEW)
    return access.get(
        actor,
        Participant.objects.select_related("person", "nominating_affiliate", "cohort__program"),
        pk=participant_id,
    )


def checked_in_people(actor: Actor, session: Session) -> set[int]:
    """The people checked in at *session* (person ids), read as the actions app reads them."""
    return set(
        access.scoped(actor, Attendance.objects.filter(action=session.action)).values_list(
            "person_id", flat=True
        )
    )


def assignments(actor: Actor, cohort: Cohort) -> QuerySet[Assignment]:
    return access.scoped(actor, Assignment.objects.filter(cohort=cohort))


def assignment(actor: Actor, cohort: Cohort, assignment_id: int) -> Assignment:
    return access.get(actor, Assignment.objects.filter(cohort=cohort), pk=assignment_id)


def submissions(actor: Actor, participant: Participant) -> QuerySet[Submission]:
    return access.scoped(actor, Submission.objects.filter(participant=participant)).select_related(
        "assignment"
    )


def latest_skills(actor: Actor, participant: Participant) -> list[SkillAssessment]:
    """The newest assessment of each skill, in the order the skills are listed."""
    newest: dict[str, SkillAssessment] = {}
    for assessment in access.scoped(actor, SkillAssessment.objects.filter(participant=participant)):
        newest.setdefault(assessment.skill, assessment)
    return [newest[skill] for skill in SkillAssessment.Skill.values if skill in newest]


def nominating_affiliates(actor: Actor) -> QuerySet[Affiliate]:
    """The affiliates the actor may nominate for: all, or an affiliate lead's own."""
    return access.scoped(actor, Affiliate.objects.all()).order_by("name")


def nominee(actor: Actor, person_id: int) -> Person:
    """A person the actor may see in the base, to nominate."""
    return access.get(actor, people_queries.people(actor), pk=person_id)


def facilitator_choices(actor: Actor, person_ids: list[int]) -> list[Person]:
    return list(people_queries.people(actor).filter(pk__in=person_ids))


def graduates(actor: Actor) -> QuerySet[Participant]:
    """Everyone who graduated from a program, newest first, as far as the actor may see."""
    access.require(actor, VIEW)
    return (
        access.scoped(actor, Participant.objects.filter(status=Participant.Status.GRADUATED))
        .select_related("person", "cohort__program", "nominating_affiliate")
        .order_by("-graduated_on", "-id")
    )


# The person's story ------------------------------------------------------------------------


def events_for_person(
    actor: Actor, person: Person, seen, *, kinds: frozenset[str], limit: int
) -> list[Event]:
    """Return *person*'s nominations and graduations, read through `access.scoped`: an
    affiliate lead sees only those their own affiliates nominated."""
    if "school" not in kinds or not actor.can(VIEW):
        return []
    found = (
        access.scoped(actor, Participant.objects.filter(person=person))
        .select_related("cohort__program", "nominating_affiliate")
        .order_by("-nominated_at", "-id")[:limit]
    )
    events = []
    for participant in found:
        url = reverse(
            "school:participant",
            kwargs={"org": actor.organization.slug, "participant_id": participant.pk},
        )
        cohort = participant.cohort
        if participant.graduated_on:
            events.append(
                Event(
                    at=at_day(participant.graduated_on),
                    kind="school",
                    title=f"Graduated from {cohort.program.name} ({cohort.name})",
                    url=url,
                )
            )
        events.append(
            Event(
                at=participant.nominated_at,
                kind="school",
                title=f"Nominated to {cohort.program.name} ({cohort.name})",
                detail=f"by {participant.nominating_affiliate.name}",
                url=url,
            )
        )
    return events
