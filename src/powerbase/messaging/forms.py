"""Forms of the messages pages: parse and check what was typed; the services decide the rest."""

from typing import cast

from django import forms

from powerbase.actions.models import Action
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.field.models import Universe
from powerbase.messaging.merge import FIELDS
from powerbase.messaging.models import ActionMessaging, Channel, Message
from powerbase.people.models import SavedList

Audience = Message.Audience


def audience_choices(actor: Actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """The audiences the author may choose, grouped, each as "kind:id"."""
    from powerbase.coalition.models import Affiliate

    actions = list(access.scoped(actor, Action.objects.all()).order_by("-starts_at")[:50])
    groups = [
        (
            "Saved lists",
            [
                (f"{Audience.SAVED_LIST}:{s.pk}", s.name)
                for s in access.scoped(actor, SavedList.objects.all())
            ],
        ),
        (
            "Universes",
            [
                (f"{Audience.UNIVERSE}:{u.pk}", u.name)
                for u in access.scoped(actor, Universe.objects.all())
            ],
        ),
        ("RSVPs of an action", [(f"{Audience.ACTION_RSVPS}:{a.pk}", a.title) for a in actions]),
        (
            "RSVP'd but did not come (structure tests)",
            [(f"{Audience.ABSENT}:{a.pk}", a.title) for a in actions if a.is_structure_test],
        ),
        (
            "An affiliate's members (if its terms allow)",
            [
                (f"{Audience.AFFILIATE}:{a.pk}", a.name)
                for a in access.scoped(actor, Affiliate.objects.all())
            ],
        ),
    ]
    return [(label, options) for label, options in groups if options]


class MessageForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)
    audience = forms.ChoiceField(label="To")
    action = forms.ModelChoiceField(
        queryset=Action.objects.none(),
        required=False,
        label="About the action",
        help_text="Fills {{action}}, {{time}}, {{place}} and {{link}}.",
    )
    subject = forms.CharField(max_length=200, required=False, help_text="Emails only.")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Merge fields: " + ", ".join("{{" + name + "}}" for name in FIELDS) + ".",
    )

    def __init__(self, actor: Actor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["audience"]).choices = audience_choices(actor)
        cast(forms.ModelChoiceField, self.fields["action"]).queryset = access.scoped(
            actor, Action.objects.all()
        )

    def clean_audience(self) -> tuple[str, int]:
        kind, _, number = self.cleaned_data["audience"].partition(":")
        return kind, int(number)


class TestSendForm(forms.Form):
    to = forms.CharField(
        max_length=20, required=False, help_text="For a text: the number, e.g. +12035550123."
    )


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ActionMailForm(forms.Form):
    confirm_rsvps = forms.BooleanField(
        label="Send a confirmation to each RSVP at once", required=False
    )
    channels = forms.ChoiceField(
        label="By",
        choices=ActionMessaging.Channels.choices,
        help_text="Each person gets them only on the channels they agreed to.",
    )
    reminder_hours = forms.CharField(
        label="Reminders, in hours before the start",
        required=False,
        help_text="Separated by commas, e.g. 24, 2 (a day and two hours before). Empty: none.",
    )

    def clean_reminder_hours(self) -> list[int]:
        minutes = []
        for part in self.cleaned_data["reminder_hours"].replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                minutes.append(round(float(part) * 60))
            except ValueError:
                raise forms.ValidationError(
                    f"{part.strip()!r} is not a number of hours (e.g. 24 or 1.5)."
                ) from None
        return minutes


class SettingsForm(forms.Form):
    """The organization's daily limit and quiet hours; empty fields keep the install's."""

    per_day = forms.IntegerField(
        label="Messages a day", required=False, min_value=0, help_text="Empty: the install's."
    )
    quiet_start = forms.TimeField(
        label="No texts from",
        required=False,
        help_text="24-hour time, e.g. 21:00, in each recipient's time zone. Empty: the install's.",
    )
    quiet_end = forms.TimeField(label="until", required=False, help_text="e.g. 09:00.")


class TermsForm(forms.Form):
    """One affiliate's terms: whether the IPO may email or text its members."""

    may_email = forms.BooleanField(label="Email", required=False)
    may_text = forms.BooleanField(label="Texts", required=False)
