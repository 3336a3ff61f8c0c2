"""Forms for affiliates and their leads."""

from django import forms


class LeadAffiliatesForm(forms.Form):
    affiliates = forms.ModelMultipleChoiceField(
        label="Affiliates this lead speaks for", required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The lead sees and edits only these affiliates' members.")

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliates"].queryset = queryset
