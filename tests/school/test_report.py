"""The cohort report's last part: what graduates did in the six months after graduating."""

import datetime

from django.utils import timezone

from powerbase.actions import services as actions
from powerbase.electoral import services as electoral
from powerbase.school import report, services


def test_the_report_counts_what_a_graduate_did_in_the_six_months_after(
    staff, cohort, sessions, maria_in, walter
):
    task = services.add_assignment(
        actor=staff, cohort=cohort, kind="leadership_task", title="Chair a meeting"
    )
    services.record_submission(actor=staff, assignment=task, participant=maria_in)
    for session in sessions:
        services.check_in(actor=staff, session=session, participant=maria_in)
    graduated_on = timezone.localdate() - datetime.timedelta(days=30)
    services.graduate(actor=staff, participant=maria_in, on=graduated_on)
    person = maria_in.person
    soon_after = timezone.now() + datetime.timedelta(days=5)
    rally = actions.create_action(actor=staff, title="Rent rally", starts_at=soon_after)
    actions.check_in(actor=staff, action=rally, person=person)
    actions.set_commitment(actor=staff, action=rally, leader=person, number=5)
    actions.check_in(
        actor=staff, action=rally, person=walter, credit=actions.Credit(recruited_by=person)
    )
    long_before = timezone.now() - datetime.timedelta(days=400)
    old = actions.create_action(actor=staff, title="Old march", starts_at=long_before)
    actions.check_in(actor=staff, action=old, person=person)
    electoral.add_to_pipeline(actor=staff, person=person, target_office="City Council Ward 3")

    [row] = report.cohort_report(staff, cohort).graduates

    assert row.graduated_on == graduated_on
    assert row.actions_attended == 1  # the rally: not the school's sessions, not the old march
    assert row.actions_led == 1
    assert row.people_brought == 1
    assert row.pipeline_stage == "Identified"


def test_completion_counts_graduates_among_participants(staff, cohort, maria_in, walter_in):
    services.withdraw(actor=staff, participant=walter_in)
    built = report.cohort_report(staff, cohort)
    assert (built.participants, built.graduated, built.withdrawn) == (2, 0, 1)
    assert built.completion_percent == 0
