"""The voter file import form."""

from django import forms

from powerbase.voterfile.layout import LayoutError, available_layouts, parse_mapping


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once (a registration and a history file)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    layout = forms.ChoiceField(label="Layout", help_text="Which state's files these are.")
    # The form's metaclass moves declared fields off the class, so this does not replace
    # `Form.files` (the uploaded files) at run time; the stubs cannot see that.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Files",
        help_text="The registration file and, if the state publishes it "
        "separately, the vote history file. Keep their original names: "
        "the layout tells them apart by name.",
    )
    accept_large_change = forms.BooleanField(
        label="Accept a large change",
        required=False,
        help_text="Use the new version even if more than 10% of the voters in use are gone "
        "from it. Leave unticked: a version that fails a check is held for you to "
        "inspect, and you can still put it in use from its page.",
    )
    mapping = forms.CharField(
        label="Column mapping",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "voter_id=RegNumber\nstate_house=HD"}
        ),
        help_text="One field=COLUMN per line, for columns the layout does not find by name: "
        "the generic layout's guesses, or a state layout's column under another name.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].choices = [
            (layout.name, layout.title) for layout in available_layouts()
        ]

    def clean_mapping(self) -> dict[str, str]:
        try:
            return parse_mapping(self.cleaned_data["mapping"].splitlines())
        except LayoutError as error:
            raise forms.ValidationError(str(error)) from None
