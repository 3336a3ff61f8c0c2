"""Many people added at once, and a member's role in their affiliate."""

import pytest

from powerbase.coalition.models import AffiliateMembership
from powerbase.core.exceptions import InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.people import services
from powerbase.people.models import Person, PersonChange, Source
from tests.conftest import act


@pytest.fixture
def demo_source(nutmeg, tenant_union):
    return services.create_source(
        organization=nutmeg,
        kind=Source.Kind.DEMO,
        label="Members (fictional)",
        affiliate=tenant_union,
    )


def test_people_added_in_bulk_join_the_affiliate_with_their_history_and_one_audit_entry(
    owner, nutmeg, tenant_union, demo_source
):
    added = services.create_people_in_bulk(
        actor=act(owner, nutmeg),
        people=[
            services.PersonDetails(given_name="Ana", family_name="Price"),
            services.PersonDetails(given_name="Tom", family_name="Chen"),
        ],
        affiliate=tenant_union,
        source=demo_source,
    )
    assert [p.display_name for p in added] == ["Ana Price", "Tom Chen"]
    assert AffiliateMembership.objects.filter(affiliate=tenant_union).count() == 2
    assert not any(p.is_direct_member for p in added)
    assert Person.objects.get(pk=added[0].pk).family_key == "price"
    assert PersonChange.objects.filter(person=added[0]).count() == 2  # created, joined
    assert AuditEntry.objects.filter(action="person.bulk_created").count() == 1


def test_a_nameless_person_stops_the_whole_batch(owner, nutmeg, demo_source):
    with pytest.raises(InvalidInput, match="Person 2 needs"):
        services.create_people_in_bulk(
            actor=act(owner, nutmeg),
            people=[services.PersonDetails(given_name="Ana"), services.PersonDetails()],
            source=demo_source,
        )
    assert not Person.objects.exists()


def test_a_viewer_may_not_add_people_in_bulk(viewer, nutmeg, demo_source):
    with pytest.raises(PermissionDenied):
        services.create_people_in_bulk(
            actor=act(viewer, nutmeg),
            people=[services.PersonDetails(given_name="Ana")],
            source=demo_source,
        )


def test_making_a_member_a_leader_is_kept_in_their_history(owner, nutmeg, maria):
    membership = AffiliateMembership.objects.get(person=maria)
    services.set_affiliate_role(
        actor=act(owner, nutmeg), membership=membership, role=AffiliateMembership.Role.LEADER
    )
    assert AffiliateMembership.objects.get(pk=membership.pk).role == "leader"
    change = PersonChange.objects.get(person=maria, field__startswith="role in")
    assert (change.old_value, change.new_value) == ("member", "leader")
    with pytest.raises(InvalidInput, match="not one of"):
        services.set_affiliate_role(actor=act(owner, nutmeg), membership=membership, role="boss")
