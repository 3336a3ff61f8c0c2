"""A refusal by an electoral service shows next to the field it is about."""

from django.urls import reverse


def test_a_second_election_of_the_same_name_is_refused_next_to_the_name(
    client, organizer, nutmeg, primary_2024
):
    client.force_login(organizer)
    response = client.post(
        reverse("electoral:election_new", kwargs={"org": nutmeg.slug}),
        {"name": primary_2024.name, "date": "2024-08-13", "kind": primary_2024.kind},
    )
    assert "already an election called" in response.context["form"].errors["name"][0]
