"""An electorate of every member is the whole base (45,000 people in the demo): its page and
an assembly's quorum count it in the database instead of building every right one at a time
(issue 15: the electorate page took 0.57 s at p95 on PostgreSQL). The figures shown are the
ones the rights built one by one give (the reference below), in as many queries for 3N
members as for N."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from powerbase.democracy import electorates, services
from powerbase.democracy.electorates import Quorum
from powerbase.democracy.models import Assembly, Electorate
from tests.conftest import add_member


def reference_quorum(assembly: Assembly) -> Quorum:
    """Quorum as it was counted before: every right of the electorate built, then filtered."""
    rights = electorates.entries(assembly.electorate)
    attending = electorates.present_people(assembly)
    present = [e for e in rights if electorates._is_present(e, attending, assembly)]
    affiliates = {e.affiliate_id for e in present if e.affiliate_id}
    affiliates |= set(
        electorates.active_memberships(assembly.organization)
        .filter(person_id__in=[e.person_id for e in present if e.person_id])
        .values_list("affiliate_id", flat=True)
    )
    return Quorum(
        electorate_size=len(rights),
        present=len(present),
        required=electorates._required(assembly, len(rights)),
        affiliates_present=len(affiliates),
        affiliates_required=assembly.quorum_min_affiliates or 0,
    )


def more_members(nutmeg, affiliates, how_many: int) -> None:
    for n in range(how_many):
        add_member(nutmeg, affiliates[n % len(affiliates)], f"Member{n}", "Extra")


def electorate_url(electorate: Electorate) -> str:
    return reverse("democracy:electorate", kwargs={"org": "nutmeg", "electorate_id": electorate.pk})


def test_an_electorates_size_is_the_number_of_rights_its_rule_gives(
    manager, members, base, teachers_union, delegate_electorate
):
    teachers = services.create_electorate(
        actor=manager,
        name="Teachers",
        kind=Electorate.Kind.AFFILIATE_MEMBERS,
        affiliates=[teachers_union],
    )
    assert electorates.size(members) == len(electorates.entries(members)) == 8
    assert electorates.size(teachers) == len(electorates.entries(teachers)) == 3
    assert electorates.size(delegate_electorate) == len(electorates.entries(delegate_electorate))


@pytest.mark.parametrize("kind", ["members", "delegates"])
def test_quorum_counted_for_those_present_is_the_quorum_of_every_right(
    manager, members, delegate_electorate, base, kind
):
    electorate = members if kind == "members" else delegate_electorate
    assembly = services.create_assembly(
        actor=manager,
        title="Spring assembly",
        starts_at=timezone.now(),
        electorate=electorate,
        quorum=services.QuorumRule(percent=Decimal(50), min_affiliates=2),
    )
    # Two tenants and a teacher in good standing, and Hal (membership lapsed) as a guest.
    for name in ["ana", "bo", "dana"]:
        services.check_in(actor=manager, assembly=assembly, person=base[name])
    services.check_in(actor=manager, assembly=assembly, person=base["hal"], guest=True)
    counted = electorates.quorum(assembly)
    assert counted == reference_quorum(assembly)
    assert counted.present == 3 and counted.affiliates_present == 2


def test_the_electorate_page_counts_3n_members_in_as_many_queries_as_n(
    client, organizer, members, base, nutmeg, tenant_union, teachers_union
):
    client.force_login(organizer)
    client.get(electorate_url(members))  # sessions, permissions: the first load's own queries
    with CaptureQueriesContext(connection) as first:
        page = client.get(electorate_url(members)).content.decode()
    assert f"<dd>{len(electorates.entries(members))}</dd>" in page
    more_members(nutmeg, [tenant_union, teachers_union], 16)
    with CaptureQueriesContext(connection) as second:
        page = client.get(electorate_url(members)).content.decode()
    assert f"<dd>{len(electorates.entries(members))}</dd>" in page
    assert "<dd>24</dd>" in page
    assert len(second) <= len(first)
