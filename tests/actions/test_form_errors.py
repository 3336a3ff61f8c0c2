"""A refusal met while posting an actions form shows next to the field it is about."""

from django.urls import reverse


def test_a_paste_that_names_nobody_is_refused_next_to_the_paste(client, organizer, rally):
    client.force_login(organizer)
    response = client.post(
        reverse(
            "actions:rsvp_bulk", kwargs={"org": rally.organization.slug, "action_id": rally.pk}
        ),
        {"source": "paste", "pasted": ",\n;"},
    )
    form = response.context["form"]
    assert form.errors["pasted"] == [
        "Paste at least one email address, phone number or #number, one per line."
    ]
    assert response.context["plan"] is None
