"""A refusal by a power service shows next to the field it is about."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def test_a_bad_census_row_is_refused_next_to_the_file(client, users_by_role, nutmeg):
    client.force_login(users_by_role["data"])
    content = b"district_kind,district,category,group,count\nstate_house,94,race,Black,many\n"
    response = client.post(
        reverse("power:census_import", kwargs={"org": nutmeg.slug}),
        {"file": SimpleUploadedFile("census.csv", content)},
    )
    assert response.context["form"].errors["file"][0].startswith("census.csv, row 2")
