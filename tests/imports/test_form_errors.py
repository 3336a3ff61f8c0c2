"""A refusal by an imports service shows next to the column it is about."""

from django.urls import reverse

from powerbase.imports import services
from tests.conftest import act
from tests.imports.conftest import csv_bytes


def test_a_role_without_demographics_mapping_gender_is_refused_on_that_column(
    client, organizer, nutmeg
):
    batch = services.upload(
        actor=act(organizer, nutmeg),
        file_name="roster.csv",
        content=csv_bytes([["First Name", "Last Name", "Gender"], ["Ana", "Price", "woman"]]),
        affiliate=None,
    )
    client.force_login(organizer)
    form = {f"column_{n}": batch.mapping[column] or "" for n, column in enumerate(batch.header)}
    form["column_2"] = "gender"
    response = client.post(
        reverse("imports:batch", kwargs={"org": nutmeg.slug, "batch_id": batch.pk}), form
    )
    errors = response.context["form"].errors
    assert list(errors) == ["column_2"]
    assert "may not import demographics" in errors["column_2"][0]
