"""The Democracy School's writes: curricula in order, nominations by affiliate, sessions whose
attendance is the actions app's check-in, and graduation by the program's rule."""

import datetime

import pytest

from powerbase.actions import ladder
from powerbase.actions.models import Action, Attendance, LadderMove
from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.people.models import PersonTag
from powerbase.school import services
from powerbase.school.models import Assignment, Participant, SkillAssessment
from tests.conftest import act, add_member


def test_modules_are_numbered_in_the_order_they_are_added(program):
    modules = list(program.modules.all())
    assert [(m.position, m.title) for m in modules] == [
        (1, "Power and self-interest"),
        (2, "One-on-ones"),
    ]
    assert modules[0].goals == ["Name who holds power over rent", "Tell your story in two minutes"]
    assert [m.url for m in modules[0].materials.all()] == ["https://example.org/map"]


def test_a_material_must_be_a_web_link(staff, program):
    module = program.modules.first()
    with pytest.raises(InvalidInput, match="should start with https://"):
        services.add_material(actor=staff, module=module, title="Notes", url="file:///etc/passwd")


def test_a_cohort_cannot_end_before_it_starts(staff, program):
    with pytest.raises(InvalidInput, match="ends .* before it starts"):
        services.create_cohort(
            actor=staff,
            program=program,
            name="Backwards",
            starts_on=datetime.date(2027, 3, 1),
            ends_on=datetime.date(2027, 2, 1),
        )


def test_a_nomination_records_the_affiliate_that_made_it(maria_in, tenant_union, organizer):
    assert maria_in.nominating_affiliate == tenant_union
    assert maria_in.nominated_by == organizer
    assert maria_in.status == Participant.Status.ENROLLED


def test_a_person_is_nominated_to_a_cohort_once(staff, cohort, maria, tenant_union, maria_in):
    with pytest.raises(Conflict, match="already in the cohort"):
        services.nominate(actor=staff, cohort=cohort, person=maria, affiliate=tenant_union)


def test_an_affiliate_nominates_only_its_own_members(staff, cohort, maria, teachers_union):
    with pytest.raises(InvalidInput, match="not a current member of Educators Local 12"):
        services.nominate(actor=staff, cohort=cohort, person=maria, affiliate=teachers_union)


def test_a_lead_nominates_for_their_own_affiliate_only(lead, cohort, walter, teachers_union):
    with pytest.raises(InvalidInput, match="one of your affiliates"):
        services.nominate(actor=lead, cohort=cohort, person=walter, affiliate=teachers_union)


def test_a_lead_may_nominate_their_own_member(lead, cohort, maria, tenant_union):
    participant = services.nominate(actor=lead, cohort=cohort, person=maria, affiliate=tenant_union)
    assert participant.nominating_affiliate == tenant_union


def test_a_viewer_may_not_nominate(viewer, nutmeg, cohort, maria, tenant_union):
    with pytest.raises(PermissionDenied):
        services.nominate(
            actor=act(viewer, nutmeg), cohort=cohort, person=maria, affiliate=tenant_union
        )


def test_a_session_is_a_training_action_at_the_cohorts_place(sessions, cohort):
    action = sessions[0].action
    assert action.kind == Action.Kind.TRAINING
    assert action.place == "Union hall, 77 Main St"
    assert action.title == "Democracy School: Power and self-interest"


def test_checking_in_at_a_session_is_the_actions_check_in(staff, sessions, maria_in, tenant_union):
    attendance, created = services.check_in(actor=staff, session=sessions[0], participant=maria_in)
    again, created_again = services.check_in(actor=staff, session=sessions[0], participant=maria_in)
    assert (created, created_again) == (True, False)
    assert attendance == again
    assert attendance.credited_affiliate == tenant_union
    assert Attendance.objects.filter(action=sessions[0].action).count() == 1


def test_skills_keep_their_history(staff, maria_in):
    services.assess_skill(
        actor=staff,
        participant=maria_in,
        skill="public_speaking",
        level=1,
        assessed_on=datetime.date(2026, 1, 10),
    )
    services.assess_skill(
        actor=staff, participant=maria_in, skill="public_speaking", level=3, note="Ran the rally"
    )
    levels = list(maria_in.assessments.values_list("level", flat=True))
    assert levels == [3, 1]  # newest first
    with pytest.raises(InvalidInput, match="1 \\(beginning\\) to 4"):
        services.assess_skill(actor=staff, participant=maria_in, skill="public_speaking", level=9)
    with pytest.raises(InvalidInput, match="A skill is one of"):
        services.assess_skill(actor=staff, participant=maria_in, skill="juggling", level=2)
    assert SkillAssessment.objects.count() == 2


def _attend(staff, sessions, participant, how_many):
    for session in sessions[:how_many]:
        services.check_in(actor=staff, session=session, participant=participant)


def _lead_a_meeting(staff, cohort, participant):
    task = services.add_assignment(
        actor=staff, cohort=cohort, kind=Assignment.Kind.LEADERSHIP_TASK, title="Chair a meeting"
    )
    services.record_submission(
        actor=staff, assignment=task, participant=participant, reflection="It went long."
    )


def test_graduation_needs_the_attendance_and_a_leadership_task(staff, cohort, sessions, maria_in):
    _attend(staff, sessions, maria_in, 3)  # 3 of 4 sessions: 75%, under 80%
    with pytest.raises(InvalidInput) as refused:
        services.graduate(actor=staff, participant=maria_in)
    assert "attended 3 of 4 sessions (75%), 80% needed" in refused.value.message
    assert "0 of 1 leadership task done" in refused.value.message


def test_a_graduate_is_tagged_and_moves_up_the_ladder_by_its_rule(
    staff, nutmeg, cohort, sessions, maria_in
):
    leader_rung = next(rung for rung in ladder.levels(nutmeg) if rung.name == "Core leader")
    program = cohort.program
    program_with_rung = services.create_program(
        actor=staff, name="Steward school", ladder_level=leader_rung
    )
    leader_rung.refresh_from_db()
    assert program_with_rung.graduate_tag in leader_rung.tags
    # The Democracy School's own tag counts too once the rung's rule names it.
    ladder.save_level(actor=staff, level=leader_rung, values={"tags": [program.graduate_tag]})
    _attend(staff, sessions, maria_in, 4)
    _lead_a_meeting(staff, cohort, maria_in)

    graduated = services.graduate(actor=staff, participant=maria_in, on=datetime.date(2026, 6, 1))

    assert graduated.status == Participant.Status.GRADUATED
    assert graduated.graduated_on == datetime.date(2026, 6, 1)
    assert PersonTag.objects.filter(person=maria_in.person, tag__name=program.graduate_tag).exists()
    move = LadderMove.objects.filter(person=maria_in.person).first()
    assert move is not None and move.to_level == leader_rung
    assert "Democracy School graduate" in move.rule
    with pytest.raises(Conflict, match="already graduated"):
        services.graduate(actor=staff, participant=graduated)


def test_graduating_a_cohort_takes_only_those_who_meet_the_rule(
    staff, cohort, sessions, maria_in, walter_in
):
    _attend(staff, sessions, maria_in, 4)
    _lead_a_meeting(staff, cohort, maria_in)
    _attend(staff, sessions, walter_in, 2)

    graduated = services.graduate_cohort(actor=staff, cohort=cohort)

    assert [p.person for p in graduated] == [maria_in.person]
    walter_in.refresh_from_db()
    assert walter_in.status == Participant.Status.ENROLLED


def test_a_withdrawn_participant_does_not_graduate(staff, cohort, sessions, nutmeg, tenant_union):
    rosa = add_member(nutmeg, tenant_union, "Rosa", "Lind")
    rosa_in = services.nominate(actor=staff, cohort=cohort, person=rosa, affiliate=tenant_union)
    services.withdraw(actor=staff, participant=rosa_in)
    rosa_in.refresh_from_db()
    with pytest.raises(InvalidInput, match="withdrew"):
        services.graduate(actor=staff, participant=rosa_in)
