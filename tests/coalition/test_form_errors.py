"""A refusal by a coalition service shows next to the field it is about."""

from django.urls import reverse


def test_an_affiliate_named_like_another_is_refused_next_to_the_name(
    client, owner, nutmeg, tenant_union
):
    client.force_login(owner)
    response = client.post(
        reverse("coalition:affiliate_new", kwargs={"org": nutmeg.slug}),
        {"name": tenant_union.name, "kind": tenant_union.kind, "status": "member"},
    )
    assert "already has an affiliate" in response.context["form"].errors["name"][0]
