"""The strategy-table demo: a year of decisions that started the demo's campaign and funded
it, with tasks for the demo's users (some overdue), loaded once through services."""

import datetime

from powerbase.actions import services as actions
from powerbase.core import access
from powerbase.core.models import Role
from powerbase.demo.actions import DEMO_CAMPAIGN
from powerbase.demo.strategy import TABLE, load_strategy_demo
from powerbase.democracy.models import GoverningBody
from powerbase.strategy import queries
from tests.conftest import act, add_member, make_user

TODAY = datetime.date(2026, 12, 7)


def test_the_demo_table_started_and_funded_the_campaign_and_left_tasks_overdue(
    nutmeg, tenant_union, teachers_union
):
    add_member(nutmeg, tenant_union, "Tenant", "Fictional")
    organizer = make_user(nutmeg, Role.ORGANIZER, email="organizer@nutmeg.example")
    make_user(nutmeg, Role.LEADER, email="leader@nutmeg.example")
    make_user(nutmeg, Role.ADMIN, email="admin@nutmeg.example")
    campaign = actions.create_campaign(
        actor=access.system(nutmeg),
        name=DEMO_CAMPAIGN,
        starts_on=TODAY - datetime.timedelta(weeks=11),
    )
    loaded = load_strategy_demo(nutmeg, today=TODAY)
    assert loaded["decisions"] == 7 and loaded["overdue"] == 2
    assert load_strategy_demo(nutmeg, today=TODAY) == {"status": "already loaded"}

    table = GoverningBody.objects.get(organization=nutmeg, name=TABLE)
    first, *_, last = table.decisions.order_by("decided_on")
    assert (TODAY - first.decided_on).days == 360 and last.decided_on < TODAY
    assert table.meetings.count() == 13
    assert table.seats.filter(term_ends=datetime.date(2027, 12, 31)).count() == 2

    rosa = act(organizer, nutmeg)
    why = [(a.did, a.decision.title) for a in queries.decided_by(rosa, campaign)]
    assert why == [
        ("Started", "Launch the Freeze the Rent campaign"),
        ("Funded (Freeze the Rent campaign 2026: Organizers)", "Fund the Freeze the Rent campaign"),
    ]
    mine = queries.my_tasks(rosa)
    assert [task.title for task in mine.open] == ["Book buses from every affiliate"]
    assert mine.overdue == 1
