"""Forms of the field program. They parse and label; the rules live in `services`."""

from django import forms

from powerbase.field.models import DEFAULT_SUPPORT_LABELS, DEFAULT_SUPPORTER_SCORES, SUPPORT_SCORES
from powerbase.field.services import MAX_DOORS, MIN_DOORS
from powerbase.field.universes import MAX_LAST
from powerbase.voterfile.models import District

# Every kind the voter file reads, the local ones (school board, county commission...) too.
DISTRICT_CHOICES = [("", "Anywhere")] + list(District.Kind.choices)
MEMBERSHIP = [
    ("any", "Members and non-members"),
    ("members", "Members of the base only"),
    ("others", "Not yet members only"),
]


class UniverseForm(forms.Form):
    name = forms.CharField(max_length=200)
    district_kind = forms.ChoiceField(
        choices=DISTRICT_CHOICES, required=False, label="Kind of district"
    )
    districts = forms.CharField(required=False, help_text="Codes, separated by commas: 94, 95")
    precincts = forms.CharField(required=False, help_text="Precinct codes, separated by commas")
    parties = forms.CharField(required=False, help_text="Party codes, e.g. DEM, WF, UNA")
    min_primaries = forms.IntegerField(
        min_value=0,
        max_value=MAX_LAST,
        required=False,
        label="Voted in at least this many primaries",
    )
    last_primaries = forms.IntegerField(
        min_value=1, max_value=MAX_LAST, initial=4, required=False, label="... of the last"
    )
    min_age = forms.IntegerField(min_value=17, max_value=120, required=False)
    max_age = forms.IntegerField(min_value=17, max_value=120, required=False)
    membership = forms.ChoiceField(choices=MEMBERSHIP, initial="any")
    ladder_levels = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="On the ladder at"
    )
    tags = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Tagged"
    )
    include_inactive = forms.BooleanField(required=False, label="Include inactive registrations")
    survey = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One question a line, choices after bars: Top issue? | Rent | Wages",
    )
    daily_goal = forms.IntegerField(
        min_value=0, required=False, initial=0, help_text="Doors to knock per day across all turfs"
    )
    script = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Script",
        help_text="What canvassers say at the door: shown on their phones and "
        "printed on the walk list",
    )
    support_labels = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Support scale",
        initial="\n".join(DEFAULT_SUPPORT_LABELS),
        help_text="Five labels, one a line, for scores 1 to 5",
    )
    supporter_scores = forms.TypedMultipleChoiceField(
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[(score, str(score)) for score in SUPPORT_SCORES],
        initial=list(DEFAULT_SUPPORTER_SCORES),
        label="Scores that count as supporters",
    )

    def __init__(self, *args, levels=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ladder_levels"].choices = [(level.pk, level.name) for level in levels]
        self.fields["tags"].choices = [(tag.pk, tag.name) for tag in tags]
        for name in ("ladder_levels", "tags"):
            if not self.fields[name].choices:  # nothing to choose from yet
                del self.fields[name]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in (
                "district_kind",
                "districts",
                "precincts",
                "parties",
                "min_primaries",
                "last_primaries",
                "min_age",
                "max_age",
                "membership",
                "ladder_levels",
                "tags",
                "include_inactive",
            )
        }

    @staticmethod
    def initial_from(universe) -> dict:
        filters = dict(universe.filters)
        for key in ("districts", "precincts", "parties"):
            filters[key] = ", ".join(filters.get(key) or [])
        survey = "\n".join(" | ".join([q["question"], *q["choices"]]) for q in universe.survey)
        return {
            **filters,
            "name": universe.name,
            "survey": survey,
            "daily_goal": universe.daily_goal,
            "script": universe.script,
            "support_labels": "\n".join(universe.support_labels),
            "supporter_scores": universe.supporter_scores,
        }

    def extras(self) -> dict:
        """The service's keyword arguments besides the filter."""
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in ("survey", "daily_goal", "script", "support_labels", "supporter_scores")
        }


class CutForm(forms.Form):
    doors_per_turf = forms.IntegerField(
        min_value=MIN_DOORS, max_value=MAX_DOORS, initial=60, label="Doors per turf"
    )


class GoalForm(forms.Form):
    goal = forms.IntegerField(min_value=0, label="Goal (doors)")


class LinkForm(forms.Form):
    label = forms.CharField(
        max_length=100, label="Volunteer", help_text="Who gets the link, so you can revoke it later"
    )
    days = forms.IntegerField(min_value=1, max_value=90, initial=14, label="Valid for (days)")
