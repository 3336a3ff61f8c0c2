"""Fixtures for the democracy app: a small fictional base, electorates and votes.

Nutmeg's base here: four tenant-union members, three teachers, one direct member of the IPO,
plus a teacher whose membership lapsed and a deceased tenant (neither in good standing).
"""

import pytest

from powerbase.coalition.models import AffiliateMembership
from powerbase.democracy import services
from powerbase.democracy.models import Delegate, Electorate
from powerbase.people.models import Person
from tests.conftest import act, add_member


@pytest.fixture
def manager(organizer, nutmeg):
    """The organizer acting in Nutmeg: may manage votes."""
    return act(organizer, nutmeg)


@pytest.fixture
def base(nutmeg, tenant_union, teachers_union, maria):
    """Everyone in Nutmeg's fictional base, by first name."""
    people = {"maria": maria}
    for given, family in [("Ana", "Reyes"), ("Bo", "Lindgren"), ("Cyrus", "Oyelaran")]:
        people[given.lower()] = add_member(
            nutmeg, tenant_union, given, family, email=f"{given.lower()}@tenants.example"
        )
    for given, family in [("Dana", "Whitfield"), ("Eli", "Marchetti"), ("Femi", "Adebayo")]:
        people[given.lower()] = add_member(
            nutmeg, teachers_union, given, family, email=f"{given.lower()}@teachers.example"
        )
    people["gus"] = add_member(
        nutmeg, None, "Gus", "Halvorsen", direct=True, email="gus@nutmeg.example"
    )
    lapsed = add_member(nutmeg, teachers_union, "Hal", "Lapsed")
    AffiliateMembership.objects.filter(person=lapsed).update(status="lapsed")
    people["hal"] = lapsed
    people["ida"] = add_member(nutmeg, tenant_union, "Ida", "Gone", status=Person.Status.DECEASED)
    return people


@pytest.fixture
def members(manager, base) -> Electorate:
    return services.create_electorate(
        actor=manager, name="All members", kind=Electorate.Kind.MEMBERS
    )


@pytest.fixture
def delegates(manager, base, tenant_union, teachers_union) -> dict:
    """Two delegates and an alternate per union."""
    appointed = {}
    for affiliate, names in [
        (tenant_union, ["ana", "bo", "cyrus"]),
        (teachers_union, ["dana", "eli", "femi"]),
    ]:
        for order, name in enumerate(names[:2], start=1):
            appointed[name] = services.appoint_delegate(
                actor=manager, affiliate=affiliate, person=base[name], order=order
            )
        appointed[names[2]] = services.appoint_delegate(
            actor=manager, affiliate=affiliate, person=base[names[2]], role=Delegate.Role.ALTERNATE
        )
    return appointed


@pytest.fixture
def delegate_electorate(manager, delegates) -> Electorate:
    return services.create_electorate(
        actor=manager, name="Delegates", kind=Electorate.Kind.DELEGATES
    )


@pytest.fixture
def election(manager, members):
    """A draft IRV election of a campaign name by all members, three choices."""
    vote = services.create_vote(
        actor=manager, title="Name the 2027 campaign", method="irv", electorate=members
    )
    for name in ["Homes for All", "Fair Share", "Our Towns"]:
        services.add_candidate(actor=manager, vote=vote, name=name)
    return vote


@pytest.fixture
def assembly_vote(manager, delegate_electorate, base):
    """An in-person IRV vote at an assembly of the four delegates (Ana, Bo, Dana, Eli), open,
    with Ana, Bo and Dana checked in and Eli absent."""
    from django.utils import timezone

    assembly = services.create_assembly(
        actor=manager,
        title="Spring delegates assembly",
        starts_at=timezone.now(),
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=2),
    )
    for name in ["ana", "bo", "dana"]:
        services.check_in(actor=manager, assembly=assembly, person=base[name])
    vote = services.create_vote(
        actor=manager,
        title="Chair of the assembly",
        method="irv",
        electorate=delegate_electorate,
        assembly=assembly,
    )
    for name in ["Ana Reyes", "Dana Whitfield", "Bo Lindgren"]:
        services.add_candidate(actor=manager, vote=vote, name=name)
    return services.open_vote(actor=manager, vote=vote)


def voter_codes(manager, vote) -> dict[str, str]:
    """Open *vote* if needed and return first name (or affiliate name) -> that voter's code.

    Stands in for each voter's mailbox: these are the tokens of the emailed links, bound to the
    voter's right. Printed slips at an assembly are anonymous; see `test_assemblies.py`.
    """
    vote.refresh_from_db()
    if vote.status == vote.Status.DRAFT:
        vote = services.open_vote(actor=manager, vote=vote)
    issued = {}
    for right in vote.eligibilities.filter(participation__isnull=True).select_related(
        "person", "affiliate"
    ):
        name = right.person.given_name.lower() if right.person else right.affiliate.name
        issued[name] = services.mint_link(vote, right)
    return issued


def printed_slips(manager, vote) -> list[str]:
    """Print the anonymous slips of an open in-person vote for everyone checked in."""
    return [code for code, _weight in services.issue_printed_codes(actor=manager, vote=vote).codes]


# Other apps' tests still import the helper under its first name.
printed_codes = voter_codes
