"""Forms for campaigns, actions, commitments, check-in, the public sign-up page, the ladder and
one-on-ones."""

import phonenumbers
from django import forms
from django.utils import timezone

from powerbase.actions.models import Action, Campaign, LadderLevel, OneOnOne

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def e164(raw: str) -> str:
    """Return *raw* as an E.164 phone number, or raise a ValidationError saying what's wrong."""
    if not raw.strip():
        return ""
    try:
        parsed = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise forms.ValidationError(f"“{raw}” is not a phone number (expected 10 digits, or + "
                                    "country code and number).")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "goal", "demands", "targets", "starts_on", "ends_on"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 2}),
                   "demands": forms.Textarea(attrs={"rows": 3}),
                   "targets": forms.Textarea(attrs={"rows": 2}),
                   "starts_on": DATE, "ends_on": DATE}


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "kind", "campaign", "starts_at", "ends_at", "place", "online_link",
                  "district", "target", "turnout_goal", "is_structure_test", "is_public",
                  "description"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME,
                   "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"starts_at": "Starts", "ends_at": "Ends", "is_structure_test":
                  "This is a structure test", "is_public": "Public: anyone may RSVP"}

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = "— not part of a campaign —"


class CommitmentForm(forms.Form):
    """Who commits ("affiliate:3" or "leader:12") and how many they will bring."""

    who = forms.ChoiceField(label="Who commits")
    number = forms.IntegerField(label="Will bring", min_value=0, max_value=100000)

    def __init__(self, *args, affiliates, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("Affiliates", [(f"affiliate:{a.pk}", a.name) for a in affiliates])]
        leader_choices = [(f"leader:{p.pk}", p.display_name) for p in leaders]
        if leader_choices:
            choices.append(("Leaders", leader_choices))
        self.fields["who"].choices = choices

    def kind_and_id(self) -> tuple[str, int]:
        kind, _, pk = self.cleaned_data["who"].partition(":")
        return kind, int(pk)


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label="Find someone", required=False, max_length=100,
                        widget=forms.TextInput(attrs={
                            "type": "search", "autocomplete": "off", "autocapitalize": "off",
                            "placeholder": "Two letters of a name, or phone digits"}))


class WalkInForm(forms.Form):
    """A walk-in in three fields: what a volunteer can ask in ten seconds at the door."""

    name = forms.CharField(label="Name", max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label="Phone", required=False, max_length=40,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label="Email", required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))

    def clean_phone(self) -> str:
        return e164(self.cleaned_data["phone"])


class SignUpForm(forms.Form):
    """The public RSVP form. `website` is the honeypot: hidden from people, filled by bots."""

    given_name = forms.CharField(label="First name", max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    family_name = forms.CharField(label="Last name", max_length=100, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label="Email", required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label="Mobile phone", required=False, max_length=40,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    affiliate = forms.TypedChoiceField(label="Are you coming with a group?", required=False,
                                       coerce=int, empty_value=None)
    website = forms.CharField(label="Leave this field empty", required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off",
                                                            "tabindex": "-1"}))
    by = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        if affiliates:
            self.fields["affiliate"].choices = [("", "No, on my own")] + [
                (a.pk, a.name) for a in affiliates]
        else:
            del self.fields["affiliate"]

    def clean_phone(self) -> str:
        return e164(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(
                "Give an email address or a mobile phone number so we can reach you.")
        return data


class LadderLevelForm(forms.ModelForm):
    tags = forms.CharField(label="Tags that qualify", required=False, max_length=300,
                           help_text="Separate with commas, e.g. team lead, governing body.")

    class Meta:
        model = LadderLevel
        fields = ["name", "rank", "description", "min_attended", "attended_within_days",
                  "min_recruits", "min_recruited_actions", "counts_leader_role",
                  "canvass_support_at_most"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags)

    def clean_tags(self) -> list[str]:
        return [" ".join(tag.split()) for tag in self.cleaned_data["tags"].split(",")
                if tag.strip()]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "tags"]}


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Who did you meet?", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class OneOnOneForm(forms.ModelForm):
    class Meta:
        model = OneOnOne
        fields = ["held_on", "self_interest", "commitment", "follow_up_on"]
        widgets = {"held_on": DATE, "follow_up_on": DATE,
                   "self_interest": forms.Textarea(attrs={"rows": 3}),
                   "commitment": forms.Textarea(attrs={"rows": 2})}
        labels = {"held_on": "When", "self_interest": "Their self-interest",
                  "commitment": "What they committed to", "follow_up_on": "Follow up on"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class StaffRsvpForm(forms.Form):
    """Staff sign someone up for an action, crediting the leader who brought them, if any."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    recruited_by = forms.TypedChoiceField(
        label="Brought by", required=False, coerce=int, empty_value=None,
        help_text="The leader who recruited them; their affiliate gets the credit.")

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruited_by"].choices = [("", "Nobody in particular")] + [
            (leader.pk, leader.display_name) for leader in leaders]
