"""Forms of the legislature app. Views pass the querysets a choice may come from (already
scoped through `queries`), so no form can offer another organization's rows."""

from typing import cast

from django import forms

from powerbase.legislature.models import (
    Bill,
    Chamber,
    InsideEvent,
    Official,
    Pledge,
    Position,
    RollCall,
    Stance,
    VoteOption,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OfficialForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = [
            "name",
            "given_name",
            "family_name",
            "office",
            "chamber",
            "jurisdiction",
            "district_code",
            "party",
            "term_starts",
            "term_ends",
            "email",
            "phone",
            "office_address",
            "photo_url",
            "is_current",
        ]
        widgets = {"term_starts": DATE, "term_ends": DATE}
        labels = {"district_code": "District", "is_current": "Holds the office now"}


class OfficialSearchForm(forms.Form):
    q = forms.CharField(
        label="Find",
        required=False,
        max_length=100,
        help_text="A name, a district number or a party.",
    )
    chamber = forms.ChoiceField(choices=[("", "Every chamber"), *Chamber.choices], required=False)
    bloc = forms.BooleanField(label="Only the bloc", required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (Django's documented recipe)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class PeopleUploadForm(forms.Form):
    # The form's metaclass moves declared fields off the class, so this never hides
    # `BaseForm.files` (the uploaded files); the stubs see a class attribute.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Open States person files (.yml)",
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ".yml,.yaml"}),
        help_text="From github.com/openstates/people, data/<state>/legislature/. Choose many.",
    )


class VotesUploadForm(forms.Form):
    file = forms.FileField(
        label="Votes file (.json or .csv)",
        help_text="Open States vote events (JSON), or a CSV with date, "
        "chamber, motion, result, official and vote.",
    )


class BillsUploadForm(forms.Form):
    file = forms.FileField(
        label="Open States bills (.json)",
        help_text="A bill, a list, or a page of the Open States API; its "
        "actions and votes come too. Our positions are kept.",
    )


class BlocJoinForm(forms.Form):
    joined_on = forms.DateField(label="In the bloc since", widget=DATE)
    note = forms.CharField(max_length=300, required=False)


class PledgeForm(forms.Form):
    demand = forms.ModelChoiceField(queryset=None)
    pledged_on = forms.DateField(widget=DATE)
    source = forms.ChoiceField(choices=Pledge.Source.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demand"].queryset = demands


class TargetForm(forms.Form):
    action = forms.ModelChoiceField(queryset=None, label="Action aimed at them")

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions


class TitleForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DemandForm(TitleForm):
    amount = forms.DecimalField(
        label="Dollars (a budget fight)",
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
    )
    budget_item = forms.CharField(max_length=300, required=False)


class AdoptForm(forms.Form):
    decision = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The decision (Democracy) that adopted it."
    )
    adopted_on = forms.DateField(
        widget=DATE, required=False, help_text="Leave empty for the decision's date."
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class BillForm(forms.ModelForm):
    class Meta:
        model = Bill
        fields = [
            "jurisdiction",
            "session",
            "identifier",
            "title",
            "status",
            "position",
            "position_reason",
        ]
        labels = {"position": "Our position", "position_reason": "Why"}


class PositionForm(forms.Form):
    position = forms.ChoiceField(choices=Position.choices, label="Our position", required=False)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Why")


class BillActionForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE)
    description = forms.CharField(max_length=500, label="What happened")
    chamber = forms.ChoiceField(choices=[("", "—"), *Chamber.choices], required=False)
    status = forms.CharField(
        max_length=200, required=False, help_text="Where the bill stands now, if that changed."
    )


class DemandLinkForm(forms.Form):
    demand = forms.ModelChoiceField(queryset=None, label="Carries the demand")

    def __init__(self, *args, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demand"].queryset = demands


class RollCallForm(forms.Form):
    """The floor-session form: the motion, then one choice per official of the chamber."""

    bill = forms.ModelChoiceField(queryset=None, required=False)
    motion = forms.CharField(max_length=500, initial="On final passage")
    on = forms.DateField(label="Date", widget=DATE)
    result = forms.ChoiceField(
        choices=[("", "Count it from the votes"), *RollCall.Result.choices], required=False
    )

    def __init__(self, *args, bills, officials, default: str = VoteOption.YES, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["bill"]).queryset = bills
        self.officials = list(officials)
        for official in self.officials:
            self.fields[f"vote_{official.pk}"] = forms.ChoiceField(
                label=f"{official.name} ({official.district_code or official.office})",
                choices=VoteOption.choices,
                initial=default,
            )

    def vote_fields(self):
        return [self[f"vote_{official.pk}"] for official in self.officials]

    def votes(self) -> dict[Official, str]:
        return {official: self.cleaned_data[f"vote_{official.pk}"] for official in self.officials}


class ScorecardForm(forms.Form):
    title = forms.CharField(max_length=200)
    session = forms.CharField(max_length=40)
    introduction = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ScoreVoteForm(forms.Form):
    roll_call = forms.ModelChoiceField(queryset=None)
    right_option = forms.ChoiceField(
        label="The right vote", choices=[(VoteOption.YES, "Yes"), (VoteOption.NO, "No")]
    )
    weight = forms.DecimalField(initial=1, min_value=0.01, max_digits=6, decimal_places=2)
    note = forms.CharField(max_length=300, required=False, label="Why it matters")

    def __init__(self, *args, roll_calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roll_call"].queryset = roll_calls


class WhipBoardForm(forms.Form):
    title = forms.CharField(max_length=200)
    chamber = forms.ChoiceField(choices=Chamber.choices)
    needed = forms.IntegerField(min_value=1, label="Votes needed to pass")
    demand = forms.ModelChoiceField(queryset=None, required=False)
    bill = forms.ModelChoiceField(queryset=None, required=False)
    campaign = forms.ModelChoiceField(queryset=None, required=False)
    vote_expected_on = forms.DateField(widget=DATE, required=False)

    def __init__(self, *args, demands, bills, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demand"].queryset = demands
        self.fields["bill"].queryset = bills
        self.fields["campaign"].queryset = campaigns


class StanceForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices)
    source = forms.CharField(
        max_length=300,
        required=False,
        help_text="How we know: a lobby visit, a call, a public statement.",
    )


class InsideEventForm(forms.Form):
    kind = forms.ChoiceField(choices=InsideEvent.Kind.choices)
    title = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(label="When", widget=DATETIME)
    place = forms.CharField(max_length=300, required=False)
    campaign = forms.ModelChoiceField(queryset=None, required=False)
    bill = forms.ModelChoiceField(queryset=None, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, campaigns, bills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["bill"].queryset = bills


class CalendarFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, required=False, empty_label="Every campaign")

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
