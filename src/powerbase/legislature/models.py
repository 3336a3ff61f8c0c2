"""The inside game: officials and the bloc, the platform and its demands, bills, roll-call votes,
scorecards, pledges, whip counts and the inside events of a campaign's calendar.

    Official ──< BlocMembership                    who represents whom; who is in our bloc
    Platform ──< PlatformVersion ──< Plank ──< Demand >──< Bill ──< BillAction
                  (adopted by a democracy.Decision)            └──< RollCall ──< OfficialVote
    Scorecard ──< ScorecardVote >── RollCall                  the votes that count, and how
    Pledge (Official -> Demand)                               what an official promised
    WhipBoard ──< WhipStance (history)                        where each official stands now
    ActionTarget (actions.Action -> Official)                 the outside game aimed at them
    InsideEvent                                               hearings, floor votes, deadlines
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel


class Chamber(models.TextChoices):
    UPPER = "upper", "Senate"
    LOWER = "lower", "House"
    COUNCIL = "council", "Council"
    EXECUTIVE = "executive", "Executive"
    OTHER = "other", "Other body"


# The voter-file district kind each legislative chamber's districts are drawn as.
DISTRICT_KIND_OF_CHAMBER: dict[str, str] = {
    Chamber.UPPER: "state_senate",
    Chamber.LOWER: "state_house",
}


class VoteOption(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    ABSENT = "absent", "Absent"
    ABSTAIN = "abstain", "Abstain"
    EXCUSED = "excused", "Excused"
    OTHER = "other", "Other"


class Official(TenantModel):
    """Someone who holds (or held) an office the organization tracks: a legislator, a council
    member, a mayor."""

    class Source(models.TextChoices):
        OPENSTATES = "openstates", "Open States import"
        MANUAL = "manual", "Entered by hand"
        DEMO = "demo", "Demo (fictional)"

    name = models.CharField(max_length=200)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    office = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'State Senator', 'Alder, Ward 7', 'Mayor'."
    )
    chamber = models.CharField(max_length=10, choices=Chamber.choices, default=Chamber.LOWER)
    jurisdiction = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'Connecticut' or 'New Haven'."
    )
    district_code = models.CharField(
        max_length=40, blank=True, help_text="The district as its number or name: '7'."
    )
    # The district row may be replaced by a new voter file; the official stays.
    district = models.ForeignKey(
        "voterfile.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The voter-file district, when one matches.",
    )
    party = models.CharField(
        max_length=100,
        blank=True,
        help_text="Every ballot line, fusion lines joined by '/': 'Democratic/Working Families'.",
    )
    term_starts = models.DateField(null=True, blank=True)
    term_ends = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    office_address = models.CharField(max_length=300, blank=True)
    photo_url = models.URLField(max_length=500, blank=True)
    links = models.JSONField(default=list, blank=True, help_text="Web pages about them.")
    openstates_id = models.CharField(
        max_length=80, blank=True, help_text="'ocd-person/...' for an Open States import."
    )
    identifiers = models.JSONField(
        default=dict, blank=True, help_text="Other ids by scheme, e.g. legacy_openstates."
    )
    is_current = models.BooleanField(default=True, help_text="Holds the office now.")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chamber", "family_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "openstates_id"],
                name="official_openstates_id_per_org",
                condition=~models.Q(openstates_id=""),
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "chamber", "district_code"], name="official_by_district"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def party_lines(self) -> list[str]:
        """Return each ballot line the official ran on: fusion voting gives several."""
        return [line.strip() for line in self.party.split("/") if line.strip()]

    @property
    def seat_label(self) -> str:
        """Return "Senate district 7" or the office as written."""
        if self.district_code and self.chamber in (Chamber.UPPER, Chamber.LOWER):
            return f"{self.get_chamber_display()} district {self.district_code}"
        return self.office or self.get_chamber_display()


class BlocMembership(TenantModel):
    """A stretch of time an official caucused with the organization's bloc."""

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="bloc_memberships"
    )
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-joined_on", "-id"]

    def __str__(self) -> str:
        return f"{self.official} in the bloc from {self.joined_on}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()


class Platform(TenantModel):
    """The base's program, revised over time in versions."""

    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PlatformVersion(TenantModel):
    """One version of a platform; the highest adopted number is the one in force."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # The organization's record of the decision is kept while a platform rests on it.
    decision = models.ForeignKey(
        "democracy.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The democracy decision that adopted this version.",
    )
    adopted_on = models.DateField(null=True, blank=True, help_text="Empty while a draft.")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["platform", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "number"], name="platform_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.platform}, version {self.number}"


class Plank(TenantModel):
    """A broad goal of the platform: 'tax the rich to fund public schools'."""

    version = models.ForeignKey(PlatformVersion, on_delete=models.CASCADE, related_name="planks")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Demand(TenantModel):
    """A specific reform a plank asks for; with a dollar figure it is a budget fight."""

    plank = models.ForeignKey(Plank, on_delete=models.CASCADE, related_name="demands")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    amount = models.DecimalField(
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Dollars asked for, for a budget demand.",
    )
    budget_item = models.CharField(
        max_length=300, blank=True, help_text="The line of the budget it is fought on."
    )
    bills = models.ManyToManyField("Bill", blank=True, related_name="demands")

    class Meta:
        ordering = ["plank", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_budget_fight(self) -> bool:
        return self.amount is not None


class Position(models.TextChoices):
    SUPPORT = "support", "Support"
    OPPOSE = "oppose", "Oppose"
    AMEND = "amend", "Amend"
    NONE = "", "No position"


class Bill(TenantModel):
    """A bill (or budget bill) in a legislature, and where the organization stands on it."""

    jurisdiction = models.CharField(max_length=200, help_text="e.g. 'Connecticut'.")
    session = models.CharField(max_length=40, help_text="e.g. '2027'.")
    identifier = models.CharField(max_length=40, help_text="e.g. 'HB 5001'.")
    title = models.CharField(max_length=500)
    status = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it stands, e.g. 'In committee', 'Passed House'.",
    )
    position = models.CharField(max_length=10, choices=Position.choices, blank=True)
    position_reason = models.TextField(blank=True, help_text="Why we take that position.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-session", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "jurisdiction", "session", "identifier"],
                name="bill_identifier_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.title}"

    @property
    def right_vote(self) -> str:
        """Return the vote that follows our position on final passage ('' when it depends)."""
        return vote_following(self.position)


def vote_following(position: str) -> str:
    """Return the vote on final passage that follows a bill *position* ('' when it depends)."""
    following: dict[str, str] = {Position.SUPPORT: VoteOption.YES, Position.OPPOSE: VoteOption.NO}
    return following.get(position, "")


class BillAction(TenantModel):
    """One step in a bill's life: introduced, referred, reported out, passed, signed."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="actions")
    date = models.DateField()
    description = models.CharField(max_length=500)
    chamber = models.CharField(max_length=10, choices=Chamber.choices, blank=True)

    class Meta:
        ordering = ["bill", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.description}"


class RollCall(TenantModel):
    """A recorded vote in a chamber, with each official's vote."""

    class Result(models.TextChoices):
        PASS = "pass", "Passed"
        FAIL = "fail", "Failed"

    class Source(models.TextChoices):
        OPENSTATES = "openstates", "Open States vote event"
        CSV = "csv", "CSV file"
        HAND = "hand", "Entered by hand"
        DEMO = "demo", "Demo (fictional)"

    # A bill's roll calls are part of its record; a bill with votes is not deleted.
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="roll_calls"
    )
    jurisdiction = models.CharField(max_length=200, blank=True)
    session = models.CharField(max_length=40, blank=True)
    chamber = models.CharField(max_length=10, choices=Chamber.choices)
    motion = models.CharField(max_length=500, help_text="e.g. 'On final passage'.")
    date = models.DateField()
    result = models.CharField(max_length=4, choices=Result.choices)
    external_id = models.CharField(
        max_length=200, blank=True, help_text="The source's id (an Open States vote event id)."
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.HAND)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                name="roll_call_external_id_per_org",
                condition=~models.Q(external_id=""),
            )
        ]

    def __str__(self) -> str:
        bill = f"{self.bill.identifier}, " if self.bill is not None else ""
        return f"{bill}{self.motion} ({self.date})"


class OfficialVote(TenantModel):
    """How one official voted in one roll call."""

    roll_call = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="votes")
    # An official with recorded votes is kept: the record is public history.
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="votes")
    option = models.CharField(max_length=8, choices=VoteOption.choices)

    class Meta:
        ordering = ["roll_call", "official__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["roll_call", "official"], name="one_vote_per_official_per_roll_call"
            )
        ]

    def __str__(self) -> str:
        return f"{self.official}: {self.option}"


class Scorecard(TenantModel):
    """The votes of a session that count, how much each weighs and which way is right.

    Private until published on purpose; the public page shows only published scorecards.
    """

    title = models.CharField(max_length=200)
    jurisdiction = models.CharField(max_length=200, blank=True)
    session = models.CharField(max_length=40)
    introduction = models.TextField(blank=True, help_text="Shown at the top of the public page.")
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-session", "title"]

    def __str__(self) -> str:
        return self.title


class ScorecardVote(TenantModel):
    """One roll call chosen for a scorecard."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="items")
    # A roll call on a scorecard is kept.
    roll_call = models.ForeignKey(RollCall, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    right_option = models.CharField(
        max_length=3,
        choices=[(VoteOption.YES, "Yes"), (VoteOption.NO, "No")],
        help_text="The vote that counts as right.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why this vote matters.")

    class Meta:
        ordering = ["scorecard", "roll_call__date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "roll_call"], name="roll_call_once_per_scorecard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.roll_call} ({self.right_option} is right)"


class Pledge(TenantModel):
    """An official's commitment to a platform demand."""

    class Source(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", "Endorsement questionnaire"
        ACCOUNTABILITY = "accountability", "Accountability session"
        PUBLIC = "public", "Public statement"
        OTHER = "other", "Other"

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="pledges")
    # A demand with pledges is kept: the pledge is the record of the promise.
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="pledges")
    pledged_on = models.DateField(default=timezone.localdate)
    source = models.CharField(max_length=15, choices=Source.choices, default=Source.QUESTIONNAIRE)
    notes = models.TextField(blank=True, help_text="The words of the commitment.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["official", "demand"]
        constraints = [
            models.UniqueConstraint(fields=["official", "demand"], name="one_pledge_per_demand")
        ]

    def __str__(self) -> str:
        return f"{self.official} pledged: {self.demand}"


class Stance(models.TextChoices):
    YES = "yes", "Yes"
    LEAN_YES = "lean_yes", "Lean yes"
    UNDECIDED = "undecided", "Undecided"
    LEAN_NO = "lean_no", "Lean no"
    NO = "no", "No"


class WhipBoard(TenantModel):
    """A live fight's count: where each official of a chamber stands against the votes needed."""

    title = models.CharField(max_length=200)
    chamber = models.CharField(max_length=10, choices=Chamber.choices)
    needed = models.PositiveSmallIntegerField(help_text="Votes needed to pass.")
    # The fight stays on record when its demand, bill or campaign goes.
    demand = models.ForeignKey(
        Demand, null=True, blank=True, on_delete=models.SET_NULL, related_name="whip_boards"
    )
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="whip_boards"
    )
    campaign = models.ForeignKey(
        "actions.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vote_expected_on = models.DateField(null=True, blank=True)
    is_live = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_live", "-created_at"]

    def __str__(self) -> str:
        return self.title


class WhipStance(TenantModel):
    """One reading of where an official stands: the latest per official is the count."""

    board = models.ForeignKey(WhipBoard, on_delete=models.CASCADE, related_name="stances")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    as_of = models.DateField(default=timezone.localdate)
    source = models.CharField(
        max_length=300, blank=True, help_text="How we know: 'lobby visit', 'told our member', ..."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["board", "official", "-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["board", "official", "-recorded_at"], name="whip_stance_latest")
        ]

    def __str__(self) -> str:
        return f"{self.official}: {self.get_stance_display()} ({self.as_of})"


class ActionTarget(TenantModel):
    """An action of the outside game aimed at an official (the actions app's `target` is free
    text; this ties it to the official)."""

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="action_targets")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "official"], name="action_targets_official_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} -> {self.official}"


class InsideEvent(TenantModel):
    """A date of the inside game: a hearing, a committee or floor vote, a budget deadline."""

    class Kind(models.TextChoices):
        HEARING = "hearing", "Public hearing"
        COMMITTEE_VOTE = "committee_vote", "Committee vote"
        FLOOR_VOTE = "floor_vote", "Floor vote"
        BUDGET_DEADLINE = "budget_deadline", "Budget deadline"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    # The calendar keeps an event when its campaign, bill or board goes.
    campaign = models.ForeignKey(
        "actions.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    board = models.ForeignKey(
        WhipBoard, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title
