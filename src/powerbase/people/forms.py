"""Forms for finding, adding and editing people."""

from django import forms

from powerbase.coalition.models import AffiliateMembership
from powerbase.people.models import CustomField, Person


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Name, email or phone", "autocomplete": "off"}
        ),
    )
    affiliate = forms.TypedChoiceField(
        label="Affiliate", required=False, coerce=int, empty_value=None
    )
    tag = forms.TypedChoiceField(label="Tag", required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(
        label="Role in affiliate",
        required=False,
        choices=[("", "Any role"), *AffiliateMembership.Role.choices],
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Person.Status.choices]
    )

    def __init__(self, *args, affiliates, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliate"].choices = [("", "Any affiliate")] + [
            (a.pk, a.name) for a in affiliates
        ]
        self.fields["tag"].choices = [("", "Any tag")] + [(t.pk, t.name) for t in tags]


class PersonForm(forms.Form):
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    middle_name = forms.CharField(label="Middle name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    suffix = forms.CharField(label="Suffix", max_length=20, required=False)
    preferred_name = forms.CharField(
        label="Preferred name",
        max_length=100,
        required=False,
        help_text="What they like to be called.",
    )
    birth_date = forms.DateField(
        label="Birth date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    languages = forms.CharField(
        label="Languages",
        required=False,
        max_length=200,
        help_text="Separate with commas, most comfortable first.",
    )
    status = forms.ChoiceField(label="Status", choices=Person.Status.choices)
    race_ethnicity = forms.MultipleChoiceField(
        label="Race / ethnicity (as they describe themselves)",
        required=False,
        choices=Person.RaceEthnicity.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    race_ethnicity_detail = forms.CharField(label="In their words", required=False, max_length=200)
    gender_identity = forms.CharField(label="Gender identity", required=False, max_length=100)
    pronouns = forms.CharField(label="Pronouns", required=False, max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SENSITIVE = ("race_ethnicity", "race_ethnicity_detail", "gender_identity", "pronouns")

    def __init__(self, *args, show_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_sensitive:
            for name in self.SENSITIVE:
                del self.fields[name]

    def clean_languages(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["languages"].split(",") if part.strip()]

    def clean(self):
        data = super().clean()
        if not (data.get("given_name") or data.get("family_name")):
            raise forms.ValidationError("Give at least a given name or a family name.")
        return data

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class NewPersonForm(PersonForm):
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", required=False, max_length=40)
    affiliate = forms.TypedChoiceField(
        label="Affiliate",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Leave empty for someone who joined the IPO directly.",
    )

    def __init__(self, *args, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["affiliate"].choices = [("", "— joined the IPO directly —")] + [
            (a.pk, a.name) for a in affiliates
        ]


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    is_sensitive = forms.BooleanField(
        label="Sensitive (immigration status, health, anything that could harm them)",
        required=False,
    )


class TagForm(forms.Form):
    name = forms.CharField(label="Add a tag", max_length=80)


class SavedListForm(forms.Form):
    name = forms.CharField(label="Save this search as", max_length=120)


class CustomFieldForm(forms.Form):
    name = forms.CharField(
        label="Field name",
        max_length=80,
        help_text="For example: Shop, Building, Shift, Member number.",
    )
    kind = forms.ChoiceField(label="Kind", choices=CustomField.Kind.choices)
    choices = forms.CharField(
        label="Choices (for a choice field), one per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class CustomValueForm(forms.Form):
    field = forms.TypedChoiceField(label="Field", coerce=int)
    value = forms.CharField(
        label="Value", required=False, max_length=500, help_text="Leave empty to clear it."
    )

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(f.pk, f.name) for f in fields]
