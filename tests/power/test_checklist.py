"""A new organization's front page: a first-run checklist ticked from real data."""

from datetime import UTC, datetime

from django.urls import reverse

from powerbase.actions import services as actions
from powerbase.core import services
from powerbase.core.models import Role
from tests.conftest import act, make_user


def test_a_new_organization_gets_a_checklist_that_ticks_itself(client, db):
    harbor = services.create_organization(
        name="Harbor For All", slug="harbor", state="RI", require_two_factor=False
    )
    owner = make_user(harbor, Role.OWNER)
    client.force_login(owner)
    home = reverse("power:dashboard", kwargs={"org": "harbor"})
    page = client.get(home).content.decode()
    assert "Getting started: 0 of 4 done" in page
    for name in ("imports:imports", "voterfile:import", "core:member_add", "actions:action_new"):
        assert f'href="{reverse(name, kwargs={"org": "harbor"})}"' in page

    actions.create_action(
        actor=act(owner, harbor),
        title="First meeting",
        starts_at=datetime(2027, 1, 9, 18, tzinfo=UTC),
    )
    page = client.get(home).content.decode()
    assert "Getting started: 1 of 4 done" in page
    assert (
        reverse("actions:action_new", kwargs={"org": "harbor"})
        not in page.split("checklist-title")[1].split("</section>")[0]
    )

    make_user(harbor, Role.ORGANIZER)
    assert "Getting started: 2 of 4 done" in client.get(home).content.decode()


def test_an_organization_with_everything_done_shows_no_checklist(
    client, owner, nutmeg, linked_base
):
    from powerbase.imports.models import ImportBatch

    actions.create_action(
        actor=act(owner, nutmeg), title="Meeting", starts_at=datetime(2027, 1, 9, 18, tzinfo=UTC)
    )
    assert ImportBatch.objects.filter(organization=nutmeg).count() == 0
    client.force_login(owner)
    home = reverse("power:dashboard", kwargs={"org": "nutmeg"})
    assert "Getting started: 3 of 4 done" in client.get(home).content.decode()
    ImportBatch.objects.create(
        organization=nutmeg, file_name="roster.csv", size=10, status=ImportBatch.Status.COMMITTED
    )
    assert "Getting started" not in client.get(home).content.decode()
