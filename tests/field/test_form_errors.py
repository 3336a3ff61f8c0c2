"""A refusal by a field service shows next to the field it is about."""

from django.urls import reverse


def test_a_survey_line_without_a_question_is_refused_next_to_the_survey(
    client, users_by_role, nutmeg, voter_file
):
    client.force_login(users_by_role["data"])
    response = client.post(
        reverse("field:universe_new", kwargs={"org": nutmeg.slug}),
        {
            "name": "Primary doors",
            "district_kind": "state_house",
            "membership": "any",
            "survey": "Top issue? | Rent | Wages\n | Yes | No",
        },
    )
    form = response.context["form"]
    assert form.errors["survey"] == ["Survey line 2: the question is empty."]
