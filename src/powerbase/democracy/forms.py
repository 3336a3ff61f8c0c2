"""Forms of the democracy app. People are named in a text field ('Ana Reyes' or '#12') and
looked up by the view through `queries.find_person`, so no form lists the whole base."""

from decimal import Decimal

from django import forms

from powerbase.coalition.models import Affiliate
from powerbase.democracy.models import (
    VOTE_METHODS,
    Assembly,
    Decision,
    Delegate,
    Electorate,
    GoverningBody,
    Proposal,
    Vote,
)
from powerbase.democracy.tabulation import OVERVOTE
from powerbase.democracy.tabulation.threshold import CHOICES

PERSON_HELP = "Type the start of their name, or # and their number (e.g. #12)."
REQUIRED_CHOICES = [
    ("majority", "A majority (more than half)"),
    ("60%", "60%"),
    ("two-thirds", "Two-thirds"),
    ("three-quarters", "Three-quarters"),
    ("unanimous", "Everyone"),
]
SHARE_CHOICES = [
    ("cast", "of the votes cast (yes and no)"),
    ("electorate", "of the whole electorate (not voting counts as no)"),
]


def ordinal(n: int) -> str:
    """Return 1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def person_field(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=required, help_text=PERSON_HELP)


class ElectorateForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Who votes", choices=Electorate.Kind.choices)
    affiliates = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Members of chosen affiliates: choose at least one. Delegates and weighted "
        "blocs: leave empty for every member affiliate.",
    )
    governing_body = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For a governing body only."
    )

    def __init__(self, *args, affiliates, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliates"].queryset = affiliates
        self.fields["governing_body"].queryset = bodies


class BlocWeightsForm(forms.Form):
    """One weight per affiliate of a weighted electorate."""

    def __init__(self, *args, affiliates: list[Affiliate], weights: dict[int, object], **kwargs):
        super().__init__(*args, **kwargs)
        self.affiliates = affiliates
        for affiliate in affiliates:
            self.fields[f"weight_{affiliate.pk}"] = forms.DecimalField(
                label=affiliate.name,
                min_value=0,
                max_digits=12,
                decimal_places=4,
                initial=weights.get(affiliate.pk),
            )

    def weights(self) -> dict[Affiliate, Decimal]:
        return {a: self.cleaned_data[f"weight_{a.pk}"] for a in self.affiliates}


class DelegateForm(forms.Form):
    affiliate = forms.ModelChoiceField(queryset=None)
    person = person_field("Person")
    role = forms.ChoiceField(choices=Delegate.Role.choices)
    order = forms.IntegerField(
        min_value=1, initial=1, help_text="Alternates step in by this order."
    )

    def __init__(self, *args, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliate"].queryset = affiliates


class BodyForm(forms.ModelForm):
    class Meta:
        model = GoverningBody
        fields = ["name", "description"]


class SeatForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. 'At-large seat 1'.")
    affiliate = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Reserved for this affiliate, if any."
    )
    holder = person_field("Held by", required=False)

    def __init__(self, *args, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliate"].queryset = affiliates


class SeatHolderForm(forms.Form):
    holder = person_field("Held by", required=False)


class VoteForm(forms.Form):
    title = forms.CharField(max_length=200)
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the ballot asks, in full.",
    )
    method = forms.ChoiceField(label="Counting method", choices=VOTE_METHODS)
    seats = forms.IntegerField(
        min_value=1, max_value=99, initial=1, help_text="Seats to fill (elections only)."
    )
    electorate = forms.ModelChoiceField(queryset=None)
    assembly = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="Taken at this assembly: voting opens only when it has quorum.",
    )
    remote = forms.BooleanField(
        label="Remote ballot: voters vote from anywhere with a link sent to their own email",
        required=False,
        help_text="Leave unticked for a vote taken in person at the assembly: codes are then "
        "printed only for the voters checked in.",
    )
    required = forms.ChoiceField(
        label="Yes votes needed (questions)", choices=REQUIRED_CHOICES, initial="majority"
    )
    share_of = forms.ChoiceField(label="Counted", choices=SHARE_CHOICES, initial="cast")
    abstentions_count = forms.BooleanField(
        label="Abstentions count as votes cast (so they work like a no)", required=False
    )
    max_rankings = forms.IntegerField(
        label="Most choices a voter may rank",
        min_value=1,
        required=False,
        help_text="Leave empty to let voters rank every candidate.",
    )
    tiebreak_seed = forms.IntegerField(
        label="Random tiebreak seed",
        required=False,
        help_text="Leave empty to break ties by ballot order (the first listed wins a tie). "
        "A number makes ties a seeded random draw anyone can repeat.",
    )

    def __init__(self, *args, electorates, assemblies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["electorate"].queryset = electorates
        self.fields["assembly"].queryset = assemblies

    @staticmethod
    def initial_for(vote: Vote) -> dict:
        options = vote.options or {}
        tiebreak = options.get("tiebreak", "")
        return {
            "title": vote.title,
            "question": vote.question,
            "method": vote.method,
            "seats": vote.seats,
            "electorate": vote.electorate_id,
            "assembly": vote.assembly_id,
            "remote": vote.remote,
            "required": options.get("required", "majority"),
            "share_of": options.get("share_of", "cast"),
            "abstentions_count": options.get("abstentions_count", False),
            "max_rankings": options.get("max_rankings"),
            "tiebreak_seed": tiebreak.split(":")[1] if tiebreak.startswith("random:") else None,
        }

    def setup(self) -> dict:
        """Return the vote's setup fields, counting options gathered into `options`."""
        data = self.cleaned_data
        options = {}
        if data["method"] == "threshold":
            options = {
                "required": data["required"],
                "share_of": data["share_of"],
                "abstentions_count": data["abstentions_count"],
            }
        elif data["max_rankings"]:
            options["max_rankings"] = data["max_rankings"]
        if data["tiebreak_seed"] is not None:
            options["tiebreak"] = f"random:{data['tiebreak_seed']}"
        return {
            "title": data["title"],
            "question": data["question"],
            "method": data["method"],
            "seats": data["seats"],
            "electorate": data["electorate"],
            "assembly": data["assembly"],
            "remote": data["remote"],
            "options": options,
        }


class CandidateForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="As it appears on the ballot.")
    person = person_field("Person in the base (optional)", required=False)


class ProxyForm(forms.Form):
    grantor = person_field("Delegate giving their vote")
    holder = person_field("Person holding the proxy")


class SeatAlternateForm(forms.Form):
    delegate = forms.ModelChoiceField(queryset=None, label="Absent delegate")

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates


class EndorsementForm(forms.Form):
    endorsee = forms.CharField(label="Candidate to endorse", max_length=200)
    office = forms.CharField(max_length=200, help_text="e.g. 'State Senate, District 10'.")
    electorate = forms.ModelChoiceField(queryset=None)
    required = forms.ChoiceField(label="Yes votes needed", choices=REQUIRED_CHOICES, initial="60%")
    share_of = forms.ChoiceField(label="Counted", choices=SHARE_CHOICES, initial="electorate")
    assembly = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, electorates, assemblies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["electorate"].queryset = electorates
        self.fields["assembly"].queryset = assemblies


class AssemblyForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(max_length=200, required=False)
    electorate = forms.ModelChoiceField(
        queryset=None, help_text="Who takes part; quorum is counted of them."
    )
    quorum_count = forms.IntegerField(
        label="Quorum: at least this many present", min_value=1, required=False
    )
    quorum_percent = forms.DecimalField(
        label="Quorum: at least this % of the electorate",
        min_value=0,
        max_value=100,
        required=False,
    )
    quorum_min_affiliates = forms.IntegerField(
        label="Quorum: at least this many affiliates represented", min_value=1, required=False
    )

    def __init__(self, *args, electorates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["electorate"].queryset = electorates


class AttendanceForm(forms.Form):
    person = forms.CharField(
        label="Check in",
        max_length=200,
        help_text="A name or #number. The assembly's delegates and proxy holders are searched "
        "first.",
    )
    guest = forms.BooleanField(
        label="As a guest (no vote, not counted for quorum)",
        required=False,
        help_text="Only for someone who is neither in the electorate nor holds a proxy.",
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    proposal = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class AssemblyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Assembly.Status.choices)


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), required=False)


class DecisionForm(forms.Form):
    title = forms.CharField(label="What was decided", max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    outcome = forms.ChoiceField(
        choices=[
            (Decision.Outcome.ADOPTED, "Adopted"),
            (Decision.Outcome.REJECTED, "Rejected"),
            (Decision.Outcome.RECORDED, "Recorded"),
        ]
    )


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}))
    assembly = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The assembly that will decide it, if any."
    )

    def __init__(self, *args, assemblies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assembly"].queryset = assemblies


class ProposalStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Proposal.Status.DELIBERATION, "Open deliberation"),
            (Proposal.Status.WITHDRAWN, "Withdraw"),
        ]
    )


class CommentForm(forms.Form):
    body = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentForm(forms.Form):
    summary = forms.CharField(max_length=300, help_text="What it changes, in a line.")
    text = forms.CharField(
        label="The proposal as amended", widget=forms.Textarea(attrs={"rows": 10})
    )


class ProposalVoteForm(forms.Form):
    electorate = forms.ModelChoiceField(queryset=None)
    required = forms.ChoiceField(label="Yes votes needed", choices=REQUIRED_CHOICES)
    share_of = forms.ChoiceField(label="Counted", choices=SHARE_CHOICES)
    assembly = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, electorates, assemblies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["electorate"].queryset = electorates
        self.fields["assembly"].queryset = assemblies


class RollSearchForm(forms.Form):
    q = forms.CharField(label="Find a voter", required=False, max_length=100)


# Ballots -----------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your voting code",
        max_length=80,
        help_text="As printed on your slip, e.g. K7QD-3MXP-9T2A.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label="Your receipt code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class BallotForm(forms.Form):
    """The ballot: a select per rank, radio buttons for one choice, or checkboxes.

    Tellers entering a paper ballot get the same form with the sheet number, the weight for
    weighted votes, and "two or more marked" (an overvote) as a choice.
    """

    def __init__(
        self,
        *args,
        vote: Vote,
        names: list[str],
        max_rankings: int | None = None,
        paper: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.vote, self.paper = vote, paper
        if paper:
            self.fields["sheet"] = forms.IntegerField(
                label="Sheet number",
                min_value=1,
                help_text="Number the sheets of the pile 1, 2, 3...; the other teller uses the "
                "same numbers.",
            )
            if vote.electorate.is_weighted:
                self.fields["weight"] = forms.DecimalField(
                    label="Weight printed on the ballot", min_value=0
                )
        choices = [(name, name) for name in names]
        if vote.is_question:
            choices = [(name, name.capitalize()) for name in CHOICES]
        if paper and vote.method != "approval":
            choices.append((OVERVOTE, "Two or more marked (an overvote)"))
        if vote.is_ranked:
            ranks = min(len(names), max_rankings or len(names))
            for rank in range(1, ranks + 1):
                self.fields[f"rank{rank}"] = forms.ChoiceField(
                    label=f"{ordinal(rank)} choice",
                    required=False,
                    choices=[("", "— no choice —"), *choices],
                )
        elif vote.method == "approval":
            self.fields["approve"] = forms.MultipleChoiceField(
                label="Mark every choice you approve of",
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            label = "Your answer" if vote.is_question else "Your choice"
            self.fields["choice"] = forms.ChoiceField(
                label=label, required=False, choices=choices, widget=forms.RadioSelect
            )

    def clean(self):
        data = super().clean()
        if not self.paper:
            chosen = [name for mark in self.marks() for name in mark]
            if len(chosen) != len(set(chosen)):
                raise forms.ValidationError(
                    "You chose the same candidate for two ranks; choose each candidate once."
                )
        return data

    def marks(self) -> list[list[str]]:
        """Return the ballot as marks, one list of names per rank."""
        data = self.cleaned_data
        if "approve" in self.fields:
            return [[name] for name in data.get("approve", [])]
        if "choice" in self.fields:
            return [[data["choice"]]] if data.get("choice") else []
        ranks = sorted(
            (int(name[4:]), value) for name, value in data.items() if name.startswith("rank")
        )
        return [[value] if value else [] for _, value in ranks]
