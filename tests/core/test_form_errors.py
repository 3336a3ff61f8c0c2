"""A refusal by a core service shows next to the field it is about, on the page that posted."""

from django.urls import reverse


def test_a_ballot_line_no_result_could_hold_is_refused_next_to_that_field(client, owner, nutmeg):
    client.force_login(owner)
    response = client.post(
        reverse("core:settings", kwargs={"org": nutmeg.slug}),
        {"name": "Nutmeg For All", "ballot_line": "W!P"},
    )
    form = response.context["form"]
    assert "is not a ballot line" in form.errors["ballot_line"][0]
    assert not form.non_field_errors()


def test_inviting_someone_who_already_has_a_role_is_refused_next_to_their_email(
    client, admin, organizer, nutmeg
):
    client.force_login(admin)
    response = client.post(
        reverse("core:member_add", kwargs={"org": nutmeg.slug}),
        {"email": organizer.email, "name": "", "role": "viewer"},
    )
    assert "already has a role" in response.context["form"].errors["email"][0]


def test_an_admin_naming_an_owner_is_refused_next_to_the_role(client, admin, nutmeg):
    client.force_login(admin)
    response = client.post(
        reverse("core:member_add", kwargs={"org": nutmeg.slug}),
        {"email": "new.owner@example.org", "name": "", "role": "owner"},
    )
    assert "does not allow this" in response.context["form"].errors["role"][0]
