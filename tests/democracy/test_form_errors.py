"""A refusal by a democracy service shows next to the field it is about."""

from django.urls import reverse


def test_a_delegate_nobody_is_called_is_refused_next_to_the_person(
    client, organizer, nutmeg, tenant_union
):
    client.force_login(organizer)
    response = client.post(
        reverse("democracy:delegate_new", kwargs={"org": nutmeg.slug}),
        {"affiliate": tenant_union.pk, "person": "Zyxwv", "role": "delegate", "order": 1},
    )
    form = response.context["form"]
    assert form.errors["person"] == ["Nobody's name starts with 'Zyxwv'. Check the spelling."]
    assert not form.non_field_errors()
