"""The strategy table from the web: an organizer records a decision with what it commits and
a task, the campaign's page says who decided it, the task shows on its owner's home page until
marked done, and open tasks show on the body's page to its staff and seat holders only."""

import datetime

from django.urls import reverse
from django.utils import timezone

from powerbase.core.models import Role
from powerbase.democracy.models import Decision
from powerbase.legislature import services as legislature
from powerbase.strategy import services
from powerbase.strategy.models import Commitment
from powerbase.strategy.services import CommitmentSpec, TaskSpec
from tests.conftest import make_user


def url(name: str, **kwargs) -> str:
    return reverse(f"strategy:{name}", kwargs={"org": "nutmeg", **kwargs})


def test_an_organizer_records_a_decision_that_starts_and_funds_a_campaign(
    client, organizer, admin, table, campaign, budget_line
):
    client.force_login(organizer)
    form = client.get(url("decision_new", body_id=table.pk)).content.decode()
    assert "Starts the campaign" in form and "Homes for All" in form
    response = client.post(
        url("decision_new", body_id=table.pk),
        {
            "title": "Launch Homes for All",
            "text": "We launch the campaign and hire two organizers.",
            "outcome": "adopted",
            "decided_on": "2026-02-10",
            "campaign_started": campaign.pk,
            "budget_line": budget_line.pk,
            "task_1_title": "Book the kickoff hall",
            "task_1_owner": admin.pk,
            "task_1_due_on": "2026-03-01",
        },
    )
    decision = Decision.objects.get(title="Launch Homes for All")
    assert response.headers["Location"] == url("decision", decision_id=decision.pk)
    assert decision.body == table and decision.tasks.get().owner == admin

    page = client.get(
        reverse("actions:campaign", kwargs={"org": "nutmeg", "campaign_id": campaign.pk})
    ).content.decode()
    assert "Started: " in page and "Funded (Homes for All 2026: Organizers)" in page
    assert "Decided by Strategy table on 10 Feb 2026: Launch Homes for All" in page
    assert f'href="{url("decision", decision_id=decision.pk)}"' in page


def test_a_task_row_missing_its_owner_is_refused_next_to_that_row(client, organizer, table):
    client.force_login(organizer)
    response = client.post(
        url("decision_new", body_id=table.pk),
        {
            "title": "Launch",
            "outcome": "adopted",
            "decided_on": "2026-02-10",
            "task_2_title": "Print flyers",
            "task_2_due_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["task_2_owner"] == [
        "Task 2: choose who will do 'Print flyers'."
    ]
    assert not Decision.objects.exists()


def test_the_owner_sees_the_task_on_their_home_page_and_marks_it_done(
    client, staff, table, users_by_role
):
    leader = users_by_role[Role.LEADER]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.record_decision(
        actor=staff,
        body=table,
        title="Launch",
        tasks=[TaskSpec("Recruit ten tenants", leader, yesterday)],
    )
    client.force_login(leader)
    home = reverse("power:dashboard", kwargs={"org": "nutmeg"})
    page = client.get(home).content.decode()
    assert "Your tasks (1, 1 overdue)" in page
    assert "Recruit ten tenants" in page and "overdue" in page
    task = table.decisions.get().tasks.get()
    response = client.post(url("task_done", task_id=task.pk), {"next": home})
    assert response.headers["Location"] == home
    after = client.get(home).content.decode()
    assert "Marked “Recruit ten tenants” done." in after and "Your tasks" not in after


def test_open_tasks_show_on_the_body_page_to_staff_and_seat_holders_only(
    client, staff, table, viewer, nutmeg
):
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    services.record_decision(
        actor=staff,
        body=table,
        title="Launch",
        tasks=[TaskSpec("Confidential: approach the landlord's lender", viewer, last_week)],
    )
    body_page = url("body", body_id=table.pk)
    client.force_login(staff.user)
    assert "approach the landlord" in client.get(body_page).content.decode()
    # A member leader who holds the tenants' seat (María's address) sees the body's tasks.
    seat_holder = make_user(nutmeg, Role.LEADER, email="maria@tenants.example")
    client.force_login(seat_holder)
    page = client.get(body_page).content.decode()
    assert "approach the landlord" in page and "overdue" in page
    # Another leader, holding no seat, reads the decision log but not the tasks.
    client.force_login(make_user(nutmeg, Role.LEADER, email="other@nutmeg.example"))
    page = client.get(body_page).content.decode()
    assert "Launch" in page and "approach the landlord" not in page
    decision_page = client.get(url("decision", decision_id=table.decisions.get().pk))
    assert "approach the landlord" not in decision_page.content.decode()


def test_an_affiliate_lead_sees_no_unvoted_decision_behind_a_campaign(
    client, staff, table, campaign, affiliate_lead
):
    decision = services.record_decision(
        actor=staff,
        body=table,
        title="Launch Homes for All",
        commitments=[CommitmentSpec(Commitment.Kind.CAMPAIGN_STARTED, campaign)],
    )
    client.force_login(affiliate_lead)
    page = client.get(
        reverse("actions:campaign", kwargs={"org": "nutmeg", "campaign_id": campaign.pk})
    )
    assert page.status_code == 200 and "Launch Homes for All" not in page.content.decode()
    assert client.get(url("decision", decision_id=decision.pk)).status_code == 404


def test_the_platform_version_of_a_demand_says_which_decision_adopted_it(
    client, staff, table, demand, viewer
):
    version = demand.plank.version
    services.record_decision(
        actor=staff,
        body=table,
        title="Adopt the People's Platform",
        decided_on=datetime.date(2026, 5, 2),
        commitments=[CommitmentSpec(Commitment.Kind.PLATFORM_VERSION, version)],
    )
    legislature.adopt_version(actor=staff, version=version)
    client.force_login(viewer)
    page = client.get(
        reverse("legislature:platform_version", kwargs={"org": "nutmeg", "version_id": version.pk})
    ).content.decode()
    assert "Cap rent rises at 3%" in page
    assert "Decided by Strategy table on 2 May 2026: Adopt the People&#x27;s Platform" in page


def test_a_body_is_added_with_its_kind_and_a_meeting_called_from_its_page(client, organizer):
    client.force_login(organizer)
    client.post(url("body_new"), {"name": "Affiliate council", "kind": "affiliate_council"})
    bodies = client.get(url("bodies")).content.decode()
    assert "Affiliate council" in bodies
    from powerbase.democracy.models import GoverningBody

    council = GoverningBody.objects.get(name="Affiliate council")
    assert council.kind == "affiliate_council"
    client.post(
        url("meeting_new", body_id=council.pk),
        {"title": "Council, June", "starts_at": "2026-06-04T18:30", "location": "Union hall"},
    )
    page = client.get(url("body", body_id=council.pk)).content.decode()
    assert "Council, June" in page and "Union hall" in page


def test_the_body_page_runs_as_many_queries_for_nine_decisions_as_for_three(
    client, staff, table, campaign, budget_line, organizer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def log(n: int) -> None:
        for number in range(n):
            services.record_decision(
                actor=staff,
                body=table,
                title=f"Decision {number}",
                commitments=[
                    CommitmentSpec(Commitment.Kind.CAMPAIGN_STARTED, campaign),
                    CommitmentSpec(Commitment.Kind.BUDGET_LINE, budget_line),
                ],
                tasks=[TaskSpec(f"Task {number}", organizer, timezone.localdate())],
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("body", body_id=table.pk)).status_code == 200
        return len(captured.captured_queries)

    client.force_login(organizer)
    log(3)
    queries()  # the first load fills per-session caches (menus)
    with_three = queries()
    log(6)
    assert queries() <= with_three


def test_commitments_added_to_a_logged_decision_are_counted_and_an_empty_form_is_refused(
    client, organizer, staff, table, campaign, budget_line
):
    decision = services.record_decision(actor=staff, body=table, title="Launch Homes for All")
    client.force_login(organizer)
    empty = client.post(url("commitment_new", decision_id=decision.pk), {}, follow=True)
    assert empty.redirect_chain == [(url("decision", decision_id=decision.pk), 302)]
    assert "Choose what the decision commits to." in empty.content.decode()
    response = client.post(
        url("commitment_new", decision_id=decision.pk),
        {"campaign_started": campaign.pk, "budget_line": budget_line.pk},
        follow=True,
    )
    assert "Recorded 2 commitments." in response.content.decode()
    assert decision.commitments.count() == 2
