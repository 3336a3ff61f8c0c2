"""The field program: universes of voters, the turfs they are cut into, and canvass results.

    Universe   a saved filter over the voter file joined with the base (see `universes`)
    Turf       a walkable cut of a universe: doors of one precinct, in walking order
    Door       one address in a turf, with the universe's voters living there
    Attempt    one knock on one door by one canvasser (append-only)
    CanvassLink  a volunteer's way into one turf without an account

Attempts are never updated: two canvassers on one turf each add their own rows, the latest
attempt per door is what the door shows, and every attempt counts toward the day's work.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel

# The field's usual support scale: 1 is the strongest supporter. A universe may relabel it
# (some programs score the other way round) and say which scores count as supporters.
SUPPORT_SCORES = (1, 2, 3, 4, 5)
DEFAULT_SUPPORT_LABELS = (
    "Strong support",
    "Lean support",
    "Undecided",
    "Lean oppose",
    "Strong oppose",
)
DEFAULT_SUPPORTER_SCORES = (1, 2)


def default_support_labels() -> list[str]:
    return list(DEFAULT_SUPPORT_LABELS)


def default_supporter_scores() -> list[int]:
    return list(DEFAULT_SUPPORTER_SCORES)


class Universe(TenantModel):
    """A saved selection of voters and members for a field program."""

    name = models.CharField(max_length=200)
    filters = models.JSONField(
        default=dict,
        blank=True,
        help_text="The filter as `universes.UniverseFilter.to_dict()` writes it.",
    )
    survey = models.JSONField(
        default=list,
        blank=True,
        help_text="Survey questions canvassers ask: [{'key', 'question', 'choices': [...]}].",
    )
    voter_count = models.PositiveIntegerField(
        default=0, help_text="Voters matching the filter when it was last saved."
    )
    door_count = models.PositiveIntegerField(
        default=0, help_text="Distinct addresses among them when it was last saved."
    )
    daily_goal = models.PositiveIntegerField(
        default=0, help_text="Doors to knock per day across all turfs; 0 for no daily goal."
    )
    script = models.TextField(
        blank=True,
        help_text="What canvassers say at the door: shown on the canvass page and "
        "printed on the walk list.",
    )
    support_labels = models.JSONField(
        default=default_support_labels,
        help_text="The labels of support scores 1 to 5, in order (five strings).",
    )
    supporter_scores = models.JSONField(
        default=default_supporter_scores,
        help_text="The scores that count as a supporter in progress figures: [1, 2] on the "
        "usual scale where 1 is strong support.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="field_universe_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def support_scale(self) -> list[tuple[int, str]]:
        """Return (score, label) for scores 1 to 5, as canvassers choose them."""
        return list(zip(SUPPORT_SCORES, self.support_labels, strict=True))

    def support_label(self, score: int | None) -> str:
        """Return "2 Lean support" for a score, "" for none."""
        if score is None:
            return ""
        labels = dict(self.support_scale)
        return f"{score} {labels[score]}" if score in labels else str(score)


class Turf(TenantModel):
    """A walkable cut of a universe: about N doors of one precinct, in walking order."""

    # A universe's turfs go with it; results stay reachable only through their turf.
    universe = models.ForeignKey(Universe, on_delete=models.CASCADE, related_name="turfs")
    number = models.PositiveIntegerField(help_text="1, 2, 3 ... within the universe.")
    name = models.CharField(max_length=200, help_text="Precinct and streets, e.g. '12-1: Elm St'.")
    precinct = models.CharField(max_length=100, blank=True)
    district = models.CharField(
        max_length=100,
        blank=True,
        help_text="The state house district of most of its doors: progress rolls up by it.",
    )
    door_count = models.PositiveIntegerField(default=0)
    voter_count = models.PositiveIntegerField(default=0)
    goal = models.PositiveIntegerField(
        default=0, help_text="Doors to reach (any answer at the door); all doors by default."
    )
    canvassers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Accounts this turf is given to: it heads their list of turfs. Anyone who "
        "may canvass can still open any turf of the organization.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["universe", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["universe", "number"], name="field_turf_number_per_universe"
            )
        ]

    def __str__(self) -> str:
        return f"Turf {self.number}: {self.name}"


class Door(TenantModel):
    """One address of a turf and the universe's voters registered there."""

    class Side(models.TextChoices):
        ODD = "odd", "Odd side"
        EVEN = "even", "Even side"
        UNKNOWN = "", "No house number"

    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="doors")
    position = models.PositiveIntegerField(help_text="Walking order within the turf, from 1.")
    address = models.CharField(max_length=300)
    street = models.CharField(max_length=200, blank=True)
    house_number = models.PositiveIntegerField(null=True, blank=True)
    side = models.CharField(max_length=4, choices=Side.choices, blank=True)
    city = models.CharField(max_length=100, blank=True)
    zip = models.CharField(max_length=10, blank=True)
    voters = models.JSONField(
        default=list,
        help_text="[{'voter_id', 'name', 'age', 'party', 'phone', 'person_id'}]; person_id is "
        "set for members of the base (linked through identity).",
    )
    member_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["turf", "position"]
        indexes = [models.Index(fields=["turf", "position"])]

    def __str__(self) -> str:
        return self.address


class CanvassLink(TenantModel):
    """A link that lets a volunteer canvass one turf without an account.

    Only a keyed hash of the token is stored (as for voting codes), so a copy of the database
    opens no turf. The link names its organization and turf through this row.
    """

    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="links")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, help_text="Who it was given to, e.g. 'Jo (Elm St)'.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Link for {self.label}"

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Attempt(TenantModel):
    """One knock on one door: what happened, the support score and survey answers. Append-only."""

    class Result(models.TextChoices):
        NOT_HOME = "not_home", "Not home"
        REFUSED = "refused", "Refused"
        TALKED = "talked", "Talked"
        MOVED = "moved", "Moved"

    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="attempts")
    door = models.ForeignKey(Door, on_delete=models.CASCADE, related_name="attempts")
    result = models.CharField(max_length=10, choices=Result.choices)
    voter_id = models.CharField(
        max_length=40, blank=True, help_text="The voter spoken to, when the canvasser says."
    )
    support = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="1 to 5 on the universe's scale (by default 1 strong support ... 5 strong "
        "oppose; see Universe.support_labels).",
    )
    answers = models.JSONField(default=dict, blank=True, help_text="{question key: answer}.")
    note = models.CharField(max_length=500, blank=True)
    canvasser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A revoked link keeps its results.
    link = models.ForeignKey(
        CanvassLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    canvasser_label = models.CharField(max_length=254, blank=True)
    client_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="Sent by the phone with each result, so a retried submission counts once.",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["turf", "door", "-recorded_at"]),
            models.Index(fields=["organization", "recorded_at"]),
            # A person's story and the ladder read a voter's results across turfs.
            models.Index(
                fields=["organization", "voter_id", "-recorded_at"], name="field_attempt_by_voter"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["turf", "client_key"],
                condition=~models.Q(client_key=""),
                name="field_attempt_once_per_client_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.door}: {self.get_result_display()}"
