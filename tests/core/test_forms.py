"""The one way a view handles a posted form: the service's refusal lands on the form."""

from django import forms

from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.core.forms import error_sentences, save_or_add_errors


class GoalForm(forms.Form):
    goal = forms.IntegerField(label="Doors to knock")
    note = forms.CharField(required=False)


def refuse(error: Exception):
    def save():
        raise error

    return save


def test_a_service_error_naming_a_field_appears_next_to_that_field():
    form = GoalForm({"goal": "5"})
    saved = save_or_add_errors(form, refuse(InvalidInput("Too few doors.", field="goal")))
    assert saved is None and form.errors == {"goal": ["Too few doors."]}


def test_a_service_error_without_a_field_of_the_form_appears_at_the_top():
    for error in (
        InvalidInput("No.", field="not_on_this_form"),
        InvalidInput("No."),
        Conflict("No."),
    ):
        form = GoalForm({"goal": "5"})
        save_or_add_errors(form, refuse(error))
        assert form.non_field_errors() == ["No."] and not form["goal"].errors


def test_an_invalid_form_keeps_its_field_errors_and_never_calls_the_service():
    called = []
    form = GoalForm({"goal": "many"})
    assert save_or_add_errors(form, lambda: called.append(1)) is None
    assert not called and form["goal"].errors


def test_a_valid_form_returns_what_the_service_returns():
    form = GoalForm({"goal": "5"})
    assert save_or_add_errors(form, lambda: form.cleaned_data["goal"] * 2) == 10


def test_the_flashed_message_names_each_field_by_its_label():
    form = GoalForm({"goal": "many"})
    form.is_valid()
    form.add_error(None, "The turf is closed.")
    assert error_sentences(form) == ("Doors to knock: Enter a whole number. The turf is closed.")


def test_a_conflict_naming_a_field_appears_next_to_that_field():
    form = GoalForm({"goal": "5"})
    save_or_add_errors(form, refuse(Conflict("That goal is taken.", field="goal")))
    assert form.errors == {"goal": ["That goal is taken."]}


class UploadForm(forms.Form):
    file = forms.FileField()
    note = forms.CharField(required=False)


def test_a_bad_row_of_a_file_appears_next_to_the_forms_one_file_field():
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = UploadForm({}, {"file": SimpleUploadedFile("census.csv", b"x")})
    problem = RowError(file="census.csv", row=3, column="count", problem="is not a number.")
    save_or_add_errors(form, refuse(problem))
    assert form.errors == {"file": ["census.csv, row 3, column 'count': is not a number."]}
