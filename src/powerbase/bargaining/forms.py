"""Forms of the bargaining pages. Services check the rules; these only parse."""

from django import forms

from powerbase.bargaining.models import ContractCampaign, ContractDemand, Outcome, Target
from powerbase.legislature.models import Stance

DATE = forms.DateInput(attrs={"type": "date"})


class _Choosing(forms.Form):
    """A form with choice fields whose options depend on who is asking (*choices*: name ->
    queryset)."""

    def __init__(self, *args, choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (choices or {}).items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class UnitForm(_Choosing):
    affiliate = forms.ModelChoiceField(queryset=None)
    employer = forms.CharField(max_length=200)
    name = forms.CharField(
        label="Unit", max_length=200, required=False, help_text="e.g. 'Paraprofessionals'."
    )
    unit_size = forms.IntegerField(label="Workers covered", min_value=1)
    contract_expires_on = forms.DateField(label="Contract expires", widget=DATE)
    bargaining_starts_on = forms.DateField(label="Bargaining starts", widget=DATE, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class UnitEditForm(UnitForm):
    """The unit's own facts; the affiliate it belongs to does not change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["affiliate"]


class CampaignForm(_Choosing):
    name = forms.CharField(max_length=200, help_text="e.g. 'Schools Our Students Deserve 2027'.")
    authorised_by = forms.ModelChoiceField(
        queryset=None, required=False, label="Authorised by (decision)"
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[c for c in ContractCampaign.Status.choices if c[0] != "settled"]
    )


class SettleForm(forms.Form):
    settled_on = forms.DateField(label="Settled on", widget=DATE, required=False)


class SessionForm(forms.Form):
    meets_on = forms.DateField(label="Meets on", widget=DATE)
    place = forms.CharField(max_length=300, required=False)
    note = forms.CharField(max_length=300, required=False, label="What happened")


class DemandForm(_Choosing):
    source = forms.ChoiceField(choices=ContractDemand.Source.choices, label="Whose demand")
    title = forms.CharField(label="Demand", max_length=300)
    platform_demand = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For a community demand: the platform's."
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    on = forms.DateField(label="On", widget=DATE, required=False, help_text="Blank: today.")
    note = forms.CharField(max_length=300, required=False, label="What the contract says")


class PartnerForm(_Choosing):
    affiliate = forms.ModelChoiceField(queryset=None, label="Partner")
    commitment = forms.CharField(max_length=300)


class ActionForm(_Choosing):
    action = forms.ModelChoiceField(queryset=None)


class TargetForm(_Choosing):
    kind = forms.ChoiceField(choices=Target.Kind.choices)
    name = forms.CharField(max_length=200, required=False, help_text="Blank for an official.")
    role = forms.CharField(max_length=200, required=False)
    official = forms.ModelChoiceField(queryset=None, required=False)


class StanceForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices)
    as_of = forms.DateField(label="As of", widget=DATE, required=False)
    source = forms.CharField(max_length=300, required=False, label="How we know")
