"""Forms of the Democracy School pages. Services check the rules; these only parse."""

from django import forms

from powerbase.school.models import Assignment, Program, SkillAssessment
from powerbase.school.services import MAX_MATERIAL_BYTES


class ProgramForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Program.Kind.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    min_attendance_percent = forms.IntegerField(
        label="Attendance needed to graduate (%)", min_value=0, max_value=100, initial=80
    )
    min_leadership_tasks = forms.IntegerField(
        label="Leadership tasks needed to graduate", min_value=0, initial=1
    )


class ModuleForm(forms.Form):
    title = forms.CharField(max_length=200)
    learning_goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One goal a line."
    )


class MaterialForm(forms.Form):
    """A link, or a file uploaded from the phone or computer: one of the two."""

    title = forms.CharField(max_length=200)
    url = forms.URLField(label="Link", max_length=500, assume_scheme="https", required=False)
    file = forms.FileField(
        label="Or a file",
        required=False,
        help_text="PDF, Word, slides, a sheet, a picture or text, up to 20 MB.",
    )

    def clean_file(self):
        # Refused before it is read into memory; the service checks the bytes it gets again.
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_MATERIAL_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_MATERIAL_BYTES // 1_048_576} MB. Link a large file instead."
            )
        return upload

    def clean(self):
        data = super().clean()
        has_link, has_file = bool(data.get("url")), bool(data.get("file"))
        if has_link == has_file and not self.errors:
            raise forms.ValidationError(
                "Give a link or choose a file, not both."
                if has_link
                else "Give a link or choose a file."
            )
        return data


class CohortForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="e.g. 'Spring 2027, Hartford'.")
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(max_length=300, required=False)
    is_online = forms.BooleanField(label="Meets online", required=False)
    online_link = forms.URLField(required=False, assume_scheme="https")


class NominateForm(forms.Form):
    person = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Type a name and choose the person from the list."},
    )
    affiliate = forms.ModelChoiceField(queryset=None, label="Nominated by")

    def __init__(self, *args, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliate"].queryset = affiliates


class FacilitatorForm(forms.Form):
    facilitator = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Type a name and choose the person from the list."},
    )


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    module = forms.ModelChoiceField(queryset=None, required=False)
    title = forms.CharField(max_length=200, required=False, help_text="Blank: the module's.")

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(choices=Assignment.Kind.choices)
    title = forms.CharField(max_length=200)
    instructions = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SubmissionForm(forms.Form):
    assignment = forms.ModelChoiceField(queryset=None)
    completed_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Blank: today."
    )
    reflection = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments


class SkillForm(forms.Form):
    skill = forms.ChoiceField(choices=SkillAssessment.Skill.choices)
    level = forms.TypedChoiceField(choices=SkillAssessment.Level.choices, coerce=int)
    note = forms.CharField(max_length=300, required=False)
