"""Forms of the strategy table. Services check the rules; these only parse and offer choices
read through `queries` (so another organization's rows are never offered)."""

from typing import cast

from django import forms
from django.db.models import QuerySet

from powerbase.core.access import Actor
from powerbase.democracy.models import Decision, GoverningBody
from powerbase.strategy import queries
from powerbase.strategy.models import Commitment
from powerbase.strategy.services import HAND_OUTCOMES, CommitmentSpec, TaskSpec

DATE = forms.DateInput(attrs={"type": "date"})
# Rows of tasks a decision form offers; more can be added on the decision's page.
TASK_ROWS = 3
# The commitment fields of a form, by the commitment kind each records.
COMMITMENT_FIELDS = {
    "campaign_started": Commitment.Kind.CAMPAIGN_STARTED,
    "campaign_ended": Commitment.Kind.CAMPAIGN_ENDED,
    "budget_line": Commitment.Kind.BUDGET_LINE,
    "endorsement": Commitment.Kind.ENDORSEMENT,
    "platform_version": Commitment.Kind.PLATFORM_VERSION,
}


def _offer(form: forms.Form, name: str, queryset: QuerySet) -> None:
    """Offer *queryset*'s rows (read through `queries`) as the choices of a model field."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class BodyForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=GoverningBody.Kind.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SeatTermForm(forms.Form):
    starts_on = forms.DateField(label="Term starts", widget=DATE, required=False)
    ends_on = forms.DateField(label="Term ends", widget=DATE, required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. 'Strategy table, March'.")
    starts_at = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(max_length=200, required=False)


class CommitmentsForm(forms.Form):
    """What a decision commits: each field optional, each a choice of the organization's own."""

    campaign_started = forms.ModelChoiceField(
        queryset=None, required=False, label="Starts the campaign"
    )
    campaign_ended = forms.ModelChoiceField(
        queryset=None, required=False, label="Ends the campaign"
    )
    budget_line = forms.ModelChoiceField(
        queryset=None, required=False, label="Funds the budget line"
    )
    endorsement = forms.ModelChoiceField(
        queryset=None, required=False, label="Makes the endorsement"
    )
    platform_version = forms.ModelChoiceField(
        queryset=None, required=False, label="Adopts the platform version"
    )

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self, "campaign_started", queries.campaigns(actor))
        _offer(self, "campaign_ended", queries.campaigns(actor))
        _offer(self, "budget_line", queries.budget_lines(actor))
        _offer(self, "endorsement", queries.endorsements(actor))
        _offer(self, "platform_version", queries.platform_versions(actor))

    def commitments(self) -> list[CommitmentSpec]:
        return [
            CommitmentSpec(kind=kind, target=self.cleaned_data[name])
            for name, kind in COMMITMENT_FIELDS.items()
            if self.cleaned_data.get(name) is not None
        ]


class DecisionForm(CommitmentsForm):
    """A body's decision, what it commits and up to three tasks, on one (phone-sized) page."""

    field_order = ["vote", "title", "text", "outcome", "decided_on", "meeting"]

    vote = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Decided by the vote",
        help_text="If the body voted through powerbase: its published decision is filed here.",
    )
    title = forms.CharField(
        label="What was decided",
        max_length=300,
        required=False,
        help_text="In a line. Leave empty to keep the vote's title.",
    )
    text = forms.CharField(
        label="The decision's text",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    outcome = forms.ChoiceField(
        choices=[(value, Decision.Outcome(value).label) for value in HAND_OUTCOMES]
    )
    decided_on = forms.DateField(label="Decided on", widget=DATE)
    meeting = forms.ModelChoiceField(queryset=None, required=False, label="At the meeting")

    def __init__(self, *args, actor: Actor, body: GoverningBody, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        _offer(self, "vote", queries.votes_to_file(actor))
        _offer(self, "meeting", queries.meetings(actor, body))
        owners = queries.owners(actor)
        for number in range(1, TASK_ROWS + 1):
            self.fields[f"task_{number}_title"] = forms.CharField(
                label=f"Task {number}: what", max_length=300, required=False
            )
            self.fields[f"task_{number}_owner"] = forms.ModelChoiceField(
                queryset=owners, required=False, label=f"Task {number}: who"
            )
            self.fields[f"task_{number}_due_on"] = forms.DateField(
                label=f"Task {number}: due", widget=DATE, required=False
            )

    def tasks(self) -> list[TaskSpec]:
        """The task rows filled in at all (a row with only a title, say, is refused by the
        service with the row's number)."""
        specs = []
        for number in range(1, TASK_ROWS + 1):
            title, owner, due_on = (
                self.cleaned_data.get(f"task_{number}_{part}")
                for part in ("title", "owner", "due_on")
            )
            if title or owner or due_on:
                specs.append(TaskSpec(title=title or "", owner=owner, due_on=due_on, row=number))
        return specs

    def task_rows(self) -> list[list[forms.BoundField]]:
        """The task fields grouped by row, for the template."""
        return [
            [self[f"task_{number}_{part}"] for part in ("title", "owner", "due_on")]
            for number in range(1, TASK_ROWS + 1)
        ]

    def decision_fields(self) -> list[forms.BoundField]:
        return [
            self[name] for name in ("vote", "title", "text", "outcome", "decided_on", "meeting")
        ]

    def commitment_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in COMMITMENT_FIELDS]


class TaskForm(forms.Form):
    title = forms.CharField(label="Task", max_length=300)
    owner = forms.ModelChoiceField(queryset=None, label="Who")
    due_on = forms.DateField(label="Due", widget=DATE)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self, "owner", queries.owners(actor))
