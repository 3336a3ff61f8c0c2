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
        raise forms.ValidationError(
            f"“{raw}” is not a phone number (expected 10 digits, or + country code and number)."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "goal", "demands", "targets", "starts_on", "ends_on"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "demands": forms.Textarea(attrs={"rows": 3}),
            "targets": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE,
            "ends_on": DATE,
        }


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "kind",
            "campaign",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "district",
            "target",
            "turnout_goal",
            "is_structure_test",
            "is_public",
            "description",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "starts_at": "Starts",
            "ends_at": "Ends",
            "is_structure_test": "This is a structure test",
            "is_public": "Public: anyone may RSVP",
        }

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = "— not part of a campaign —"


class CommitmentForm(forms.Form):
    """Who commits (an affiliate, or a leader chosen with the person picker) and how many they
    will bring. `who` also takes "leader:12", as it did when leaders were listed in it."""

    who = forms.CharField(label="Who commits", required=False, widget=forms.Select)
    leader = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.IntegerField(label="Will bring", min_value=0, max_value=100000)

    def __init__(self, *args, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].widget.choices = [("", "— a leader (find them below) —")] + [
            (f"affiliate:{a.pk}", a.name) for a in affiliates
        ]

    def clean_who(self) -> str:
        who = self.cleaned_data["who"]
        kind, _, pk = who.partition(":")
        offered = {value for value, _ in self.fields["who"].widget.choices}
        if who and not (who in offered or (kind == "leader" and pk.isdigit())):
            raise forms.ValidationError("Choose an affiliate from the list.")
        return who

    def clean(self):
        data = super().clean()
        if not data.get("who") and not data.get("leader"):
            raise forms.ValidationError("Choose an affiliate, or find the leader who commits.")
        return data

    def kind_and_id(self) -> tuple[str, int]:
        if self.cleaned_data.get("leader"):
            return "leader", self.cleaned_data["leader"]
        kind, _, pk = self.cleaned_data["who"].partition(":")
        return kind, int(pk)


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label="Find someone",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "autocapitalize": "off",
                "placeholder": "Two letters of a name, or phone digits",
            }
        ),
    )


class WalkInForm(forms.Form):
    """A walk-in in three fields: what a volunteer can ask in ten seconds at the door."""

    name = forms.CharField(
        label="Name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label="Phone",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    def clean_phone(self) -> str:
        return e164(self.cleaned_data["phone"])


class SignUpForm(forms.Form):
    """The public RSVP form. `website` is the honeypot: hidden from people, filled by bots."""

    given_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label="Mobile phone",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    affiliate = forms.TypedChoiceField(
        label="Are you coming with a group?", required=False, coerce=int, empty_value=None
    )
    # Consent is asked, never assumed: unchecked, and nothing is sent without it.
    email_ok = forms.BooleanField(
        label="Email me a confirmation, a reminder, and news of actions", required=False
    )
    texts_ok = forms.BooleanField(
        label="Text me reminders and news of actions (reply STOP any time)", required=False
    )
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    by = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        if affiliates:
            self.fields["affiliate"].choices = [("", "No, on my own")] + [
                (a.pk, a.name) for a in affiliates
            ]
        else:
            del self.fields["affiliate"]

    def clean_phone(self) -> str:
        return e164(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(
                "Give an email address or a mobile phone number so we can reach you."
            )
        return data


class LadderLevelForm(forms.ModelForm):
    tags = forms.CharField(
        label="Tags that qualify",
        required=False,
        max_length=300,
        help_text="Separate with commas, e.g. team lead, governing body.",
    )

    class Meta:
        model = LadderLevel
        fields = [
            "name",
            "rank",
            "description",
            "min_attended",
            "attended_within_days",
            "min_recruits",
            "min_recruited_actions",
            "counts_leader_role",
            "canvass_support_at_most",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags)

    def clean_tags(self) -> list[str]:
        return [
            " ".join(tag.split()) for tag in self.cleaned_data["tags"].split(",") if tag.strip()
        ]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "tags"]}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Who did you meet?",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["q"].label = label
            self.fields["q"].widget.attrs["placeholder"] = "A name, #number, email or phone digits"


class OneOnOneForm(forms.ModelForm):
    class Meta:
        model = OneOnOne
        fields = ["held_on", "self_interest", "commitment", "follow_up_on"]
        widgets = {
            "held_on": DATE,
            "follow_up_on": DATE,
            "self_interest": forms.Textarea(attrs={"rows": 3}),
            "commitment": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "held_on": "When",
            "self_interest": "Their self-interest",
            "commitment": "What they committed to",
            "follow_up_on": "Follow up on",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class StaffRsvpForm(forms.Form):
    """Staff sign someone up for an action, crediting the leader who brought them, if any.

    Both are ids chosen in the page's search and person picker; the view checks each against
    what the actor may choose."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    recruited_by = forms.IntegerField(required=False, widget=forms.HiddenInput)


class BulkRsvpForm(forms.Form):
    """Sign up many at once: everyone on a saved list, an affiliate's members, or a paste."""

    source = forms.ChoiceField(
        label="Who",
        widget=forms.RadioSelect,
        choices=[
            ("list", "Everyone on a saved list"),
            ("affiliate", "An affiliate's members"),
            ("paste", "A pasted list"),
        ],
    )
    saved_list = forms.TypedChoiceField(
        label="Saved list", required=False, coerce=int, empty_value=None
    )
    affiliate = forms.TypedChoiceField(
        label="Affiliate",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Their RSVPs count toward this affiliate.",
    )
    pasted = forms.CharField(
        label="Pasted list",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text="One per line: an email address, a phone number, or #number.",
    )

    def __init__(self, *args, saved_lists, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_list"].choices = [("", "—")] + [(s.pk, s.name) for s in saved_lists]
        self.fields["affiliate"].choices = [("", "—")] + [(a.pk, a.name) for a in affiliates]
        if not saved_lists:
            del self.fields["saved_list"]
            self.fields["source"].choices = self.fields["source"].choices[1:]

    def clean(self):
        data = super().clean()
        needs = {"list": "saved_list", "affiliate": "affiliate", "paste": "pasted"}
        wanted = needs.get(data.get("source", ""))
        if wanted and not data.get(wanted):
            self.add_error(
                wanted if wanted in self.fields else None,
                f"Choose the {self.fields[wanted].label.lower()} to sign up.",
            )
        return data
