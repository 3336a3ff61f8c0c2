"""People: finding them, editing them safely, and what each role may see."""

import pytest
from django.urls import reverse

from powerbase.core import access
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.models import AuditEntry
from powerbase.people import queries, services
from powerbase.people.models import Person, PersonChange
from powerbase.people.names import name_key
from tests.conftest import act, add_member


def names(found) -> list[str]:
    return sorted(person.display_name for person in found)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("José  O'Brien-Díaz", "jose obrien diaz"),
        ("  MARÍA ", "maria"),
        ("Nguyễn", "nguyen"),
        ("", ""),
    ],
)
def test_name_keys_ignore_case_accents_and_punctuation(raw, key):
    assert name_key(raw) == key


def test_search_finds_people_by_the_start_of_any_name(owner, nutmeg, maria, walter):
    actor = act(owner, nutmeg)
    assert names(queries.search(actor, queries.PeopleFilter(query="mar"))) == ["María Gonzalez"]
    assert names(queries.search(actor, queries.PeopleFilter(query="gonz"))) == ["María Gonzalez"]
    assert names(queries.search(actor, queries.PeopleFilter(query="okonkwo"))) == [
        "Walter Okonkwo-Hill"
    ]
    assert names(queries.search(actor, queries.PeopleFilter(query="hill"))) == []


def test_search_with_two_words_matches_each_name_part(owner, nutmeg, tenant_union):
    add_member(nutmeg, tenant_union, "Maria Elena", "Gonzalez")
    add_member(nutmeg, tenant_union, "Mario", "Gomez")
    actor = act(owner, nutmeg)
    assert names(queries.search(actor, queries.PeopleFilter(query="maria gon"))) == [
        "Maria Elena Gonzalez"
    ]


def test_search_by_email_and_by_the_last_digits_of_a_phone(owner, nutmeg, walter):
    actor = act(owner, nutmeg)
    by_email = queries.search(actor, queries.PeopleFilter(query="WALTER@teachers.example"))
    assert names(by_email) == ["Walter Okonkwo-Hill"]
    assert names(queries.search(actor, queries.PeopleFilter(query="0188"))) == [
        "Walter Okonkwo-Hill"
    ]
    assert names(queries.search(actor, queries.PeopleFilter(query="(860) 555-0188"))) == [
        "Walter Okonkwo-Hill"
    ]


def test_searching_an_unshared_email_does_not_reveal_who_it_belongs_to(owner, nutmeg, maria):
    """The tenant union does not share contact details, so its members' emails are not keys."""
    found = queries.search(act(owner, nutmeg), queries.PeopleFilter(query="maria@tenants.example"))
    assert list(found) == []


def test_an_affiliate_lead_finds_only_their_own_members(affiliate_lead, nutmeg, maria, walter):
    actor = act(affiliate_lead, nutmeg)
    assert names(queries.people(actor)) == ["María Gonzalez"]
    assert names(queries.search(actor, queries.PeopleFilter(query="maria@tenants.example"))) == [
        "María Gonzalez"
    ]
    with pytest.raises(NotFound):
        queries.person_page(actor, walter.pk)


def test_a_person_in_two_affiliates_is_each_ones_member(
    owner, affiliate_lead, nutmeg, maria, teachers_union
):
    from powerbase.coalition.services import grant_affiliate
    from powerbase.core.models import Membership, Role
    from tests.conftest import make_user

    services.join_affiliate(actor=act(owner, nutmeg), person=maria, affiliate=teachers_union)
    teachers_lead = make_user(nutmeg, Role.AFFILIATE_LEAD, email="lead@teachers.example")
    grant_affiliate(
        membership=Membership.objects.get(user=teachers_lead),
        affiliate=teachers_union,
        granted_by=access.command_line(nutmeg),
    )
    for lead in (affiliate_lead, teachers_lead):
        assert names(queries.people(act(lead, nutmeg))) == ["María Gonzalez"]


def test_filters_narrow_by_affiliate_and_tag(owner, nutmeg, maria, walter, teachers_union):
    actor = act(owner, nutmeg)
    services.tag_person(actor=actor, person=maria, name="building captain")
    tag = maria.tags.get().tag
    assert names(queries.search(actor, queries.PeopleFilter(affiliate=teachers_union.pk))) == [
        "Walter Okonkwo-Hill"
    ]
    assert names(queries.search(actor, queries.PeopleFilter(tag=tag.pk))) == ["María Gonzalez"]


def test_the_second_of_two_saves_from_the_same_version_is_refused(owner, admin, nutmeg, walter):
    version = walter.version
    services.update_person(
        actor=act(owner, nutmeg), person=walter, changes={"preferred_name": "Walt"}, version=version
    )
    with pytest.raises(Conflict, match="Someone else saved changes"):
        services.update_person(
            actor=act(admin, nutmeg),
            person=walter,
            changes={"preferred_name": "Wally"},
            version=version,
        )
    assert Person.objects.get(pk=walter.pk).preferred_name == "Walt"


def test_an_edit_is_in_the_history_and_the_audit_log_without_sensitive_values(
    owner, nutmeg, walter
):
    services.update_person(
        actor=act(owner, nutmeg),
        person=walter,
        changes={"preferred_name": "Walt", "gender_identity": "nonbinary"},
        version=walter.version,
    )
    change = PersonChange.objects.filter(person=walter, field="preferred_name").get()
    assert (change.old_value, change.new_value) == ("", "Walt")
    entry = AuditEntry.objects.filter(action="person.updated").get()
    assert entry.changes == {"preferred_name": ["", "Walt"], "gender_identity": "changed"}


def test_an_organizer_may_not_record_demographics(organizer, nutmeg, walter):
    with pytest.raises(InvalidInput, match="may not record demographics"):
        services.update_person(
            actor=act(organizer, nutmeg),
            person=walter,
            changes={"gender_identity": "man"},
            version=walter.version,
        )


def test_an_affiliate_lead_must_add_a_person_to_one_of_their_affiliates(
    affiliate_lead, nutmeg, tenant_union, teachers_union
):
    actor = act(affiliate_lead, nutmeg)
    details = services.PersonDetails(given_name="Rosa", family_name="Parks-Lee")
    with pytest.raises(InvalidInput, match="your affiliates"):
        services.create_person(actor=actor, details=details)
    with pytest.raises(InvalidInput, match="your affiliates"):
        services.create_person(actor=actor, details=details, affiliate=teachers_union)
    person = services.create_person(actor=actor, details=details, affiliate=tenant_union)
    assert not person.is_direct_member
    assert names(queries.people(actor)) == ["Rosa Parks-Lee"]


def test_the_person_page_shows_where_each_fact_came_from(client, owner, nutmeg, walter):
    services.add_note(actor=act(owner, nutmeg), person=walter, body="Wants to lead a team.")
    client.force_login(owner)
    page = client.get(reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": walter.pk}))
    assert b"from Educators Local 12 roster" in page.content
    assert b"Wants to lead a team." in page.content
    assert b"Entered by owner@nutmeg.example" in page.content


def test_a_note_entered_from_the_command_line_names_it_as_the_source(nutmeg, walter):
    # The command line acts with no signed-in user: its source says who it was instead.
    note = services.add_note(
        actor=access.command_line(nutmeg), person=walter, body="Called back about the rally."
    )
    assert note.source.label == "Entered by command line"


def test_a_sensitive_note_is_hidden_from_roles_without_sensitive_access(
    client, owner, organizer, nutmeg, walter
):
    services.add_note(
        actor=act(owner, nutmeg), person=walter, body="DACA renewal due in May.", is_sensitive=True
    )
    url = reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": walter.pk})
    client.force_login(owner)
    assert b"DACA renewal" in client.get(url).content
    client.force_login(organizer)
    assert b"DACA renewal" not in client.get(url).content


def test_editing_through_the_page_keeps_the_version_and_reports_a_conflict(
    client, owner, nutmeg, walter
):
    client.force_login(owner)
    url = reverse("people:person_edit", kwargs={"org": nutmeg.slug, "person_id": walter.pk})
    form = client.get(url).context["form"]
    stale = {
        **form.initial,
        "given_name": "Walter",
        "family_name": "Okonkwo-Hill",
        "preferred_name": "Walt",
        "status": "active",
        "languages": "",
    }
    stale = {key: value for key, value in stale.items() if value is not None}
    stale.pop("race_ethnicity", None)
    Person.objects.filter(pk=walter.pk).update(version=walter.version + 1)
    response = client.post(url, stale)
    assert response.status_code == 200
    assert b"Someone else saved changes" in response.content


def test_the_people_page_costs_a_fixed_number_of_queries(
    client, owner, nutmeg, tenant_union, django_assert_max_num_queries
):
    for number in range(60):
        add_member(nutmeg, tenant_union, f"Person{number}", "Fictional")
    client.force_login(owner)
    # 14, plus the list-pace counter in the cache table (up to 6 on a minute's first page),
    # the memberships the actor may name (one prefetch) and the phones and addresses that tell
    # people of one name apart (two prefetches, people.labels).
    with django_assert_max_num_queries(23):
        response = client.get(reverse("people:people", kwargs={"org": nutmeg.slug}))
    assert response.context["page"].paginator.count == 60


def test_live_search_answers_with_just_the_results(client, owner, nutmeg, maria):
    client.force_login(owner)
    response = client.get(
        reverse("people:people", kwargs={"org": nutmeg.slug}),
        {"q": "mar"},
        headers={"HX-Request": "true"},
    )
    assert "María Gonzalez" in response.content.decode()
    assert b"<html" not in response.content
