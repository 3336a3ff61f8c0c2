"""Forms for uploading a list and mapping its columns."""

from typing import cast

from django import forms

from powerbase.imports.mapping import FIELDS
from powerbase.imports.pipeline import CUSTOM_PREFIX
from powerbase.imports.samples import NEW_FIELD_KINDS, NEW_FIELD_PREFIX

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel (.xlsx) file",
        help_text="The first row must hold the column names. Up to 200 MB.",
    )
    affiliate = forms.TypedChoiceField(
        label="Whose list is it?", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, affiliates, allow_own_list: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "The IPO's own list (direct members)")] if allow_own_list else []
        affiliate = cast(forms.TypedChoiceField, self.fields["affiliate"])
        affiliate.choices = choices + [(a.pk, a.name) for a in affiliates]
        self.fields["affiliate"].required = not allow_own_list

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1_048_576:.0f} MB; the limit is 200 MB. "
                "Split it, or import it with `powerbase import people` on the server."
            )
        return upload


class MappingForm(forms.Form):
    """One menu per column of the file: which powerbase field it feeds, if any."""

    save_as = forms.CharField(
        label="Save this mapping for files like this one, as", required=False, max_length=120
    )

    def __init__(self, *args, header: list[str], mapping: dict, custom_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = (
            [("", "— not imported —")]
            + [(f.key, f.label) for f in FIELDS.values()]
            + [
                (f"{CUSTOM_PREFIX}{field.key}", f"{field.name} (your field)")
                for field in custom_fields
            ]
            + [
                (
                    f"{NEW_FIELD_PREFIX}{kind}",
                    f"A new field of your own, named after the column ({label})",
                )
                for kind, label in NEW_FIELD_KINDS.items()
            ]
        )
        self.columns = []
        for index, column in enumerate(header):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=column or f"(column {index + 1})",
                choices=choices,
                required=False,
                initial=mapping.get(column) or "",
            )
            self.columns.append((name, column))
        self.order_fields([name for name, _ in self.columns] + ["save_as"])

    def mapping(self) -> dict:
        return {column: self.cleaned_data[name] or None for name, column in self.columns}


class FixForm(forms.Form):
    """One corrected cell of the uploaded file."""

    row = forms.IntegerField(min_value=2)
    column = forms.CharField(max_length=255)
    value = forms.CharField(max_length=1000, required=False, strip=False)
