"""Every list page answers in the same number of queries for N rows as for 3N.

A page that runs a query per row is fast in a test with five rows and takes seconds with the
demo's 49,000 people; counting queries at two sizes finds it without timing anything. Each
list page below names how to add rows of what it lists; the test loads it with N rows, adds
2N more, loads it again, and fails if the second load ran more queries than the first.

A new list page belongs here (issues 15 and 16 ask for it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import services as actions
from powerbase.bargaining import services as bargaining
from powerbase.bargaining.models import ContractCampaign
from powerbase.coalition.services import create_affiliate
from powerbase.core import exports, jobs
from powerbase.core.access import command_line
from powerbase.core.models import Role
from powerbase.legislature import services as legislature
from powerbase.legislature.models import Chamber
from tests.conftest import act, add_member, make_user

N = 3
numbers = count(1)


class Rows:
    """Makes rows for the list pages in Nutmeg, and the one parent object a list may need."""

    def __init__(self, nutmeg, users_by_role, tenant_union):
        self.nutmeg, self.users, self.tenant_union = nutmeg, users_by_role, tenant_union
        self.organizer = act(users_by_role[Role.ORGANIZER], nutmeg)
        self.campaign = actions.create_campaign(actor=self.organizer, name="Rent relief now")
        self.action = self.new_action()
        self.board = legislature.create_whip_board(
            actor=self.organizer, title="Fund schools", chamber=Chamber.UPPER, needed=19
        )

    def new_action(self):
        return actions.create_action(
            actor=self.organizer,
            title=f"Rally {next(numbers)}",
            starts_at=timezone.now() + timedelta(days=7),
            campaign=self.campaign,
        )

    def person(self):
        n = next(numbers)
        return add_member(
            self.nutmeg,
            self.tenant_union,
            "Kateri",
            f"Harris{n}",
            email=f"kateri{n}@tenants.example",
            phone=f"+1203555{n:04d}",
        )

    def people(self, n):
        for _ in range(n):
            self.person()

    def rsvps(self, n):
        for _ in range(n):
            actions.record_rsvp(actor=self.organizer, action=self.action, person=self.person())

    def attendance(self, n):
        for _ in range(n):
            actions.check_in(actor=self.organizer, action=self.action, person=self.person())

    def actions(self, n):
        for _ in range(n):
            self.new_action()

    def one_on_ones(self, n):
        for _ in range(n):
            actions.log_one_on_one(
                actor=self.organizer,
                person=self.person(),
                held_on=timezone.localdate(),
                follow_up_on=timezone.localdate(),
            )

    def affiliates(self, n):
        for _ in range(n):
            create_affiliate(actor=command_line(self.nutmeg), name=f"Local {next(numbers)} Tenants")

    def members(self, n):
        for _ in range(n):
            make_user(self.nutmeg, Role.ORGANIZER, email=f"staff{next(numbers)}@nutmeg.example")

    def jobs(self, n):
        for _ in range(n):
            jobs.start(
                kind="core.selftest",
                started_by=self.users[Role.DATA],
                organization=self.nutmeg,
                enqueue=False,
            )

    def exports(self, n):
        for _ in range(n):
            exports.start(
                actor=act(self.users[Role.OWNER], self.nutmeg),
                kind="people.export",
                params={"filters": {}, "format": "csv"},
                rows=2500,
                file_name="nutmeg-people.csv",
            )

    def officials(self, n):
        for _ in range(n):
            k = next(numbers)
            official = legislature.create_official(
                actor=self.organizer,
                name=f"Senator {k}",
                given_name="Ada",
                family_name=f"Quill{k}",
                chamber=Chamber.UPPER,
                district_code=str(k),
                party="Working Families",
            )
            legislature.set_stance(
                actor=self.organizer, board=self.board, official=official, stance="undecided"
            )
            legislature.join_bloc(
                actor=self.organizer, official=official, joined_on=date(2025, 1, 8)
            )

    def units(self, n):
        for _ in range(n):
            unit = bargaining.create_unit(
                actor=self.organizer,
                affiliate=self.tenant_union,
                employer=f"Landlord {next(numbers)} LLC",
                unit_size=40,
                contract_expires_on=timezone.localdate() + timedelta(days=90),
            )
            bargaining.start_campaign(actor=self.organizer, unit=unit, name="Repairs now")

    @property
    def contract_campaign(self):
        if not hasattr(self, "_contract_campaign"):
            self.units(1)
            self._contract_campaign = ContractCampaign.objects.latest("id")
        return self._contract_campaign

    def campaign_rows(self, n):
        """Demands won, partners' actions and targets with stances on one contract campaign."""
        campaign = self.contract_campaign
        for _ in range(n):
            k = next(numbers)
            demand = bargaining.add_demand(
                actor=self.organizer, campaign=campaign, source="union", title=f"Demand {k}"
            )
            bargaining.record_outcome(actor=self.organizer, demand=demand, outcome="won")
            action = self.new_action()
            actions.record_rsvp(actor=self.organizer, action=action, person=self.person())
            bargaining.link_action(actor=self.organizer, campaign=campaign, action=action)
            target = bargaining.add_target(
                actor=self.organizer, campaign=campaign, kind="employer", name=f"Boss {k}"
            )
            bargaining.record_stance(actor=self.organizer, target=target, stance="no")


@dataclass(frozen=True)
class ListPage:
    url_name: str
    grow: Callable[[Rows, int], None]
    kwargs: Callable[[Rows], dict] = lambda rows: {}
    role: str = Role.OWNER

    def __str__(self) -> str:
        return f"{self.url_name} as {self.role}"


LIST_PAGES = [
    ListPage("people:people", Rows.people),
    ListPage("people:people", Rows.people, role=Role.AFFILIATE_LEAD),
    ListPage("actions:actions", Rows.actions),
    ListPage("actions:campaign", Rows.actions, lambda rows: {"campaign_id": rows.campaign.pk}),
    ListPage("actions:action", Rows.rsvps, lambda rows: {"action_id": rows.action.pk}),
    ListPage("actions:rsvps", Rows.rsvps, lambda rows: {"action_id": rows.action.pk}),
    ListPage("actions:check_in", Rows.attendance, lambda rows: {"action_id": rows.action.pk}),
    ListPage("actions:ladder", Rows.attendance),
    ListPage("actions:one_on_ones", Rows.one_on_ones),
    ListPage("coalition:affiliates", Rows.affiliates),
    ListPage("core:members", Rows.members),
    ListPage("core:jobs", Rows.jobs),
    ListPage("core:exports", Rows.exports),
    ListPage("core:audit_log", Rows.people),
    ListPage("legislature:officials", Rows.officials),
    ListPage("legislature:whip_board", Rows.officials, lambda rows: {"board_id": rows.board.pk}),
    ListPage("bargaining:overview", Rows.units),
    ListPage("bargaining:overview", Rows.units, role=Role.AFFILIATE_LEAD),
    ListPage("bargaining:calendar", Rows.units),
    ListPage("bargaining:wins", Rows.campaign_rows),
    ListPage(
        "bargaining:campaign",
        Rows.campaign_rows,
        lambda rows: {"campaign_id": rows.contract_campaign.pk},
    ),
]


def queries_to_load(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", LIST_PAGES, ids=str)
def test_a_list_page_runs_as_many_queries_for_3n_rows_as_for_n(
    client, nutmeg, users_by_role, tenant_union, page
):
    rows = Rows(nutmeg, users_by_role, tenant_union)
    page.grow(rows, N)
    url = reverse(page.url_name, kwargs={"org": nutmeg.slug, **page.kwargs(rows)})
    client.force_login(users_by_role[page.role])
    queries_to_load(client, url)  # the first load fills per-session caches (menus, terms)
    with_n = queries_to_load(client, url)
    page.grow(rows, 2 * N)
    # The first load after a change of the base counts the whole base's figures again and keeps
    # them (identity.base.kept: writes to the cache); a query per row shows on every load.
    queries_to_load(client, url)
    with_3n = queries_to_load(client, url)
    assert with_3n <= with_n, (
        f"{page}: {with_n} queries with {N} rows, {with_3n} with {3 * N}: a query per row"
    )
