"""Write operations of the Democracy School. Each checks access, runs in one transaction and is
audited.

Sections: programs and their curricula; cohorts and nominations; sessions and check-in (the
actions app's, reused: a session is an action of kind "training"); assignments and skills;
graduation, which tags the graduate and lets the ladder's rule move them up.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from powerbase.actions import ladder
from powerbase.actions import services as actions_services
from powerbase.actions.models import Action, Attendance, LadderLevel
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.people import services as people_services
from powerbase.people.models import Person
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

MANAGE, NOMINATE = "education.manage", "education.nominate"

# Programs and curricula -------------------------------------------------------------------


def create_program(
    *,
    actor: Actor,
    name: str,
    kind: str = Program.Kind.DEMOCRACY_SCHOOL,
    description: str = "",
    min_attendance_percent: int = 80,
    min_leadership_tasks: int = 1,
    graduate_tag: str = "",
    ladder_level: LadderLevel | None = None,
) -> Program:
    """Start a program. With *ladder_level*, that rung's rule also counts the program's
    graduate tag, so graduating moves a person up to it (shown on the ladder page)."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, ladder_level)
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("A program needs a name.")
    if not 0 <= min_attendance_percent <= 100:
        raise InvalidInput(
            f"The attendance a graduate needs is a percentage from 0 to 100, not "
            f"{min_attendance_percent}."
        )
    if access.scoped(actor, Program.objects.filter(name=name)).exists():
        raise Conflict(f"There is already a program called “{name}”.")
    with transaction.atomic():
        program = Program.objects.create(
            organization=actor.organization,
            name=name,
            kind=kind,
            description=description,
            min_attendance_percent=min_attendance_percent,
            min_leadership_tasks=min_leadership_tasks,
            graduate_tag=" ".join(graduate_tag.split()) or f"{name} graduate",
        )
        audit.record(actor, "school_program.created", program, changes={"name": [None, name]})
        if ladder_level is not None and program.graduate_tag not in ladder_level.tags:
            ladder.save_level(
                actor=actor,
                level=ladder_level,
                values={"tags": [*ladder_level.tags, program.graduate_tag]},
            )
    return program


def add_module(*, actor: Actor, program: Program, title: str, learning_goals: str = "") -> Module:
    """Add a module at the end of *program*'s curriculum."""
    access.require(actor, MANAGE, program)
    access.require_same_organization(actor, program)
    title = title.strip()
    if not title:
        raise InvalidInput("A module needs a title.")
    with transaction.atomic():
        access.scoped(actor, Program.objects.select_for_update()).get(
            pk=program.pk
        )  # one at a time
        last = program.modules.order_by("-position").values_list("position", flat=True).first()
        module = Module.objects.create(
            organization=actor.organization,
            program=program,
            position=(last or 0) + 1,
            title=title,
            learning_goals=learning_goals.strip(),
        )
        audit.record(actor, "school_module.added", module, changes={"title": [None, title]})
    return module


def add_material(*, actor: Actor, module: Module, title: str, url: str) -> Material:
    """Attach a reading, video or handout (a link) to *module*."""
    access.require(actor, MANAGE, module)
    access.require_same_organization(actor, module)
    title, url = title.strip(), url.strip()
    if not title or not url:
        raise InvalidInput("A material needs a title and a link.")
    if not url.startswith(("https://", "http://")):
        raise InvalidInput(f"The link “{url}” should start with https://.")
    with transaction.atomic():
        material = Material.objects.create(
            organization=actor.organization, module=module, title=title, url=url
        )
        audit.record(actor, "school_material.added", material, changes={"url": [None, url]})
    return material


MAX_MATERIAL_BYTES = 20 * 1024 * 1024
# Documents, slides, sheets and pictures a curriculum hands out. No HTML or SVG: a file is sent
# as a download anyway, but nothing a browser could run is kept.
MATERIAL_TYPES = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".odt": "OpenDocument text",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".odp": "OpenDocument slides",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ods": "OpenDocument sheet",
    ".csv": "CSV",
    ".txt": "text",
    ".md": "text",
    ".rtf": "rich text",
    ".png": "PNG picture",
    ".jpg": "JPEG picture",
    ".jpeg": "JPEG picture",
    ".mp3": "MP3 audio",
}


def add_material_file(
    *, actor: Actor, module: Module, title: str, file_name: str, content: bytes
) -> Material:
    """Attach an uploaded handout to *module*: kept under DATA_DIR/uploads/school/<org>/ and
    downloaded only through the school's permission-checked view."""
    access.require(actor, MANAGE, module)
    access.require_same_organization(actor, module)
    title, file_name = title.strip(), Path(file_name.strip()).name
    suffix = Path(file_name).suffix.lower()
    if not title:
        raise InvalidInput("A material needs a title.", field="title")
    if suffix not in MATERIAL_TYPES:
        kinds = ", ".join(sorted(MATERIAL_TYPES))
        raise InvalidInput(
            f"{file_name or 'The file'} is not a kind of file the school keeps (allowed: {kinds}).",
            field="file",
        )
    if not content:
        raise InvalidInput(f"{file_name} is empty.", field="file")
    if len(content) > MAX_MATERIAL_BYTES:
        raise InvalidInput(
            f"{file_name} is {len(content) / 1_048_576:.1f} MB; the limit is "
            f"{MAX_MATERIAL_BYTES // 1_048_576} MB. Link a large file instead.",
            field="file",
        )
    stored_name = f"{uuid.uuid4().hex}{suffix}"
    path = storage.material_folder(actor.organization) / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        with transaction.atomic():
            material = Material.objects.create(
                organization=actor.organization,
                module=module,
                title=title,
                file_name=file_name[:255],
                stored_name=stored_name,
                size=len(content),
            )
            audit.record(
                actor, "school_material.added", material, changes={"file": [None, file_name]}
            )
    except BaseException:
        path.unlink(missing_ok=True)  # no row names it: nothing partial stays behind
        raise
    return material


# Cohorts and nominations ------------------------------------------------------------------


def create_cohort(
    *,
    actor: Actor,
    program: Program,
    name: str,
    starts_on: date,
    ends_on: date,
    place: str = "",
    is_online: bool = False,
    online_link: str = "",
    facilitators: list[Person] | None = None,
) -> Cohort:
    """Open a cohort of *program*: its dates, where it meets, and its facilitators."""
    access.require(actor, MANAGE, program)
    access.require_same_organization(actor, program, *(facilitators or []))
    name = name.strip()
    if not name:
        raise InvalidInput("A cohort needs a name, e.g. 'Spring 2027, Hartford'.")
    if ends_on < starts_on:
        raise InvalidInput(f"The cohort ends ({ends_on}) before it starts ({starts_on}).")
    with transaction.atomic():
        cohort = Cohort.objects.create(
            organization=actor.organization,
            program=program,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place.strip(),
            is_online=is_online,
            online_link=online_link.strip(),
        )
        cohort.facilitators.set(facilitators or [])
        audit.record(
            actor,
            "school_cohort.created",
            cohort,
            changes={"name": [None, name], "facilitators": [None, len(facilitators or [])]},
        )
    return cohort


def add_facilitator(*, actor: Actor, cohort: Cohort, person: Person) -> Cohort:
    """Add *person* to the facilitators of *cohort* (again: nothing changes)."""
    access.require(actor, MANAGE, cohort)
    access.require_same_organization(actor, cohort, person)
    with transaction.atomic():
        if not cohort.facilitators.filter(pk=person.pk).exists():
            cohort.facilitators.add(person)
            audit.record(
                actor,
                "school_cohort.facilitator_added",
                cohort,
                changes={"person": [None, person.pk]},
            )
    return cohort


def nominate(*, actor: Actor, cohort: Cohort, person: Person, affiliate: Affiliate) -> Participant:
    """Put *person* forward for *cohort* on behalf of *affiliate*, of which they are a member.

    An affiliate lead nominates only for their own affiliates; staff for any.
    """
    access.require(actor, NOMINATE, cohort)
    access.require_same_organization(actor, cohort, person, affiliate)
    access.require_affiliate(actor, affiliate, "Nominate on behalf of one of your affiliates.")
    if cohort.ends_on < timezone.localdate():
        raise InvalidInput(f"The cohort {cohort.name} ended on {cohort.ends_on}.")
    memberships = access.scoped(actor, AffiliateMembership.objects.current())
    member = memberships.filter(person=person, affiliate=affiliate)
    if not member.exists():
        raise InvalidInput(f"{person.display_name} is not a current member of {affiliate.name}.")
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                organization=actor.organization,
                cohort=cohort,
                person=person,
                nominating_affiliate=affiliate,
                nominated_by=actor.user,
            )
            audit.record(
                actor,
                "school_participant.nominated",
                participant,
                changes={"affiliate": [None, affiliate.name]},
            )
    except IntegrityError:
        raise Conflict(f"{person.display_name} is already in the cohort {cohort.name}.") from None
    return participant


def withdraw(*, actor: Actor, participant: Participant) -> Participant:
    """Record that a participant left the cohort; their attendance and work stay."""
    access.require(actor, MANAGE, participant)
    return _set_status(actor, participant, Participant.Status.WITHDRAWN, None)


def _set_status(
    actor: Actor, participant: Participant, status: str, graduated_on: date | None
) -> Participant:
    with transaction.atomic():
        current = access.scoped(actor, Participant.objects.select_for_update()).get(
            pk=participant.pk
        )
        before = current.status
        current.status, current.graduated_on = status, graduated_on
        current.save(update_fields=["status", "graduated_on"])
        audit.record(
            actor, "school_participant.status", current, changes={"status": [before, status]}
        )
    return current


# Sessions and check-in --------------------------------------------------------------------


def add_session(
    *,
    actor: Actor,
    cohort: Cohort,
    starts_at: datetime,
    ends_at: datetime | None = None,
    module: Module | None = None,
    title: str = "",
) -> Session:
    """Schedule a session of *cohort*: a training action at the cohort's place, so the
    actions app's check-in takes its attendance."""
    access.require(actor, MANAGE, cohort)
    access.require_same_organization(actor, cohort, module)
    if module is not None and module.program_id != cohort.program_id:
        raise InvalidInput(f"The module {module} is not in the program {cohort.program}.")
    title = title.strip() or (
        f"{cohort.program.name}: {module.title}" if module else f"{cohort.name} session"
    )
    with transaction.atomic():
        action = actions_services.create_action(
            actor=actor,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=Action.Kind.TRAINING,
            place=cohort.place,
            online_link=cohort.online_link,
            description=f"A session of {cohort}.",
        )
        session = Session.objects.create(
            organization=actor.organization, cohort=cohort, module=module, action=action
        )
        audit.record(actor, "school_session.added", session, changes={"title": [None, title]})
    return session


def check_in(
    *, actor: Actor, session: Session, participant: Participant
) -> tuple[Attendance, bool]:
    """Mark *participant* present at *session* through the actions app's check-in, crediting
    the affiliate that nominated them. Returns the attendance and whether it is new."""
    if participant.cohort_id != session.cohort_id:
        raise InvalidInput(f"{participant.person.display_name} is not in this session's cohort.")
    credit = actions_services.Credit(affiliate=participant.nominating_affiliate)
    return actions_services.check_in(
        actor=actor, action=session.action, person=participant.person, credit=credit
    )


# Assignments and skills -------------------------------------------------------------------


def add_assignment(
    *,
    actor: Actor,
    cohort: Cohort,
    kind: str,
    title: str,
    instructions: str = "",
    due_on: date | None = None,
    module: Module | None = None,
) -> Assignment:
    """Set work for a cohort: a reflection, or a leadership task the graduation rule counts."""
    access.require(actor, MANAGE, cohort)
    access.require_same_organization(actor, cohort, module)
    title = title.strip()
    if not title:
        raise InvalidInput("An assignment needs a title.")
    if kind not in Assignment.Kind.values:
        raise InvalidInput(
            f"An assignment is one of {', '.join(Assignment.Kind.values)}, not “{kind}”."
        )
    with transaction.atomic():
        assignment = Assignment.objects.create(
            organization=actor.organization,
            cohort=cohort,
            module=module,
            kind=kind,
            title=title,
            instructions=instructions.strip(),
            due_on=due_on,
        )
        audit.record(actor, "school_assignment.added", assignment, changes={"title": [None, title]})
    return assignment


def record_submission(
    *,
    actor: Actor,
    assignment: Assignment,
    participant: Participant,
    completed_on: date | None = None,
    reflection: str = "",
) -> Submission:
    """Record that *participant* completed *assignment* (again: the newer record stands)."""
    access.require(actor, MANAGE, participant)
    access.require_same_organization(actor, assignment, participant)
    if assignment.cohort_id != participant.cohort_id:
        raise InvalidInput(f"“{assignment}” is not an assignment of {participant.cohort.name}.")
    completed_on = completed_on or timezone.localdate()
    with transaction.atomic():
        submission, created = access.scoped(actor, Submission.objects.all()).update_or_create(
            assignment=assignment,
            participant=participant,
            defaults={
                "organization": actor.organization,
                "completed_on": completed_on,
                "reflection": reflection.strip(),
                "recorded_by": actor.user,
            },
        )
        audit.record(
            actor,
            "school_submission.recorded" if created else "school_submission.updated",
            submission,
            changes={"completed_on": [None, completed_on]},
        )
    return submission


def assess_skill(
    *,
    actor: Actor,
    participant: Participant,
    skill: str,
    level: int,
    note: str = "",
    assessed_on: date | None = None,
) -> SkillAssessment:
    """Record a facilitator's judgement of one skill; earlier ones stay as the record of growth."""
    access.require(actor, MANAGE, participant)
    access.require_same_organization(actor, participant)
    if skill not in SkillAssessment.Skill.values:
        raise InvalidInput(
            f"A skill is one of {', '.join(SkillAssessment.Skill.values)}, not “{skill}”."
        )
    if level not in SkillAssessment.Level.values:
        raise InvalidInput(f"A skill level is 1 (beginning) to 4 (teaches others), not {level}.")
    with transaction.atomic():
        assessment = SkillAssessment.objects.create(
            organization=actor.organization,
            participant=participant,
            skill=skill,
            level=level,
            note=note.strip(),
            assessed_on=assessed_on or timezone.localdate(),
            assessed_by=actor.user,
        )
        audit.record(actor, "school_skill.assessed", assessment, changes={skill: [None, level]})
    return assessment


# Graduation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a participant is toward the program's graduation rule."""

    attended: int
    sessions: int
    leadership_tasks: int
    needed_percent: int
    needed_tasks: int

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.sessions) if self.sessions else 0

    @property
    def missing(self) -> list[str]:
        """What the participant still lacks, in words; empty when they meet the rule."""
        lacks = []
        if not self.sessions:
            lacks.append("the cohort has no sessions yet")
        elif self.percent < self.needed_percent:
            lacks.append(
                f"attended {self.attended} of {self.sessions} sessions ({self.percent}%), "
                f"{self.needed_percent}% needed"
            )
        if self.leadership_tasks < self.needed_tasks:
            lacks.append(
                f"{self.leadership_tasks} of {self.needed_tasks} leadership "
                f"task{'s' if self.needed_tasks != 1 else ''} done"
            )
        return lacks

    @property
    def meets_rule(self) -> bool:
        return not self.missing


def progress_of(actor: Actor, participants: list[Participant]) -> dict[int, Progress]:
    """Return each participant's progress (by participant id), in a few queries for a cohort."""
    if not participants:
        return {}
    cohort_ids = {p.cohort_id for p in participants}
    actions_of: dict[int, list[int]] = {cohort_id: [] for cohort_id in cohort_ids}
    sessions = access.scoped(actor, Session.objects.filter(cohort_id__in=cohort_ids))
    for cohort_id, action_id in sessions.values_list("cohort_id", "action_id"):
        actions_of[cohort_id].append(action_id)
    attended = set(
        Attendance.objects.filter(
            action_id__in=[a for ids in actions_of.values() for a in ids],
            person_id__in=[p.person_id for p in participants],
        ).values_list("action_id", "person_id")
    )
    tasks: dict[int, int] = {}
    done = access.scoped(actor, Submission.objects.filter(participant__in=participants))
    for participant_id in done.filter(assignment__kind=Assignment.Kind.LEADERSHIP_TASK).values_list(
        "participant_id", flat=True
    ):
        tasks[participant_id] = tasks.get(participant_id, 0) + 1
    found = {}
    for participant in participants:
        program = participant.cohort.program
        action_ids = actions_of[participant.cohort_id]
        found[participant.pk] = Progress(
            attended=sum((a, participant.person_id) in attended for a in action_ids),
            sessions=len(action_ids),
            leadership_tasks=tasks.get(participant.pk, 0),
            needed_percent=program.min_attendance_percent,
            needed_tasks=program.min_leadership_tasks,
        )
    return found


def graduate(*, actor: Actor, participant: Participant, on: date | None = None) -> Participant:
    """Graduate *participant* if they meet the program's rule: they get the program's
    graduate tag and the ladder places them again (a rung counting the tag moves them up)."""
    access.require(actor, MANAGE, participant)
    access.require_same_organization(actor, participant)
    person = participant.person
    if participant.status == Participant.Status.GRADUATED:
        raise Conflict(f"{person.display_name} already graduated on {participant.graduated_on}.")
    if participant.status == Participant.Status.WITHDRAWN:
        raise InvalidInput(f"{person.display_name} withdrew from the cohort.")
    progress = progress_of(actor, [participant])[participant.pk]
    if not progress.meets_rule:
        raise InvalidInput(
            f"{person.display_name} does not meet the graduation rule yet: "
            f"{'; '.join(progress.missing)}."
        )
    program = participant.cohort.program
    with transaction.atomic():
        graduated = _set_status(
            actor, participant, Participant.Status.GRADUATED, on or timezone.localdate()
        )
        people_services.tag_person(actor=actor, person=person, name=program.graduate_tag)
    ladder.recompute(organization=actor.organization, person_ids=[person.pk])
    return graduated


def graduate_cohort(*, actor: Actor, cohort: Cohort, on: date | None = None) -> list[Participant]:
    """Graduate every enrolled participant of *cohort* who meets the rule; return them."""
    access.require(actor, MANAGE, cohort)
    enrolled = list(
        access.scoped(
            actor, cohort.participants.filter(status=Participant.Status.ENROLLED)
        ).select_related("person", "cohort__program")
    )
    ready = progress_of(actor, enrolled)
    return [
        graduate(actor=actor, participant=participant, on=on)
        for participant in enrolled
        if ready[participant.pk].meets_rule
    ]
