"""Campaigns and their actions, the turnout each affiliate and leader commits, who RSVPs and who
comes, the leadership ladder, and one-on-ones.

An action is also a test of the structure: did each affiliate and each leader bring who they
said they would? Commitments, RSVPs and attendance carry the affiliate and the leader they are
credited to, so the structure-test report can answer that per affiliate and per leader.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel, TenantQuerySet


class Campaign(TenantModel):
    """A fight with a goal, demands and targets, won through a run of escalating actions."""

    name = models.CharField(max_length=200)
    goal = models.TextField(blank=True, help_text="What winning looks like.")
    demands = models.TextField(blank=True, help_text="What the campaign asks for, one a line.")
    targets = models.TextField(
        blank=True, help_text="The officials or bodies who can give us what we want, one a line."
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # A campaign outlives the account of the organizer who started it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class ActionQuerySet(TenantQuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def public(self):
        return self.filter(is_public=True)


# `as_manager()` does the same; a named class lets mypy type `objects` on a TenantModel subclass.
ActionManager = models.Manager.from_queryset(ActionQuerySet)


class Action(TenantModel):
    """One rally, lobby day, canvass or assembly: a time, a place and a turnout goal."""

    class Kind(models.TextChoices):
        RALLY = "rally", "Rally"
        MARCH = "march", "March"
        LOBBY_DAY = "lobby_day", "Lobby day"
        HEARING = "hearing", "Hearing"
        CANVASS = "canvass", "Canvass"
        PHONE_BANK = "phone_bank", "Phone bank"
        ASSEMBLY = "assembly", "Assembly"
        STRIKE_SUPPORT = "strike_support", "Strike support"
        ACCOUNTABILITY = "accountability", "Accountability session"
        WORKPLACE = "workplace", "Workplace or building action"
        TRAINING = "training", "Training"

    # Actions stay when a campaign is archived; a campaign with actions cannot be deleted.
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RALLY)
    description = models.TextField(blank=True, help_text="Shown on the public sign-up page.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True, help_text="Where people gather.")
    online_link = models.URLField(blank=True, help_text="For an online action, the link to join.")
    district = models.CharField(
        max_length=100, blank=True, help_text="The district the action is in or aimed at."
    )
    target = models.CharField(
        max_length=300, blank=True, help_text="The official or body the action presses."
    )
    turnout_goal = models.PositiveIntegerField(null=True, blank=True)
    is_structure_test = models.BooleanField(
        default=False,
        help_text="Affiliates and leaders commit turnout, and the report checks who delivered.",
    )
    is_public = models.BooleanField(
        default=False,
        help_text="Anyone with the link may RSVP, and it is in the public calendar feed.",
    )
    # An action outlives the account of the organizer who created it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ActionManager] = ActionManager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["organization", "starts_at"], name="action_by_time")]

    def __str__(self) -> str:
        return self.title

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class Commitment(TenantModel):
    """How many people an affiliate, or a leader, says they will bring to an action.

    An affiliate's commitment has no leader; a leader's commitment names the leader and, when
    the leader organizes within one affiliate, that affiliate too (so its lead sees it).
    """

    # A commitment means nothing without its action.
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="commitments")
    affiliate = models.ForeignKey(
        "coalition.Affiliate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(help_text="How many people they will bring.")
    # Who last changed it; the history is in CommitmentChange.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "affiliate__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(affiliate__isnull=False) | models.Q(leader__isnull=False),
                name="commitment_names_who",
            ),
            models.UniqueConstraint(
                fields=["action", "affiliate"],
                condition=models.Q(leader__isnull=True),
                name="one_commitment_per_affiliate",
            ),
            models.UniqueConstraint(
                fields=["action", "leader"],
                condition=models.Q(leader__isnull=False),
                name="one_commitment_per_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader or self.affiliate} brings {self.number}"


class CommitmentChange(TenantModel):
    """One change to a commitment: the number before and after, who changed it and when."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="changes")
    number_before = models.PositiveIntegerField(
        null=True, blank=True, help_text="Blank when the commitment was made."
    )
    number_after = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number_before} -> {self.number_after}"


class Credit(TenantModel):
    """Base of RSVPs and attendance: a person at an action, and who gets credit for them."""

    # Recruiters are people in the base; merging moves credits rather than deleting people.
    recruited_by = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The leader who brought them.",
    )
    credited_affiliate = models.ForeignKey(
        "coalition.Affiliate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The affiliate whose turnout this counts toward: the one that recruited "
        "them, else their only (or oldest) affiliate.",
    )

    class Meta:
        abstract = True


class Rsvp(Credit):
    """A person said they will come."""

    class Channel(models.TextChoices):
        FORM = "form", "Public sign-up page"
        STAFF = "staff", "Entered by staff"
        TEXT = "text", "Text reply"

    # An RSVP is a fact about the action and the person; it goes with either.
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="rsvps")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.STAFF)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "RSVP"
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="one_rsvp_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} RSVP'd to {self.action}"


class Attendance(Credit):
    """A person was checked in at an action: once, however many volunteers tried."""

    # So is an attendance.
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="attendances"
    )
    is_walk_in = models.BooleanField(
        default=False, help_text="Added at the door, not found in the base."
    )
    # The volunteer's account may go; the attendance stays.
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="one_attendance_per_person")
        ]
        indexes = [
            models.Index(fields=["person", "checked_in_at"], name="attendance_by_person"),
            models.Index(fields=["recruited_by", "action"], name="attendance_by_recruiter"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.action}"


class PublicSubmission(TenantModel):
    """One sign-up attempt on a public page, kept briefly to limit how fast one client can post.

    Stores a keyed hash of the client's address, never the address itself.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    client_key = models.CharField(max_length=64)
    was_refused = models.BooleanField(
        default=False, help_text="Caught by the honeypot or the rate limit."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["client_key", "created_at"], name="submission_by_client"),
            models.Index(fields=["created_at"], name="submission_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.client_key[:8]} at {self.created_at:%H:%M}"


class LadderLevel(TenantModel):
    """A rung of the organization's leadership ladder and the rule that puts a person on it.

    A person stands on the highest rung whose rule they meet. A rule is met when any one of its
    filled-in conditions holds; a rung with no condition (the first, "member") holds everyone.
    """

    name = models.CharField(max_length=80)
    rank = models.PositiveSmallIntegerField(help_text="0 for the first rung, higher for higher.")
    description = models.CharField(max_length=300, blank=True)
    min_attended = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Attended at least this many actions ..."
    )
    attended_within_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="... within this many days (blank: ever)."
    )
    min_recruits = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Recruited at least this many attendees ..."
    )
    min_recruited_actions = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="... to at least this many different actions."
    )
    counts_leader_role = models.BooleanField(
        default=False, help_text="Holding a steward/leader role in an affiliate is enough."
    )
    tags = models.JSONField(
        default=list,
        blank=True,
        help_text="Having any of these tags is enough (e.g. 'team lead', 'governing body').",
    )
    canvass_support_at_most = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Told a canvasser at the door they support us at least this much: the latest "
        "support score at or below this (1 = strong support ... 5 = strong oppose).",
    )

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rank"], name="one_ladder_level_per_rank"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LadderStanding(TenantModel):
    """Where a person stands on the ladder now, and since when."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="ladder_standing"
    )
    # A rung in use cannot be removed; people would lose their place.
    level = models.ForeignKey(LadderLevel, on_delete=models.PROTECT, related_name="standings")
    since = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-level__rank", "person"]

    def __str__(self) -> str:
        return f"{self.person}: {self.level}"


class LadderMove(TenantModel):
    """A person moved up or down the ladder on a date: the record of movement over time."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="ladder_moves"
    )
    from_level = models.ForeignKey(
        LadderLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank for a first placing.",
    )
    to_level = models.ForeignKey(LadderLevel, on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField(default=timezone.localdate)
    rule = models.CharField(
        max_length=300,
        blank=True,
        help_text="The condition that placed them, e.g. 'Active: attended 2 actions within 90 "
        "days'; blank for moves recorded before rules were kept.",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-moved_on", "-id"]
        indexes = [
            # identity.base.fingerprint reads only this index: count, highest id, latest move
            models.Index(fields=["organization", "recorded_at", "id"], name="move_stamp"),
            # The ladder page's recent movement: the latest few, read in this order.
            models.Index(fields=["organization", "-moved_on", "-id"], name="move_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.from_level} -> {self.to_level} on {self.moved_on}"


class OneOnOne(TenantModel):
    """A relational meeting: who met whom, what moves them, what they agreed to, what's next."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="one_on_ones",
        help_text="Who the meeting was with.",
    )
    # The record stays when the account of whoever held the meeting is removed.
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person who held it, when they are in the base (a leader, a school graduate): the
    # meeting counts for them (the school's cohort report) though the user who logged it may
    # be someone else. Kept, emptied, if that person is deleted.
    held_by_person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="one_on_ones_held",
        help_text="The person in the base who held the meeting, if known.",
    )
    held_on = models.DateField(default=timezone.localdate)
    self_interest = models.TextField(
        blank=True, help_text="What they care about, in their words: why they would act."
    )
    commitment = models.TextField(blank=True, help_text="What they agreed to do.")
    follow_up_on = models.DateField(null=True, blank=True, help_text="When to check back in.")
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    SENSITIVE_FIELDS = ("self_interest",)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "one-on-one"
        indexes = [models.Index(fields=["held_by", "follow_up_on"], name="one_on_one_follow_up")]

    def __str__(self) -> str:
        return f"One-on-one with {self.person} on {self.held_on}"
