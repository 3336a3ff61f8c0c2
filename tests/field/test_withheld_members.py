"""Phone lists follow the sharing terms: a withheld member keeps their name, not their phone."""

import csv
import io

from django.urls import reverse

from powerbase.field.models import Door, Turf, Universe
from tests.conftest import add_member


def one_door_turf(organization, voters: list[dict]) -> Turf:
    universe = Universe.objects.create(organization=organization, name="Fair Haven")
    turf = Turf.objects.create(
        organization=organization, universe=universe, number=1, name="12-1: Elm St"
    )
    Door.objects.create(
        organization=organization, turf=turf, position=1, address="12 ELM ST", voters=voters
    )
    return turf


def test_a_phone_list_leaves_out_members_whose_affiliate_withholds_contact(
    client, owner, nutmeg, tenant_union, walter
):
    maria = add_member(nutmeg, tenant_union, "Maria", "Withheld")  # shares nothing
    turf = one_door_turf(
        nutmeg,
        [
            {
                "voter_id": "CT1",
                "name": "MARIA WITHHELD",
                "age": 40,
                "party": "DEM",
                "phone": "2035550111",
                "person_id": maria.pk,
            },
            {
                "voter_id": "CT2",
                "name": "WALTER SHARED",
                "age": 52,
                "party": "DEM",
                "phone": "2035550122",
                "person_id": walter.pk,
            },
            {
                "voter_id": "CT3",
                "name": "VERA VOTER",
                "age": 33,
                "party": "",
                "phone": "2035550133",
                "person_id": None,
            },
        ],
    )
    client.force_login(owner)
    response = client.get(
        reverse("field:turf_phone_list", kwargs={"org": nutmeg.slug, "turf_id": turf.pk})
    )
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert "MARIA WITHHELD" not in rows and "2035550111" not in response.content.decode()
    assert rows["WALTER SHARED"]["member"] == "yes"
    assert rows["VERA VOTER"]["phone"] == "2035550133"
