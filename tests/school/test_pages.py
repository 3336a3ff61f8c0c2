"""The Democracy School's pages: the nav leads to the school instead of "soon", a program is
started and given a curriculum from the web, a participant is nominated with the type-ahead
picker, a session's roster checks people in, and an affiliate lead sees only their own."""

from django.urls import reverse
from django.utils.formats import date_format

from powerbase.actions.models import Attendance
from powerbase.coalition.models import AffiliateMembership
from powerbase.electoral import services as electoral
from powerbase.school import services
from powerbase.school.models import Participant, Program
from tests.conftest import add_member


def url(name: str, **kwargs) -> str:
    return reverse(f"school:{name}", kwargs={"org": "nutmeg", **kwargs})


def test_the_navigation_leads_to_the_school_not_to_a_soon_page(client, viewer):
    client.force_login(viewer)
    page = client.get(url("programs")).content.decode()
    assert f'href="{url("programs")}"' in page
    assert "/soon/education/" not in page


def test_an_organizer_starts_a_program_and_writes_its_curriculum(client, organizer):
    client.force_login(organizer)
    response = client.post(
        url("program_new"),
        {
            "name": "Candidate school",
            "kind": "candidate_school",
            "min_attendance_percent": 75,
            "min_leadership_tasks": 2,
        },
    )
    program = Program.objects.get(name="Candidate school")
    assert response.headers["Location"] == url("program", program_id=program.pk)
    client.post(
        url("module_new", program_id=program.pk),
        {"title": "Running to win", "learning_goals": "Draw a district's power map"},
    )
    module = program.modules.get()
    client.post(
        url("material_new", module_id=module.pk),
        {"title": "Field plan template", "url": "https://example.org/plan"},
    )
    page = client.get(url("program", program_id=program.pk)).content.decode()
    assert "Running to win" in page
    assert "Draw a district&#x27;s power map" in page
    assert 'href="https://example.org/plan"' in page
    assert "attended at least 75%" in page


def test_a_cohort_that_ends_before_it_starts_is_refused_with_a_reason(client, organizer, program):
    client.force_login(organizer)
    response = client.post(
        url("cohort_new", program_id=program.pk),
        {"name": "Backwards", "starts_on": "2027-03-01", "ends_on": "2027-02-01"},
        follow=True,
    )
    assert "ends (2027-02-01) before it starts (2027-03-01)" in response.content.decode()


def test_the_cohort_page_nominates_with_the_person_picker(
    client, affiliate_lead, cohort, maria, tenant_union
):
    client.force_login(affiliate_lead)
    page = client.get(url("cohort", cohort_id=cohort.pk)).content.decode()
    assert "data-picker" in page
    assert reverse("people:pick", kwargs={"org": "nutmeg"}) in page
    # A lead is offered only their own affiliate to nominate for.
    assert tenant_union.name in page and "Educators Local 12" not in page
    client.post(
        url("nominate", cohort_id=cohort.pk),
        {"person": maria.pk, "affiliate": tenant_union.pk},
    )
    assert Participant.objects.get(cohort=cohort).nominating_affiliate == tenant_union


def test_a_lead_cannot_nominate_someone_outside_their_reach(
    client, affiliate_lead, cohort, walter, tenant_union
):
    client.force_login(affiliate_lead)
    response = client.post(
        url("nominate", cohort_id=cohort.pk), {"person": walter.pk, "affiliate": tenant_union.pk}
    )
    assert response.status_code == 404
    assert not Participant.objects.exists()


def test_the_session_roster_checks_a_participant_in(client, organizer, sessions, maria_in):
    client.force_login(organizer)
    session = sessions[0]
    page = client.get(url("session", session_id=session.pk)).content.decode()
    assert "0</strong> of 1 checked in" in page
    assert (
        reverse("actions:check_in", kwargs={"org": "nutmeg", "action_id": session.action_id})
        in page
    )
    response = client.post(
        url("session_check_in", session_id=session.pk), {"participant": maria_in.pk}, follow=True
    )
    page = response.content.decode()
    assert "Checked in María Gonzalez." in page
    assert "1</strong> of 1 checked in" in page
    assert Attendance.objects.filter(action=session.action, person=maria_in.person).exists()


def test_a_lead_sees_only_the_participants_their_affiliates_nominated(
    client, affiliate_lead, cohort, sessions, maria_in, walter_in
):
    client.force_login(affiliate_lead)
    cohort_page = client.get(url("cohort", cohort_id=cohort.pk)).content.decode()
    roster = client.get(url("session", session_id=sessions[0].pk)).content.decode()
    report = client.get(url("cohort_report", cohort_id=cohort.pk)).content.decode()
    assert "María Gonzalez" in cohort_page and "María Gonzalez" in roster
    assert '<td data-label="Nominated">1</td>' in report
    for page in (cohort_page, roster, report):
        assert "Walter" not in page and "Educators Local 12" not in page
    assert client.get(url("participant", participant_id=walter_in.pk)).status_code == 404
    checked = client.post(
        url("session_check_in", session_id=sessions[0].pk), {"participant": walter_in.pk}
    )
    assert checked.status_code == 404
    assert not Attendance.objects.filter(person=walter_in.person).exists()


def test_a_viewer_sees_the_school_but_no_names(client, viewer, cohort, maria_in):
    client.force_login(viewer)
    page = client.get(url("cohort", cohort_id=cohort.pk)).content.decode()
    assert "1 participant." in page
    assert "María" not in page


def test_the_participant_page_records_skills_work_and_graduation(
    client, organizer, staff, cohort, sessions, maria_in
):
    client.force_login(organizer)
    task = services.add_assignment(
        actor=staff, cohort=cohort, kind="leadership_task", title="Chair the tenant meeting"
    )
    for session in sessions:
        services.check_in(actor=staff, session=session, participant=maria_in)
    client.post(
        url("assess", participant_id=maria_in.pk),
        {"skill": "running_a_meeting", "level": 3, "note": "Kept it to an hour"},
    )
    client.post(
        url("submission_new", participant_id=maria_in.pk),
        {"assignment": task.pk, "reflection": "Twelve came; we agreed on a rent demand."},
    )
    response = client.post(url("graduate", participant_id=maria_in.pk), follow=True)
    page = response.content.decode()
    assert "María Gonzalez graduated." in page
    assert "Running a meeting: <strong>Confident</strong>" in page
    assert "we agreed on a rent demand" in page
    story = client.get(
        reverse("people:person", kwargs={"org": "nutmeg", "person_id": maria_in.person_id})
    ).content.decode()
    assert "Graduated from Democracy School (Spring, Hartford)" in story


def test_the_report_hides_small_cells_and_unshared_demographics(
    client, admin, staff, cohort, nutmeg, teachers_union, walter_in, maria_in
):
    # Walter's union shares demographics; five more teachers make one cell of six "man" and one
    # of five "woman"... nobody's race is shown in a cell under five.
    for number in range(5):
        teacher = add_member(
            nutmeg,
            teachers_union,
            f"Teacher{number}",
            "Fictional",
            gender_identity="woman",
            race_ethnicity=["white"] if number < 4 else ["asian"],
        )
        services.nominate(actor=staff, cohort=cohort, person=teacher, affiliate=teachers_union)
    client.force_login(admin)
    page = client.get(url("cohort_report", cohort_id=cohort.pk)).content.decode()
    assert "6 shared, 1 not shared" in page  # María's tenant union does not share
    assert '<td data-label="People">5</td>' in page  # five women
    assert "fewer than 5" in page  # white (4), asian (1), Black (1), man (1)
    assert "Hispanic" not in page
    assert '<td data-label="Nominated">6</td>' in page


def test_the_schools_dates_show_on_the_programs_page(client, viewer, cohort):
    client.force_login(viewer)
    page = client.get(url("programs")).content.decode()
    assert "Spring, Hartford" in page
    assert f"{date_format(cohort.starts_on)} to {date_format(cohort.ends_on)}" in page


def test_a_graduate_shows_in_the_candidate_pipeline_from_the_base_until_added(
    client, organizer, staff, cohort, sessions, maria_in
):
    services.add_assignment(actor=staff, cohort=cohort, kind="leadership_task", title="Chair")
    task = cohort.assignments.get()
    services.record_submission(actor=staff, assignment=task, participant=maria_in)
    for session in sessions:
        services.check_in(actor=staff, session=session, participant=maria_in)
    services.graduate(actor=staff, participant=maria_in)
    client.force_login(organizer)
    pipeline = reverse("electoral:pipeline", kwargs={"org": "nutmeg"})
    page = client.get(pipeline).content.decode()
    assert "From the Democracy School" in page
    assert "María Gonzalez" in page
    electoral.add_to_pipeline(
        actor=staff, person=maria_in.person, target_office="City Council Ward 3"
    )
    assert "From the Democracy School" not in client.get(pipeline).content.decode()


def test_a_facilitator_is_added_with_the_picker_and_a_participant_withdraws(
    client, organizer, cohort, walter, maria_in
):
    client.force_login(organizer)
    page = client.get(url("cohort", cohort_id=cohort.pk)).content.decode()
    assert 'id="id_facilitator_search"' in page
    client.post(url("facilitator_add", cohort_id=cohort.pk), {"facilitator": walter.pk})
    assert list(cohort.facilitators.all()) == [walter]
    page = client.get(url("cohort", cohort_id=cohort.pk)).content.decode()
    assert "Facilitators: Walter Okonkwo-Hill" in page
    client.post(url("withdraw", participant_id=maria_in.pk))
    maria_in.refresh_from_db()
    assert maria_in.status == Participant.Status.WITHDRAWN


def test_a_leads_view_of_a_shared_members_story_omits_another_affiliates_nomination(
    client, affiliate_lead, staff, cohort, nutmeg, tenant_union, teachers_union
):
    both = add_member(nutmeg, teachers_union, "Dana", "Both")
    AffiliateMembership.objects.create(
        organization=nutmeg, person=both, affiliate=tenant_union, source=both.source
    )
    services.nominate(actor=staff, cohort=cohort, person=both, affiliate=teachers_union)
    person_page = reverse("people:person", kwargs={"org": "nutmeg", "person_id": both.pk})
    client.force_login(affiliate_lead)
    page = client.get(person_page).content.decode()
    assert "Dana Both" in page
    assert "Nominated to Democracy School" not in page
    services.nominate(
        actor=staff,
        cohort=services.create_cohort(
            actor=staff,
            program=cohort.program,
            name="Autumn",
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
        ),
        person=both,
        affiliate=tenant_union,
    )
    page = client.get(person_page).content.decode()
    assert "Nominated to Democracy School (Autumn)" in page
