"""Forms for affiliates and their leads."""

from django import forms

from powerbase.coalition.models import Affiliate


class LeadAffiliatesForm(forms.Form):
    affiliates = forms.ModelMultipleChoiceField(
        label="Affiliates this lead speaks for",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The lead sees and edits only these affiliates' members.",
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliates"].queryset = queryset


class AffiliateForm(forms.ModelForm):
    class Meta:
        model = Affiliate
        fields = [
            "name",
            "kind",
            "status",
            "claimed_size",
            "contact_name",
            "contact_email",
            "contact_phone",
            "joined_on",
        ]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}


class SharingTermsForm(forms.Form):
    share_contact = forms.BooleanField(
        label="Share members' contact details (emails, phones, addresses) with the IPO's staff",
        required=False,
    )
    share_demographics = forms.BooleanField(
        label="Share members' self-identified demographics with staff allowed to see them",
        required=False,
    )
