"""Forms of the electoral app. People are named in a text field ('Ana Reyes' or '#12') and
looked up by the view, so no form lists the whole base."""

from django import forms

from powerbase.democracy.forms import PERSON_HELP, REQUIRED_CHOICES, SHARE_CHOICES
from powerbase.electoral.models import Election, PipelineEntry
from powerbase.electoral.services import MAX_VOTES

DATE = forms.DateInput(attrs={"type": "date"})


class ElectionForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="e.g. 'Democratic primary 2026'.")
    date = forms.DateField(widget=DATE)
    kind = forms.ChoiceField(choices=Election.Kind.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RaceForm(forms.Form):
    office = forms.CharField(max_length=200, help_text="e.g. 'State Senate District 10'.")
    district = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The voter-file district, for the power map."
    )
    seats = forms.IntegerField(min_value=1, max_value=100, initial=1)
    party = forms.CharField(
        max_length=20,
        required=False,
        help_text="For a primary: the party as the voter file codes it.",
    )
    ranked_choice = forms.BooleanField(required=False, label="Ranked-choice (instant runoff)")
    eligible_voters = forms.IntegerField(
        min_value=0,
        max_value=MAX_VOTES,
        required=False,
        help_text="Who could vote in it, for turnout.",
    )
    ballots_cast = forms.IntegerField(min_value=0, max_value=MAX_VOTES, required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class CandidateForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="As printed on the ballot.")
    person = forms.CharField(
        label="Person in the base (optional)", max_length=200, required=False, help_text=PERSON_HELP
    )
    incumbent = forms.BooleanField(required=False)
    party = forms.CharField(max_length=40, required=False)
    fusion_lines = forms.CharField(
        max_length=200,
        required=False,
        help_text="Other party lines, separated by commas (e.g. WFP).",
    )


class FileForm(forms.Form):
    file = forms.FileField()


class ResultsForm(FileForm):
    election = forms.CharField(
        max_length=200,
        required=False,
        help_text="For a file without an election column (OpenElections): the election's name "
        "or date (YYYY-MM-DD). Left blank, the date the file name starts with.",
    )


class PipelineForm(forms.Form):
    person = forms.CharField(label="Person in the base", max_length=200, help_text=PERSON_HELP)
    target_office = forms.CharField(max_length=200)
    stage = forms.ChoiceField(choices=PipelineEntry.Stage.choices)
    on = forms.DateField(label="Since", widget=DATE, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=PipelineEntry.Stage.choices)
    on = forms.DateField(label="On", widget=DATE, required=False)
    note = forms.CharField(max_length=300, required=False)


class DemandChoice(forms.ModelChoiceField):
    """A platform demand, named with its platform version so old versions are told apart."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.plank.version})"


class DemandsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 2}))
    platform_demand = DemandChoice(
        queryset=None,
        required=False,
        label="Platform demand",
        help_text="The demand of the platform it asks about, if any.",
    )
    demand = forms.CharField(
        max_length=300,
        required=False,
        label="Or a demand in words",
        help_text="For a demand the platform does not (yet) have.",
    )

    def __init__(self, *args, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform_demand"].queryset = demands


class _CandidateChoice(forms.Form):
    candidate = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates


class ResponseForm(_CandidateChoice):
    question = forms.ModelChoiceField(queryset=None)
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions


class InterviewForm(_CandidateChoice):
    held_on = forms.DateField(widget=DATE, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


class RecommendForm(_CandidateChoice):
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EndorsementVoteForm(forms.Form):
    electorate = forms.ModelChoiceField(queryset=None)
    required = forms.ChoiceField(label="Yes votes needed", choices=REQUIRED_CHOICES, initial="60%")
    share_of = forms.ChoiceField(label="Counted", choices=SHARE_CHOICES, initial="electorate")

    def __init__(self, *args, electorates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["electorate"].queryset = electorates


class PledgesForm(forms.Form):
    pledges = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    demands = DemandsChoice(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Platform demands pledged",
        help_text="They become the official's pledges in the legislature "
        "app once the candidate holds office.",
    )

    def __init__(self, *args, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demands"].queryset = demands
