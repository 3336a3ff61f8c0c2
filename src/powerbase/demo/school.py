"""The Democracy School demo: one fictional cohort half-way through its eight weeks.

Nutmeg runs a Democracy School with a six-module curriculum. The spring cohort started four
weeks ago: a dozen affiliates nominated two members each, four sessions are held (most came),
four are to come, a reflection and a leadership task are set, facilitators have assessed a
few skills, and nobody has graduated yet. Graduates will move to the ladder's "Leader" rung.
Every name and link is made up. Seeded, repeatable, loaded once, written through services.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions import ladder
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access
from powerbase.core.models import Organization
from powerbase.school import services
from powerbase.school.models import Assignment, Program, SkillAssessment

SEED = 1935
PROGRAM = "Democracy School"
MODULES = [
    ("Power and self-interest", "Say who holds power over the issue\nName your own self-interest"),
    ("One-on-ones", "Hold a 30-minute relational meeting\nFind a leader's self-interest"),
    ("Power mapping", "Map a target's allies, opponents and pressure points"),
    ("Running a meeting", "Write an agenda with decisions, not reports\nKeep time"),
    ("Canvass leadership", "Cut turf and run a canvass launch and debrief"),
    ("The campaign plan", "Write demands, targets and escalating tactics"),
]
SESSIONS, HELD = 8, 4
PER_AFFILIATE = 2
MOST_AFFILIATES = 12  # a cohort of about two dozen, balanced across affiliates


AGENDA = """Democracy School, session 1 (fictional)

6:30  Food and introductions: who are you, and who are your people?
6:50  Story of self: two minutes each, in pairs
7:20  Who holds power over rent in Hartford? A first sketch
7:50  One commitment before next week
"""


def load_school_demo(organization: Organization, today: date | None = None) -> dict:
    """Load the program and its cohort mid-way into *organization*, once."""
    if Program.objects.filter(organization=organization, name=PROGRAM).exists():
        return {"status": "already loaded"}
    actor = access.system(organization)
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    rungs = {rung.name: rung for rung in ladder.levels(organization)}
    with transaction.atomic():
        program = services.create_program(
            actor=actor,
            name=PROGRAM,
            description="Eight evenings on how power works and how to build it (fictional).",
            ladder_level=rungs.get("Leader"),
        )
        modules = [
            services.add_module(actor=actor, program=program, title=title, learning_goals=goals)
            for title, goals in MODULES
        ]
        services.add_material(
            actor=actor,
            module=modules[2],
            title="Power map worksheet (fictional)",
            url="https://example.org/democracy-school/power-map",
        )
        services.add_material_file(
            actor=actor,
            module=modules[0],
            title="First evening's agenda",
            file_name="democracy-school-session-1-agenda.txt",
            content=AGENDA.encode(),
        )
        start = today - timedelta(weeks=HELD) + timedelta(days=1)
        nominees, facilitators = _nominees(organization, rng)
        cohort = services.create_cohort(
            actor=actor,
            program=program,
            name="Spring cohort, Hartford",
            starts_on=start,
            ends_on=start + timedelta(weeks=SESSIONS),
            place="Union hall, 77 Main St, Hartford (fictional)",
            facilitators=facilitators,
        )
        participants = [
            services.nominate(actor=actor, cohort=cohort, person=person, affiliate=affiliate)
            for person, affiliate in nominees
        ]
        sessions = [
            services.add_session(
                actor=actor,
                cohort=cohort,
                starts_at=timezone.make_aware(
                    datetime.combine(start + timedelta(weeks=week), time(18, 30))
                ),
                module=modules[min(week, len(modules) - 1)],
            )
            for week in range(SESSIONS)
        ]
        for session in sessions[:HELD]:
            for participant in participants:
                if rng.random() < 0.85:
                    services.check_in(actor=actor, session=session, participant=participant)
        _work(actor, cohort, modules, participants, today, rng)
    return {"cohort": cohort.name, "participants": len(participants), "sessions held": HELD}


def _nominees(organization: Organization, rng: random.Random) -> tuple[list, list]:
    """Up to PER_AFFILIATE current members of each of MOST_AFFILIATES member affiliates, with
    the affiliate that nominates them; and two more members to facilitate."""
    chosen: list = []
    spare: list = []
    for affiliate in Affiliate.objects.filter(
        organization=organization, status=Affiliate.Status.MEMBER
    ).order_by("name")[:MOST_AFFILIATES]:
        members = list(
            AffiliateMembership.objects.current()
            .filter(affiliate=affiliate, person__merged_into__isnull=True)
            .select_related("person")
            .order_by("person_id")[:40]
        )
        seen = {person.pk for person, _ in chosen} | {person.pk for person in spare}
        picks = [m for m in rng.sample(members, min(len(members), 8)) if m.person_id not in seen]
        chosen += [(m.person, affiliate) for m in picks[:PER_AFFILIATE]]
        spare += [m.person for m in picks[PER_AFFILIATE:]]
    return chosen, spare[:2]


def _work(actor, cohort, modules, participants, today: date, rng: random.Random) -> None:
    """A reflection most wrote, a leadership task a few did, and some skills assessed."""
    reflection = services.add_assignment(
        actor=actor,
        cohort=cohort,
        module=modules[0],
        kind=Assignment.Kind.REFLECTION,
        title="Where do you feel power in your life?",
        due_on=today - timedelta(weeks=2),
    )
    task = services.add_assignment(
        actor=actor,
        cohort=cohort,
        module=modules[3],
        kind=Assignment.Kind.LEADERSHIP_TASK,
        title="Chair a meeting of your affiliate",
        due_on=today + timedelta(weeks=3),
    )
    for number, participant in enumerate(participants):
        if rng.random() < 0.7:
            services.record_submission(
                actor=actor,
                assignment=reflection,
                participant=participant,
                completed_on=today - timedelta(days=15),
                reflection="At work, when the schedule changes without asking us (fictional).",
            )
        if number % 4 == 0:
            services.record_submission(
                actor=actor, assignment=task, participant=participant, completed_on=today
            )
        for skill in rng.sample(SkillAssessment.Skill.values, 2):
            services.assess_skill(
                actor=actor,
                participant=participant,
                skill=skill,
                level=rng.randint(1, 3),
                assessed_on=today - timedelta(days=rng.randint(1, 20)),
            )
