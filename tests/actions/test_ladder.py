"""The leadership ladder: rules over the data, movement kept with dates, funnel and jobs."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from powerbase.actions import ladder, services
from powerbase.actions.models import Action, LadderMove, LadderStanding
from powerbase.core import jobs
from powerbase.core.models import Job
from powerbase.people import services as people_services
from tests.actions.conftest import hold
from tests.conftest import add_member


def rung_of(person) -> str:
    return LadderStanding.objects.get(person=person).level.name


def held_action(organizing, title: str, days_ago: int) -> Action:
    action = services.create_action(
        actor=organizing, title=title, starts_at=timezone.now() + timedelta(days=1)
    )
    return hold(action, days_ago=days_ago)


def test_the_default_ladder_has_four_rungs_with_the_issues_rules(nutmeg):
    rungs = ladder.levels(nutmeg)
    assert [r.name for r in rungs] == ["Member", "Active", "Leader", "Core leader"]
    assert (rungs[1].min_attended, rungs[1].attended_within_days) == (2, 90)
    assert (rungs[2].min_recruits, rungs[2].min_recruited_actions) == (5, 2)
    assert rungs[2].counts_leader_role and rungs[3].tags == ["team lead", "governing body"]


def test_attending_two_actions_in_ninety_days_makes_someone_active(organizing, maria):
    first, second = held_action(organizing, "One", 30), held_action(organizing, "Two", 5)
    services.check_in(actor=organizing, action=first, person=maria)
    assert rung_of(maria) == "Member"
    services.check_in(actor=organizing, action=second, person=maria)
    assert rung_of(maria) == "Active"


def test_attendance_older_than_the_window_does_not_count(organizing, maria):
    services.check_in(actor=organizing, action=held_action(organizing, "Old", 200), person=maria)
    services.check_in(actor=organizing, action=held_action(organizing, "New", 5), person=maria)
    assert rung_of(maria) == "Member"


def test_recruiting_five_people_to_two_actions_makes_a_leader(
    organizing, nutmeg, walter, teachers_union
):
    recruits = [add_member(nutmeg, teachers_union, f"Recruit{n}", "Doe") for n in range(5)]
    first, second = held_action(organizing, "One", 20), held_action(organizing, "Two", 10)
    credit = services.Credit(recruited_by=walter)
    for person in recruits[:3]:
        services.check_in(actor=organizing, action=first, person=person, credit=credit)
    for person in recruits[3:]:
        services.check_in(actor=organizing, action=second, person=person, credit=credit)
    assert rung_of(walter) == "Leader"


def test_five_recruits_to_a_single_action_are_not_yet_enough(
    organizing, nutmeg, walter, teachers_union
):
    action = held_action(organizing, "One", 20)
    for n in range(5):
        services.check_in(
            actor=organizing,
            action=action,
            person=add_member(nutmeg, teachers_union, f"R{n}", "Doe"),
            credit=services.Credit(recruited_by=walter),
        )
    assert rung_of(walter) == "Member"


def test_a_leader_role_or_a_governing_body_tag_places_people_without_turnout(
    organizing, rosa, maria, nutmeg
):
    people_services.tag_person(actor=organizing, person=maria, name="governing body")
    ladder.recompute(organization=nutmeg)
    assert (rung_of(rosa), rung_of(maria)) == ("Leader", "Core leader")


def test_each_change_of_rung_is_kept_with_its_date(organizing, maria, nutmeg):
    ladder.recompute(organization=nutmeg, today=date(2026, 1, 5))
    people_services.tag_person(actor=organizing, person=maria, name="team lead")
    ladder.recompute(organization=nutmeg, today=date(2026, 3, 1))
    ladder.recompute(organization=nutmeg, today=date(2026, 3, 2))  # nothing changed
    moves = [
        (m.from_level.name if m.from_level else None, m.to_level.name, m.moved_on)
        for m in LadderMove.objects.filter(person=maria).order_by("moved_on")
    ]
    assert moves == [
        (None, "Member", date(2026, 1, 5)),
        ("Member", "Core leader", date(2026, 3, 1)),
    ]
    assert LadderStanding.objects.get(person=maria).since == date(2026, 3, 1)


def test_undoing_a_check_in_moves_someone_back_down(organizing, maria):
    first, second = held_action(organizing, "One", 30), held_action(organizing, "Two", 5)
    services.check_in(actor=organizing, action=first, person=maria)
    attendance, _ = services.check_in(actor=organizing, action=second, person=maria)
    services.undo_check_in(actor=organizing, attendance=attendance)
    assert rung_of(maria) == "Member"
    assert LadderMove.objects.filter(person=maria).count() == 3


def test_a_changed_rule_applies_to_everyone_through_the_recompute_job(
    organizing, maria, nutmeg, django_capture_on_commit_callbacks, run_jobs
):
    services.check_in(actor=organizing, action=held_action(organizing, "One", 3), person=maria)
    active = ladder.levels(nutmeg)[1]
    values = {name: getattr(active, name) for name in ladder.LEVEL_FIELDS}
    ladder.save_level(actor=organizing, level=active, values={**values, "min_attended": 1})
    with django_capture_on_commit_callbacks(execute=True):
        job = ladder.start_recompute(actor=organizing)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.label == "Place everyone on the leadership ladder"
    assert rung_of(maria) == "Active"


def test_the_funnel_counts_each_rung_by_affiliate_and_an_affiliate_lead_sees_their_own(
    organizing, leading_affiliate, nutmeg, maria, walter, rosa, tenant_union, teachers_union
):
    ladder.recompute(organization=nutmeg)
    _, rows = ladder.funnel_by_affiliate(organizing)
    assert [(r.label, [n for _, n in r.cells]) for r in rows] == [
        (teachers_union.name, [1, 0, 0, 0]),
        (tenant_union.name, [1, 0, 1, 0]),
    ]
    _, own = ladder.funnel_by_affiliate(leading_affiliate)
    assert [r.label for r in own] == [tenant_union.name]
    _, districts = ladder.funnel_by_district(organizing)
    assert [(r.label, r.total) for r in districts] == [("District not known yet", 3)]


def test_the_ladder_page_lists_rungs_funnel_and_movement(
    client, organizer, organizing, nutmeg, maria, rosa, django_assert_max_num_queries
):
    ladder.recompute(organization=nutmeg)
    client.force_login(organizer)
    url = reverse("actions:ladder", kwargs={"org": "nutmeg"})
    with django_assert_max_num_queries(26):
        client.get(url)  # the first view counts the funnels and keeps them (five to write)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    html = response.content.decode()
    assert "Core leader" in html and "District not known yet" in html
    assert "Rosa Quintero placed at Leader" in html


def test_the_recompute_kind_is_registered():
    assert "actions.recompute_ladder" in jobs.KINDS


def test_an_organizer_changes_a_rule_from_the_page_and_the_change_is_audited(
    client, organizer, nutmeg
):
    from powerbase.core.models import AuditEntry

    active = ladder.levels(nutmeg)[1]
    client.force_login(organizer)
    response = client.post(
        reverse("actions:ladder_level", kwargs={"org": "nutmeg", "level_id": active.pk}),
        {
            "name": "Active",
            "rank": 1,
            "description": "Came to 3 actions in 60 days.",
            "min_attended": 3,
            "attended_within_days": 60,
            "tags": "",
        },
    )
    assert response.status_code == 302
    active.refresh_from_db()
    assert (active.min_attended, active.attended_within_days) == (3, 60)
    entry = AuditEntry.objects.get(action="ladder_level.changed")
    assert entry.changes["min_attended"] == [2, 3]


def test_two_rungs_cannot_share_a_rank(organizing, nutmeg):
    import pytest

    from powerbase.core.exceptions import InvalidInput

    ladder.levels(nutmeg)
    with pytest.raises(InvalidInput, match="Another rung already has rank 1"):
        ladder.save_level(actor=organizing, level=None, values={"name": "Twin", "rank": 1})


def test_the_district_funnel_places_people_linked_to_the_voter_file(
    organizing, nutmeg, maria, walter, rosa, data_dir
):
    from powerbase.identity.models import VoterLink
    from tests.identity.conftest import import_town

    import_town(nutmeg)  # CT000001 lives in house district 94, CT000002 in 95
    VoterLink.objects.create(organization=nutmeg, person=maria, voter_id="CT000001")
    VoterLink.objects.create(organization=nutmeg, person=walter, voter_id="CT000002")
    ladder.recompute(organization=nutmeg)
    _, districts = ladder.funnel_by_district(organizing)
    assert [(r.label, r.total) for r in districts] == [
        ("State house district 94", 1),
        ("State house district 95", 1),
        ("District not known yet", 1),
    ]


def test_turnout_recorded_after_the_fact_moves_the_ladder_once_it_is_in(organizing, maria):
    for title, days_ago in (("First", 20), ("Second", 10)):
        action = held_action(organizing, title, days_ago)
        services.record_attendances_in_bulk(
            actor=organizing, action=action, people=[maria], at=action.starts_at, how="sheet"
        )
    assert rung_of(maria) == "Active"
