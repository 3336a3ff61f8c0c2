"""A refusal by a legislature service shows next to the field it is about."""

from django.urls import reverse

from powerbase.legislature import services

BILL = {
    "jurisdiction": "Connecticut",
    "session": "2027",
    "identifier": "HB 5001",
    "title": "An act freezing rents for one year",
    "status": "introduced",
    "position": "support",
    "position_reason": "",
}


def test_a_bill_already_here_is_refused_next_to_its_identifier(client, organizer, manager):
    services.create_bill(actor=manager, **BILL)
    client.force_login(organizer)
    response = client.post(
        reverse("legislature:bill_new", kwargs={"org": manager.organization.slug}), BILL
    )
    assert "already here" in response.context["form"].errors["identifier"][0]
