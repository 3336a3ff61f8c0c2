"""Elections, races and their results; the candidate pipeline from the base; endorsements.

    Election ─< Race ─< Candidate ─< ResultLine        (votes, per precinct where known)
                 │
                 └── EndorsementProcess ─< Question ─< Response (one per candidate)
                                         │   └── legislature.Demand (the demand it asks about)
                                         >─< legislature.Demand (the pledged demands)
                                         ─< Interview
                                         ── democracy.Endorsement (the vote that decides)
    PipelineEntry ─< PipelineStep                      (a person on the way to office)

A race points at a voter-file district where it has one, so the power map can set its results
beside the organized base. The electoral field program (universes, turf, canvassing) lives in
its own app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel


class Election(TenantModel):
    """One election day: a primary, a general, a special or a municipal election."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary"
        GENERAL = "general", "General"
        SPECIAL = "special", "Special"
        MUNICIPAL = "municipal", "Municipal"

    name = models.CharField(max_length=200, help_text="e.g. 'Democratic primary 2024'.")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="election_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Race(TenantModel):
    """One contest on an election's ballot: an office, its district, how many seats."""

    # A race is part of its election's record.
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="races")
    office = models.CharField(max_length=200, help_text="e.g. 'State Senate District 10'.")
    # Districts are kept across voter file versions; if one goes, the race keeps its name.
    district = models.ForeignKey(
        "voterfile.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The voter-file district the office is elected in.",
    )
    seats = models.PositiveSmallIntegerField(default=1)
    party = models.CharField(
        max_length=20,
        blank=True,
        help_text="For a primary: the party whose nominee it chooses, as the voter file codes "
        "it (e.g. DEM).",
    )
    ranked_choice = models.BooleanField(
        default=False, help_text="Counted by instant runoff from imported ranked ballots."
    )
    ballots_cast = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Ballots cast in the race, if reported; otherwise the votes counted are used.",
    )
    eligible_voters = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Voters who could vote in it (for turnout); for a primary, the party's "
        "registered voters in the district.",
    )
    count_record = models.JSONField(
        default=dict,
        blank=True,
        help_text="A ranked-choice race's round-by-round count from the counting engine.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["election", "office"]
        constraints = [
            models.UniqueConstraint(fields=["election", "office"], name="race_office_per_election")
        ]

    def __str__(self) -> str:
        return f"{self.office} ({self.election})"


class Candidate(TenantModel):
    """Someone on a race's ballot, from the base or not."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=200, help_text="As printed on the ballot.")
    # A candidate stays in the results if the person record goes.
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidacies",
        help_text="The person in the base, where they come from it.",
    )
    incumbent = models.BooleanField(default=False)
    party = models.CharField(max_length=40, blank=True)
    fusion_lines = models.JSONField(
        default=list,
        blank=True,
        help_text="Other party lines the candidate also runs on (fusion voting), e.g. ['WFP'].",
    )

    class Meta:
        ordering = ["race", "name"]
        constraints = [
            models.UniqueConstraint(fields=["race", "name"], name="candidate_name_per_race")
        ]

    def __str__(self) -> str:
        return self.name


class ResultLine(TenantModel):
    """Votes a candidate received, in one precinct or (precinct blank) in the whole race."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="result_lines")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="results")
    precinct = models.CharField(
        max_length=100, blank=True, help_text="Blank for a race-wide total."
    )
    line = models.CharField(
        max_length=40,
        blank=True,
        help_text="The ballot line (party) the votes were cast on: under fusion voting a "
        "candidate has a result line per ballot line, and their total adds them up.",
    )
    votes = models.PositiveIntegerField()
    by_method = models.JSONField(
        default=dict,
        blank=True,
        help_text="Votes by how they were cast, as the file gave them: early_voting, "
        "election_day, absentee, provisional...",
    )

    class Meta:
        ordering = ["race", "candidate", "precinct", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "precinct", "line"],
                name="one_result_per_candidate_precinct_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.votes}"


class PipelineEntry(TenantModel):
    """A person from the base on the way to office, and the office they aim at."""

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        RECRUITED = "recruited", "Recruited"
        TRAINED = "trained", "Trained"
        RUNNING = "running", "Running"
        ELECTED = "elected", "Elected"
        GOVERNING = "governing", "Governing"
        LEFT = "left", "Left the pipeline"

    # The pipeline is about the person; it goes with them.
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="pipeline_entry"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED)
    target_office = models.CharField(max_length=200, help_text="e.g. 'State House District 94'.")
    # A race can be removed; the entry keeps its target office in words.
    race = models.ForeignKey(
        Race,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The race they run in, once known.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__family_key", "person__given_key"]
        verbose_name_plural = "pipeline entries"

    def __str__(self) -> str:
        return f"{self.person} for {self.target_office}"


class PipelineStep(TenantModel):
    """A move of a pipeline entry to a stage, on a date."""

    entry = models.ForeignKey(PipelineEntry, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=12, choices=PipelineEntry.Stage.choices)
    on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["entry", "on", "id"]

    def __str__(self) -> str:
        return f"{self.entry.person_id} {self.stage} on {self.on}"


class EndorsementProcess(TenantModel):
    """How the organization decides whom to endorse in a race: questionnaire, interviews, a
    committee recommendation, and a vote of the members that decides."""

    class Stage(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", "Questionnaire out"
        INTERVIEWS = "interviews", "Interviews"
        RECOMMENDED = "recommended", "Committee has recommended"
        VOTING = "voting", "Put to a vote"
        ENDORSED = "endorsed", "Endorsed"
        NOT_ENDORSED = "not_endorsed", "Not endorsed"

    race = models.OneToOneField(Race, on_delete=models.CASCADE, related_name="endorsement")
    stage = models.CharField(max_length=14, choices=Stage.choices, default=Stage.QUESTIONNAIRE)
    # The recommendation names a candidate of this race; removing them clears it.
    recommended = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation = models.TextField(blank=True, help_text="The committee's reasons.")
    # The vote is the democracy app's record of the decision; it is never deleted.
    endorsement_vote = models.OneToOneField(
        "democracy.Endorsement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="process",
        help_text="The members' vote that decides, with its threshold.",
    )
    pledges = models.TextField(
        blank=True, help_text="What the endorsed candidate pledged, in their words."
    )
    # The platform demands among the questionnaire's that the endorsed candidate pledged to;
    # once the candidate holds office they become legislature pledges of the official.
    pledged_demands = models.ManyToManyField("legislature.Demand", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Endorsement in {self.race}"


class Question(TenantModel):
    """A question of an endorsement questionnaire: free, or tied to a platform demand
    (legislature app), whose wording `demand` keeps should the demand be removed."""

    process = models.ForeignKey(
        EndorsementProcess, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()
    demand = models.CharField(
        max_length=300, blank=True, help_text="The platform demand the question is about, if any."
    )
    # A platform revision may drop a demand; the question keeps its wording in `demand`.
    platform_demand = models.ForeignKey(
        "legislature.Demand",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text="The demand of the platform it asks about.",
    )

    class Meta:
        ordering = ["process", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Response(TenantModel):
    """A candidate's answer to one question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="responses")
    answer = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question", "candidate"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "candidate"], name="one_response_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} on question {self.question_id}"


class Interview(TenantModel):
    """Notes of the committee's interview of a candidate."""

    process = models.ForeignKey(
        EndorsementProcess, on_delete=models.CASCADE, related_name="interviews"
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(default=timezone.localdate)
    notes = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["process", "held_on", "id"]

    def __str__(self) -> str:
        return f"Interview of {self.candidate} on {self.held_on}"
