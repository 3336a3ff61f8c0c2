"""Problem 5 of issue #12: the voter-file link showed a home address an affiliate withholds."""

from django.urls import reverse

from powerbase.core.models import Role
from powerbase.identity import services
from tests.identity.conftest import run_job


def person_page(client, person) -> str:
    return client.get(
        reverse("people:person", kwargs={"org": person.organization.slug, "person_id": person.pk})
    ).content.decode()


def test_the_voter_link_does_not_show_an_address_the_affiliate_withholds(
    client, users_by_role, town, base, data_director, tenant_union
):
    run_job(services.start_link(actor=data_director))
    client.force_login(users_by_role[Role.ORGANIZER])
    text = person_page(client, base["maria"])  # the tenant union shares no contact details
    assert "CT000001" in text and "Registered at" in text
    assert "12 ELM ST" not in text and "06511" not in text
    assert "(not shared: an affiliate of theirs withholds their address)" in text


def test_the_voter_link_shows_the_address_once_the_affiliate_shares_it(
    client, users_by_role, town, base, data_director, tenant_union, teachers_union
):
    run_job(services.start_link(actor=data_director))
    tenant_union.share_contact = True
    tenant_union.save()
    client.force_login(users_by_role[Role.ORGANIZER])
    assert "12 ELM ST" in person_page(client, base["maria"])
