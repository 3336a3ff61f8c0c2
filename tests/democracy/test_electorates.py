"""Who may vote: members in good standing, members of chosen affiliates, delegates with their
alternates and proxies, a governing body's seat holders, and affiliates as weighted blocs."""

from decimal import Decimal

import pytest

from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.democracy import electorates, services
from powerbase.democracy.models import Electorate, Eligibility


def people(rights) -> set[str]:
    return {right.person.given_name for right in rights}


def test_members_in_good_standing_are_active_members_of_member_affiliates_or_direct(
    manager, members, base
):
    rights = Eligibility.objects.filter(
        vote=services.open_vote(actor=manager, vote=_vote(manager, members))
    )
    assert people(rights) == {"María", "Ana", "Bo", "Cyrus", "Dana", "Eli", "Femi", "Gus"}
    # Hal's membership lapsed and Ida has died; neither is in good standing.


def test_an_ally_affiliates_members_are_not_in_good_standing(
    manager, members, base, teachers_union
):
    teachers_union.status = "ally"
    teachers_union.save()
    assert {p.given_name for p in electorates.members_in_good_standing(manager.organization)} == {
        "María",
        "Ana",
        "Bo",
        "Cyrus",
        "Gus",
    }


def test_members_of_chosen_affiliates(manager, base, teachers_union):
    teachers = services.create_electorate(
        actor=manager,
        name="Teachers",
        kind=Electorate.Kind.AFFILIATE_MEMBERS,
        affiliates=[teachers_union],
    )
    assert {e.person_id for e in electorates.entries(teachers)} == {
        base["dana"].pk,
        base["eli"].pk,
        base["femi"].pk,
    }


def test_members_of_chosen_affiliates_need_an_affiliate(manager):
    with pytest.raises(InvalidInput, match="Choose the affiliates"):
        services.create_electorate(
            actor=manager, name="Nobody", kind=Electorate.Kind.AFFILIATE_MEMBERS
        )


def test_delegates_vote_and_alternates_only_through_a_proxy(
    manager, delegate_electorate, delegates, base
):
    vote = _vote(manager, delegate_electorate)
    services.seat_alternate(actor=manager, vote=vote, delegate=delegates["ana"])
    opened = services.open_vote(actor=manager, vote=vote)
    rights = {
        r.person.given_name: r.holder.given_name
        for r in Eligibility.objects.filter(vote=opened).select_related("person", "holder")
    }
    # Ana is absent: Cyrus, the tenant union's alternate, casts her vote.
    assert rights == {"Ana": "Cyrus", "Bo": "Bo", "Dana": "Dana", "Eli": "Eli"}


def test_nobody_carries_two_proxies(manager, delegate_electorate, delegates, base):
    vote = _vote(manager, delegate_electorate)
    services.give_proxy(actor=manager, vote=vote, grantor=base["ana"], holder=base["cyrus"])
    with pytest.raises(Conflict, match="more than one"):
        services.give_proxy(actor=manager, vote=vote, grantor=base["bo"], holder=base["cyrus"])


def test_only_someone_with_a_vote_can_give_a_proxy(manager, delegate_electorate, delegates, base):
    vote = _vote(manager, delegate_electorate)
    with pytest.raises(InvalidInput, match="has no vote to give"):
        services.give_proxy(actor=manager, vote=vote, grantor=base["gus"], holder=base["bo"])


def test_a_governing_body_votes_through_its_seat_holders(manager, base):
    body = services.create_body(actor=manager, name="Steering committee")
    services.add_seat(actor=manager, body=body, title="Seat 1", holder=base["ana"])
    services.add_seat(actor=manager, body=body, title="Seat 2", holder=base["dana"])
    services.add_seat(actor=manager, body=body, title="Seat 3")  # vacant
    steering = services.create_electorate(
        actor=manager, name="Steering", kind=Electorate.Kind.GOVERNING_BODY, governing_body=body
    )
    assert {e.person_id for e in electorates.entries(steering)} == {base["ana"].pk, base["dana"].pk}


def test_weighted_blocs_weigh_each_affiliate_and_are_cast_by_its_first_delegate(
    manager, delegates, base, tenant_union, teachers_union
):
    blocs = services.create_electorate(
        actor=manager, name="Blocs", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    with pytest.raises(InvalidInput, match="no weight for"):
        electorates.entries(blocs)
    weights = services.weights_from_membership(actor=manager, electorate=blocs)
    assert weights == {teachers_union: Decimal(3), tenant_union: Decimal(4)}
    entries = {e.affiliate_id: e for e in electorates.entries(blocs)}
    assert entries[tenant_union.pk].weight == 4
    assert entries[tenant_union.pk].holder_id == base["ana"].pk
    assert entries[tenant_union.pk].person_id is None


def test_a_bloc_of_weight_zero_is_left_out(manager, tenant_union, teachers_union):
    blocs = services.create_electorate(
        actor=manager, name="Blocs", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    services.set_bloc_weights(
        actor=manager,
        electorate=blocs,
        weights={tenant_union: Decimal(0), teachers_union: Decimal(12)},
    )
    assert [e.affiliate_id for e in electorates.entries(blocs)] == [teachers_union.pk]


def test_a_vote_with_nobody_entitled_cannot_open(manager, tenant_union, teachers_union):
    nobody = services.create_electorate(
        actor=manager, name="Delegates", kind=Electorate.Kind.DELEGATES
    )
    with pytest.raises(InvalidInput, match="has nobody in it"):
        services.open_vote(actor=manager, vote=_vote(manager, nobody))


def _vote(manager, electorate):
    vote = services.create_vote(
        actor=manager, title="Pick a name", method="irv", electorate=electorate
    )
    for name in ["North", "South"]:
        services.add_candidate(actor=manager, vote=vote, name=name)
    return vote


def test_a_delegate_whose_record_was_merged_away_has_no_vote(
    manager, delegate_electorate, delegates, base, maria, tenant_union
):
    from powerbase.people.models import Person

    Person.objects.filter(pk=base["ana"].pk).update(merged_into=maria)
    voting = {e.person_id for e in electorates.entries(delegate_electorate)}
    assert voting == {base["bo"].pk, base["dana"].pk, base["eli"].pk}
    assert electorates.size(delegate_electorate) == 3
    # A bloc is then cast by the affiliate's next delegate.
    blocs = services.create_electorate(
        actor=manager, name="Blocs", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    services.weights_from_membership(actor=manager, electorate=blocs)
    holders = {e.affiliate_id: e.holder_id for e in electorates.entries(blocs)}
    assert holders[tenant_union.pk] == base["bo"].pk
