"""People told apart wherever they are chosen, type-ahead pickers, and RSVPs in bulk."""

from datetime import date

import pytest
from django.urls import reverse

from powerbase.actions import services
from powerbase.actions.models import Commitment, Rsvp
from powerbase.coalition.models import AffiliateMembership
from powerbase.core.models import AuditEntry
from powerbase.people.labels import labelled
from powerbase.people.models import PostalAddress, SavedList
from tests.conftest import add_member


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"org": "nutmeg", **kwargs})


def live_in(person, city: str) -> None:
    PostalAddress.objects.create(
        organization=person.organization,
        person=person,
        source=person.source,
        original=f"1 Main St, {city}",
        line1="1 Main St",
        city=city,
        state="CT",
        is_normalized=True,
    )


@pytest.fixture
def two_katharines(nutmeg, tenant_union, teachers_union):
    """Two people named Kateri Harris: a tenant (whose union withholds contact details) and a
    teacher (whose union shares them)."""
    teachers_union.share_contact = True
    teachers_union.save()
    tenant = add_member(
        nutmeg, tenant_union, "Kateri", "Harris", phone="+12035550101", birth_date=date(1990, 5, 1)
    )
    teacher = add_member(
        nutmeg,
        teachers_union,
        "Kateri",
        "Harris",
        phone="+18605550177",
        birth_date=date(1961, 2, 3),
    )
    live_in(tenant, "New Haven")
    live_in(teacher, "Hartford")
    return tenant, teacher


def test_a_label_tells_people_of_one_name_apart_as_far_as_the_viewer_may_see(
    organizing, leading_affiliate, two_katharines
):
    tenant, teacher = two_katharines
    by_staff = {p.pk: p.label for p in labelled(organizing, [tenant, teacher])}
    assert by_staff[teacher.pk].details[:2] == [f"#{teacher.pk}", "Educators Local 12"]
    assert "Hartford" in by_staff[teacher.pk].details
    assert "phone …0177" in by_staff[teacher.pk].details
    # The tenant union withholds contact details from the IPO: no city, no phone digits.
    assert by_staff[tenant.pk].city == "" and by_staff[tenant.pk].phone_last4 == ""
    assert by_staff[tenant.pk].affiliates == ("Quinnipiac Tenants Union",)
    assert by_staff[tenant.pk].age is not None and by_staff[tenant.pk].age > 30
    # The tenant union's own lead sees what the union provided.
    by_lead = labelled(leading_affiliate, [tenant])[0].label
    assert (by_lead.city, by_lead.phone_last4) == ("New Haven", "0101")


def test_a_member_leader_at_the_door_sees_only_the_numbers_of_people_they_cannot_open(
    leading, two_katharines
):
    tenant, teacher = two_katharines
    labels = [p.label for p in labelled(leading, [tenant, teacher])]
    assert [label.details for label in labels] == [[f"#{tenant.pk}"], [f"#{teacher.pk}"]]


def test_the_door_search_labels_each_kateri_harris_in_few_queries(
    client, organizer, rally, two_katharines, django_assert_max_num_queries
):
    tenant, teacher = two_katharines
    client.force_login(organizer)
    # Each search counts toward the role's pace (core/limits.py): a few queries of the cache.
    with django_assert_max_num_queries(20):
        page = client.get(
            url("actions:check_in", action_id=rally.pk),
            {"q": "kateri"},
            headers={"HX-Request": "true"},
        ).content.decode()
    assert f"Check in Kateri Harris (#{tenant.pk}, Quinnipiac Tenants Union" in page
    assert f"Check in Kateri Harris (#{teacher.pk}, Educators Local 12, Hartford" in page
    assert "0101" not in page  # the tenant union withholds its members' phones


def test_the_leader_picker_offers_only_leaders_the_actor_may_credit(
    client, organizer, rosa, maria, django_assert_max_num_queries
):
    client.force_login(organizer)
    # Each search counts toward the role's pace (core/limits.py): a few queries of the cache.
    with django_assert_max_num_queries(17):
        answer = client.get(url("actions:leader_pick"), {"q": "r"}).content.decode()
    assert "Type at least two letters" in answer
    with django_assert_max_num_queries(17):
        answer = client.get(url("actions:leader_pick"), {"q": "rosa"}).content.decode()
    assert f'data-value="{rosa.pk}"' in answer and "Rosa Quintero" in answer
    answer = client.get(url("actions:leader_pick"), {"q": "maria"}).content.decode()
    assert "Nobody matches" in answer  # María is a member, not a leader


def test_the_person_picker_finds_by_name_or_number_within_the_viewers_reach(
    client, organizer, affiliate_lead, maria, walter, django_assert_max_num_queries
):
    client.force_login(organizer)
    # Each search counts toward the role's pace (core/limits.py): a few queries of the cache.
    with django_assert_max_num_queries(17):
        answer = client.get(url("people:pick"), {"q": f"#{walter.pk}"}).content.decode()
    assert f'data-value="{walter.pk}"' in answer and "Walter Okonkwo-Hill" in answer
    typed_elsewhere = client.get(url("people:pick"), {"field": "person", "person": "walt"})
    assert f'data-value="{walter.pk}"' in typed_elsewhere.content.decode()
    client.force_login(affiliate_lead)  # the tenant union's lead: Walter is a teacher
    assert "Nobody matches" in client.get(url("people:pick"), {"q": "walter"}).content.decode()


def test_a_leader_chosen_in_the_picker_commits(client, organizer, rally, rosa):
    client.force_login(organizer)
    client.post(url("actions:commit", action_id=rally.pk), {"leader": rosa.pk, "number": "8"})
    assert Commitment.objects.get(action=rally).leader == rosa
    page = client.get(url("actions:action", action_id=rally.pk)).content.decode()
    assert f"#{rosa.pk}" in page and "Save commitment" in page
    assert "<option" not in page.split("Or a leader")[1].split("</form>")[0]


def test_someone_who_is_not_a_leader_cannot_be_made_to_commit(client, organizer, rally, maria):
    client.force_login(organizer)
    response = client.post(
        url("actions:commit", action_id=rally.pk), {"leader": maria.pk, "number": "8"}
    )
    assert response.status_code == 404 and not Commitment.objects.exists()


def test_the_rsvp_page_has_one_brought_by_picker_not_a_select_per_result(
    client, organizer, rally, rosa, two_katharines, django_assert_max_num_queries
):
    client.force_login(organizer)
    # Each search counts toward the role's pace (core/limits.py): a few queries of the cache.
    with django_assert_max_num_queries(18):
        results = client.get(
            url("actions:rsvps", action_id=rally.pk),
            {"q": "kateri"},
            headers={"HX-Request": "true"},
        ).content.decode()
    assert results.count('name="person"') == 2 and "<select" not in results
    page = client.get(url("actions:rsvps", action_id=rally.pk)).content.decode()
    assert page.count('name="recruited_by"') == 1 and "<select" not in page


def test_brought_by_must_be_a_leader_the_actor_may_credit(client, organizer, rally, maria, walter):
    client.force_login(organizer)
    response = client.post(
        url("actions:rsvp_add", action_id=rally.pk),
        {"person": maria.pk, "recruited_by": walter.pk},
        follow=True,
    )
    assert "must be a leader" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_paste_with_a_line_that_names_nobody_signs_up_nobody(
    client, organizer, rally, maria, walter
):
    client.force_login(organizer)
    pasted = f"walter@teachers.example\n\n#{maria.pk}\nnobody@example.org\nnot a phone\n"
    response = client.post(
        url("actions:rsvp_bulk", action_id=rally.pk),
        {"source": "paste", "pasted": pasted, "confirm": "1"},
    )
    page = response.content.decode()
    assert "Line 4: “nobody@example.org” matches nobody you can see" in page
    assert "Line 5: “not a phone” is not an email address, a phone number or a #number" in page
    assert "Nothing was signed up" in page and not Rsvp.objects.exists()


def test_a_pasted_list_is_previewed_then_signed_up_and_audited(
    client, organizer, rally, maria, walter
):
    client.force_login(organizer)
    pasted = f"(860) 555-0188\n#{maria.pk}\nWALTER@teachers.example\n"
    preview = client.post(
        url("actions:rsvp_bulk", action_id=rally.pk), {"source": "paste", "pasted": pasted}
    ).content.decode()
    assert "Sign up 2" in preview and f"#{walter.pk}" in preview and not Rsvp.objects.exists()
    client.post(
        url("actions:rsvp_bulk", action_id=rally.pk),
        {"source": "paste", "pasted": pasted, "confirm": "1"},
    )
    assert set(Rsvp.objects.values_list("person_id", flat=True)) == {maria.pk, walter.pk}
    assert AuditEntry.objects.filter(action="rsvp.created").count() == 2
    assert AuditEntry.objects.filter(action="rsvp.bulk_created").count() == 1


def test_a_phone_the_viewer_may_not_see_does_not_find_its_owner(client, organizer, rally, maria):
    client.force_login(organizer)  # the tenant union withholds María's phone from the IPO
    page = client.post(
        url("actions:rsvp_bulk", action_id=rally.pk), {"source": "paste", "pasted": "203-555-0123"}
    ).content.decode()
    assert "Line 1: “203-555-0123” matches nobody you can see" in page


def test_an_affiliates_members_are_signed_up_and_counted_for_it(
    client, organizer, organizing, rally, tenant_union, maria, rosa
):
    services.record_rsvp(actor=organizing, action=rally, person=rosa)
    client.force_login(organizer)
    response = client.post(
        url("actions:rsvp_bulk", action_id=rally.pk),
        {"source": "affiliate", "affiliate": tenant_union.pk, "confirm": "1"},
        follow=True,
    )
    assert (
        "Signed up 1 from the members of Quinnipiac Tenants Union; 1 had already"
        in response.content.decode()
    )
    assert Rsvp.objects.get(person=maria).credited_affiliate == tenant_union


def test_everyone_on_a_saved_list_is_signed_up(
    client, organizer, nutmeg, rally, tenant_union, maria, rosa, walter
):
    stewards = SavedList.objects.create(
        organization=nutmeg,
        name="Stewards",
        filters={"affiliate": str(tenant_union.pk), "role": AffiliateMembership.Role.LEADER},
    )
    client.force_login(organizer)
    client.post(
        url("actions:rsvp_bulk", action_id=rally.pk),
        {"source": "list", "saved_list": stewards.pk, "confirm": "1"},
    )
    assert list(Rsvp.objects.values_list("person_id", flat=True)) == [rosa.pk]


def test_the_people_list_tells_same_named_people_apart(client, owner, two_katharines):
    tenant, teacher = two_katharines
    client.force_login(owner)
    page = client.get(url("people:people"), {"q": "kateri"}).content.decode()
    assert f"#{tenant.pk}" in page and f"#{teacher.pk}" in page and "Hartford" in page


def test_the_picker_search_understands_a_persons_number(organizing, maria):
    from powerbase.people import queries as people_queries

    found = people_queries.to_choose_from(
        organizing, people_queries.people(organizing), f"# {maria.pk}"
    )
    assert [p.pk for p in found] == [maria.pk]
