"""A refusal by a people service shows next to the field it is about."""

from django.urls import reverse


def test_a_second_field_of_the_same_name_is_refused_next_to_the_name(client, owner, nutmeg):
    client.force_login(owner)
    url = reverse("people:custom_fields", kwargs={"org": nutmeg.slug})
    client.post(url, {"name": "Shift", "kind": "text"})
    response = client.post(url, {"name": "Shift", "kind": "text"})
    assert "already a field called Shift" in response.context["form"].errors["name"][0]
