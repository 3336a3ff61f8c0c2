"""The cohort report's last part: what graduates did in the six months after graduating."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

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
    today = timezone.localdate()
    # One-on-ones María held (logged by the organizer): two after graduating, one long before.
    for held_on in (today, today - datetime.timedelta(days=10), today - datetime.timedelta(400)):
        actions.log_one_on_one(actor=staff, person=walter, held_by_person=person, held_on=held_on)
    actions.log_one_on_one(actor=staff, person=person, held_on=today)  # one held *with* her
    # In the pipeline a year ago, then trained and running since graduating.
    entry = electoral.add_to_pipeline(
        actor=staff,
        person=person,
        target_office="City Council Ward 3",
        on=today - datetime.timedelta(days=365),
    )
    trained_on, running_on = today - datetime.timedelta(days=20), today - datetime.timedelta(3)
    electoral.move_in_pipeline(actor=staff, entry=entry, stage="trained", on=trained_on)
    electoral.move_in_pipeline(actor=staff, entry=entry, stage="running", on=running_on)

    [row] = report.cohort_report(staff, cohort).graduates

    assert row.graduated_on == graduated_on
    assert row.actions_attended == 1  # the rally: not the school's sessions, not the old march
    assert row.actions_led == 1
    assert row.people_brought == 1
    assert row.one_on_ones == 2
    assert row.pipeline_moves == [("Trained", trained_on), ("Running", running_on)]
    assert row.pipeline_stage == "Running"


def test_the_report_page_shows_one_on_ones_and_pipeline_moves_to_whom_may_see_them(
    client, organizer, affiliate_lead, staff, cohort, sessions, maria_in, walter
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
    actions.log_one_on_one(
        actor=staff, person=walter, held_by_person=person, held_on=timezone.localdate()
    )
    entry = electoral.add_to_pipeline(actor=staff, person=person, target_office="Ward 3")
    electoral.move_in_pipeline(actor=staff, entry=entry, stage="running")
    client.force_login(organizer)
    page = client.get(
        reverse("school:cohort_report", kwargs={"org": "nutmeg", "cohort_id": cohort.pk})
    ).content.decode()
    assert '<td data-label="One-on-ones held">1</td>' in page
    assert "Running " + date_format(timezone.localdate()) in page
    assert "(now: Running)" in page

    # The tenant union's lead sees María's row (their own nominee), but not the candidate
    # pipeline, which their role may not see, nor her one-on-one with Walter, who is not in
    # the lead's affiliates (a one-on-one is seen through the person met).
    client.force_login(affiliate_lead)
    page = client.get(
        reverse("school:cohort_report", kwargs={"org": "nutmeg", "cohort_id": cohort.pk})
    ).content.decode()
    assert "María Gonzalez" in page
    assert '<td data-label="One-on-ones held">0</td>' in page
    assert "Running" not in page
    assert '<td data-label="Candidate pipeline">—</td>' in page


def test_completion_counts_graduates_among_participants(staff, cohort, maria_in, walter_in):
    services.withdraw(actor=staff, participant=walter_in)
    built = report.cohort_report(staff, cohort)
    assert (built.participants, built.graduated, built.withdrawn) == (2, 0, 1)
    assert built.completion_percent == 0
