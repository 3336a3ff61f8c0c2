"""Democracy: governing bodies, delegates, electorates, assemblies, proposals, votes and
secret ballots.

The secrecy of the ballot rests on the shape of three tables (docs/democracy.md explains it):

    Eligibility     who may vote in a vote, frozen when voting opens (the voter roll)
    Participation   who has voted: one row per eligible voter, the day only, never the ballot
    CastBallot      what was voted: random UUID, random sort key, no date or time, and no
                    column that points at a person, an eligibility row, a voting code or a user

Nothing joins the last to the first two: `tests/democracy/test_secrecy.py` inspects the models
and fails if a field or foreign key ever makes that possible.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel
from powerbase.democracy.tabulation import Method


class GoverningBody(TenantModel):
    """A body that governs the IPO between assemblies, e.g. the steering committee."""

    class Kind(models.TextChoices):
        STEERING_COMMITTEE = "steering_committee", "Steering committee"
        STRATEGY_TABLE = "strategy_table", "Strategy table"
        AFFILIATE_COUNCIL = "affiliate_council", "Affiliate council"
        OTHER = "other", "Other body"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "governing bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="governing_body_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Seat(TenantModel):
    """One seat on a governing body, and who holds it now."""

    # A seat means nothing without its body.
    body = models.ForeignKey(GoverningBody, on_delete=models.CASCADE, related_name="seats")
    title = models.CharField(max_length=200, help_text="e.g. 'At-large seat 3' or 'Labor seat'.")
    # A seat is emptied, not deleted, when its holder's record goes.
    holder = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affiliate = models.ForeignKey(
        "coalition.Affiliate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The affiliate this seat is reserved for, if any.",
    )
    term_starts = models.DateField(null=True, blank=True)
    term_ends = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["body", "order", "id"]

    def __str__(self) -> str:
        return f"{self.body}: {self.title}"


class Delegate(TenantModel):
    """A person an affiliate appoints to speak and vote for it, or to stand in as an alternate."""

    class Role(models.TextChoices):
        DELEGATE = "delegate", "Delegate"
        ALTERNATE = "alternate", "Alternate"

    # Appointments are the affiliate's; an affiliate is never deleted while it has any.
    affiliate = models.ForeignKey(
        "coalition.Affiliate", on_delete=models.PROTECT, related_name="delegates"
    )
    # An appointment is a fact about the person; it goes with them.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.DELEGATE)
    order = models.PositiveSmallIntegerField(
        default=1,
        help_text="Alternates step in by this order; the first delegate casts an "
        "affiliate's bloc vote.",
    )
    appointed_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["affiliate__name", "role", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["affiliate", "person"], name="one_appointment_per_affiliate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.affiliate})"


class Electorate(TenantModel):
    """Who may vote: a rule that is turned into a frozen voter roll when a vote opens."""

    class Kind(models.TextChoices):
        MEMBERS = "members", "All members in good standing"
        AFFILIATE_MEMBERS = "affiliate_members", "Members of chosen affiliates"
        DELEGATES = "delegates", "Delegates appointed by affiliates"
        GOVERNING_BODY = "governing_body", "A governing body"
        AFFILIATE_BLOCS = "affiliate_blocs", "Affiliates as weighted blocs"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    affiliates = models.ManyToManyField(
        "coalition.Affiliate",
        blank=True,
        related_name="+",
        help_text="Members of chosen affiliates: required. Delegates and blocs: leave empty for "
        "every member affiliate.",
    )
    # A body is not deleted while an electorate is defined by it.
    governing_body = models.ForeignKey(
        GoverningBody, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_weighted(self) -> bool:
        return self.kind == self.Kind.AFFILIATE_BLOCS


class BlocWeight(TenantModel):
    """How many votes one affiliate's bloc ballot is worth in a weighted electorate."""

    electorate = models.ForeignKey(Electorate, on_delete=models.CASCADE, related_name="weights")
    affiliate = models.ForeignKey("coalition.Affiliate", on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        help_text="e.g. its active members, or dues paid in thousands.",
    )

    class Meta:
        ordering = ["affiliate__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["electorate", "affiliate"], name="one_weight_per_affiliate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.affiliate}: {self.weight}"


class Assembly(TenantModel):
    """A meeting that decides: its agenda, who attended, its quorum rule, minutes, decisions."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_SESSION = "in_session", "In session"
        ADJOURNED = "adjourned", "Adjourned"

    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    # The rule is kept while an assembly refers to it.
    electorate = models.ForeignKey(
        Electorate,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who is entitled to take part; quorum is counted against it.",
    )
    quorum_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="At least this many of the electorate present."
    )
    quorum_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="At least this share (in %) of the electorate present.",
    )
    quorum_min_affiliates = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At least this many affiliates represented."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(blank=True)
    # A body's meetings are its record: a body with meetings is not deleted.
    body = models.ForeignKey(
        GoverningBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="The governing body meeting, if this is a body's meeting.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name_plural = "assemblies"

    def __str__(self) -> str:
        return self.title


class AssemblyAttendance(TenantModel):
    """A person present at an assembly: someone entitled to take part, or a guest."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="attendances")
    # Attendance is a fact about the person; it goes with them.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    guest = models.BooleanField(
        default=False,
        help_text="Neither in the electorate nor holding a proxy: attends "
        "without a vote and is not counted for quorum.",
    )
    checked_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__family_key", "person__given_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "person"], name="one_attendance_per_assembly"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.assembly}"


class Proposal(TenantModel):
    """Something put to the members: drafted, deliberated and amended, voted on, decided."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        DELIBERATION = "deliberation", "In deliberation"
        VOTING = "voting", "Being voted on"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The proposal as it stands, amendments included.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The proposal stays if its assembly's record goes; it just no longer says where.
    assembly = models.ForeignKey(
        Assembly,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text="The assembly that will decide it, if any.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(TenantModel):
    """One item on an assembly's agenda, perhaps a proposal to decide."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assembly", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Comment(TenantModel):
    """A contribution to the deliberation of a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    # A comment outlives its author's account; the label keeps who wrote it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=254)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_label} on {self.proposal}"


class Amendment(TenantModel):
    """A proposed change to a proposal's text: the whole text as it would read if accepted."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    summary = models.CharField(max_length=300, help_text="What the amendment changes, briefly.")
    text = models.TextField(help_text="The proposal's full text as amended.")
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_by_label = models.CharField(max_length=254)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.summary


VOTE_METHODS = [
    (Method.IRV.value, "Instant runoff (one seat, ranked)"),
    (Method.STV.value, "Single transferable vote (several seats, ranked)"),
    (Method.SEQUENTIAL_IRV.value, "Sequential instant runoff (several seats, ranked)"),
    (Method.SCHULZE.value, "Schulze / Condorcet (ranked)"),
    (Method.PLURALITY.value, "Plurality (one choice)"),
    (Method.APPROVAL.value, "Approval (any number of choices)"),
    (Method.THRESHOLD.value, "Yes / no / abstain with a threshold"),
]
RANKED_METHODS = frozenset({Method.IRV, Method.STV, Method.SEQUENTIAL_IRV, Method.SCHULZE})


class Vote(TenantModel):
    """A question or an election put to an electorate, and the rules it is counted by.

    Everything that decides the outcome (method, seats, rules, candidates, electorate) is the
    vote's *setup*. It can change only while the vote is a draft; opening freezes the voter
    roll and records a fingerprint of the setup that the count checks again.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for voting"
        CLOSED = "closed", "Closed, not yet counted"
        COUNTED = "counted", "Counted, not yet published"
        PUBLISHED = "published", "Results published"

    public_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="The unguessable id in the address of the published results.",
    )
    title = models.CharField(max_length=200)
    question = models.TextField(blank=True, help_text="What the ballot asks, in full.")
    method = models.CharField(max_length=20, choices=VOTE_METHODS)
    seats = models.PositiveSmallIntegerField(default=1)
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text="Counting rules: tiebreak, required, share_of, abstentions_count, "
        "max_rankings (see democracy.ballot_sets.rules_for).",
    )
    # The rule is kept while a vote refers to it; the frozen roll is in Eligibility.
    electorate = models.ForeignKey(Electorate, on_delete=models.PROTECT, related_name="+")
    # A decision's record is kept: neither an assembly nor a proposal with votes is deleted.
    assembly = models.ForeignKey(
        Assembly,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
        help_text="Taken at this assembly: it needs quorum to open.",
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    remote = models.BooleanField(
        default=False,
        help_text="Voters vote from wherever they are, with a link sent to their "
        "own email. Otherwise a vote at an assembly is in person: codes "
        "are printed only for those checked in.",
    )
    setup_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the setup and voter roll when voting opened.",
    )
    setup_touched = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="Set by the database (democracy.setup_guard's triggers), never by the code, "
        "when the setup, a candidate or the roll of an opened vote changes: the vote's page "
        "then checks the fingerprint in full.",
    )
    quorum_record = models.JSONField(
        default=dict, blank=True, help_text="The assembly's quorum when voting opened."
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_question(self) -> bool:
        return self.method == Method.THRESHOLD

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED_METHODS

    @property
    def setup_is_open(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def in_person(self) -> bool:
        """Taken at an assembly among those present (not set as a remote ballot)."""
        return self.assembly_id is not None and not self.remote


class BallotCandidate(TenantModel):
    """A choice on an election's ballot (a person, a name for the campaign, ...)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=120, help_text="As printed on the ballot and in results.")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Ballot order; also the candidate order that breaks ties."
    )
    # The candidate stays on a counted ballot even if the person record goes.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["vote", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "name"], name="candidate_name_per_vote")
        ]

    def __str__(self) -> str:
        return self.name


class Proxy(TenantModel):
    """One delegate's voting right given to someone else for one vote (an alternate, say)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="proxies")
    # Proxies are facts about people; they go with them.
    grantor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    holder = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "proxies"
        constraints = [
            models.UniqueConstraint(fields=["vote", "grantor"], name="one_proxy_per_grantor"),
            # Bylaws commonly let nobody carry more than one proxy.
            models.UniqueConstraint(fields=["vote", "holder"], name="one_proxy_per_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.grantor} -> {self.holder}"


class Eligibility(TenantModel):
    """One voting right in one vote: the voter roll, frozen when voting opens."""

    class Basis(models.TextChoices):
        MEMBER = "member", "Member in good standing"
        DELEGATE = "delegate", "Delegate"
        SEAT = "seat", "Seat holder"
        BLOC = "bloc", "Affiliate bloc"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="eligibilities")
    # The roll must keep its people: a person is merged or archived, not deleted, mid-vote.
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose voting right this is; empty for an affiliate's bloc vote.",
    )
    holder = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who casts it: the person, their proxy, or an affiliate's first delegate.",
    )
    affiliate = models.ForeignKey(
        "coalition.Affiliate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The affiliate the right comes through, if any.",
    )
    weight = models.DecimalField(max_digits=12, decimal_places=4, default=1)
    basis = models.CharField(max_length=10, choices=Basis.choices)

    class Meta:
        ordering = ["vote", "id"]
        verbose_name_plural = "eligibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "person"],
                name="one_right_per_person",
                condition=models.Q(person__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["vote", "affiliate"],
                name="one_bloc_per_affiliate",
                condition=models.Q(basis="bloc"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.affiliate} in {self.vote}"


class VotingCode(TenantModel):
    """A one-time way in to a ballot: an emailed link or a printed code, stored only as a keyed
    hash so that a copy of the database cannot be used to vote.

    An emailed link belongs to one voting right and goes to that voter's own address. A printed
    slip belongs to nobody: it is made for a batch of people present, each of whom is recorded
    as handed a slip (a `Participation`), and whoever casts it uses it up.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Emailed link"
        PRINTED = "printed", "Printed code"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    eligibility = models.ForeignKey(
        Eligibility,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="codes",
        help_text="Whose right an emailed link casts; empty on a printed slip.",
    )
    weight = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        default=1,
        help_text="The weight a printed slip's ballot carries.",
    )
    digest = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_channel_display()} for {self.eligibility_id or 'a slip'}"


class Participation(TenantModel):
    """That an eligible voter has voted, and how; never what. At most one per voting right."""

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper ballot"
        PRINTED = "printed", "Handed a printed code"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="participations")
    # One row per voting right: the unique key is what stops a second ballot.
    eligibility = models.OneToOneField(
        Eligibility, on_delete=models.PROTECT, related_name="participation"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    voted_on = models.DateField(
        help_text="The day only: enough to chase turnout, too coarse to line up with anything else."
    )

    def __str__(self) -> str:
        return f"{self.eligibility} voted ({self.channel})"


class CastBallot(TenantModel):
    """One secret ballot. Deliberately unlinkable to its voter:

    - no foreign key but its vote and organization, which every ballot of the vote shares;
    - a random UUID as primary key, not a sequence that would follow the order of voting;
    - `sort_key`, a random number every read and the published set are ordered by, so that
      nothing presents ballots in the order they were cast;
    - every ballot stored rewrites all the vote's ballots in a fresh random order
      (`services._reshuffle`), so rowid, ctid and xmin say nothing of the order of voting
      either (`tests/democracy/test_unlinkable.py`);
    - no date or time at all: a time would match the `Participation` written in the same
      moment, and even a day would give away the ballot of someone who voted alone that day.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper, entered by two tellers"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Ballots are evidence: a vote with ballots is never deleted.
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    sort_key = models.BigIntegerField(help_text="Random; the order of the published set.")
    marks = models.JSONField(
        default=list,
        blank=True,
        help_text="One list of names per rank, first choice first; [] is a blank rank.",
    )
    weight = models.DecimalField(max_digits=12, decimal_places=4, default=1)
    receipt = models.CharField(
        max_length=16,
        null=True,
        blank=True,
        help_text="Shown once to the voter to find this ballot in the published set; none on "
        "paper.",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        ordering = ["vote", "sort_key"]
        indexes = [models.Index(fields=["vote", "sort_key"], name="ballot_shuffled_order")]
        constraints = [models.UniqueConstraint(fields=["vote", "receipt"], name="receipt_per_vote")]

    def __str__(self) -> str:
        return f"Ballot in {self.vote_id}"


class PaperEntry(TenantModel):
    """One teller's reading of one paper ballot sheet. Two tellers' readings must match before
    the sheet becomes a ballot; the sheet number is the tellers' own count of the pile."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="paper_entries")
    sheet = models.PositiveIntegerField()
    # Tellers are users; their entries stay as the record of the double entry.
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marks = models.JSONField(default=list, blank=True)
    weight = models.DecimalField(max_digits=12, decimal_places=4, default=1)
    confirmed = models.BooleanField(
        default=False, help_text="Matched by a second teller and made a ballot."
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["vote", "sheet", "id"]
        verbose_name_plural = "paper entries"
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "sheet", "teller"], name="one_entry_per_teller_and_sheet"
            )
        ]

    def __str__(self) -> str:
        return f"Sheet {self.sheet} of {self.vote_id} by {self.teller_id}"


class Result(TenantModel):
    """The count of a vote: the round-by-round record and the exact ballot file it came from."""

    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="result")
    record = models.JSONField(help_text="The counting engine's full record (to_dict()).")
    winners = models.JSONField(default=list)
    ballots_csv = models.TextField(help_text="The shuffled ballot set, as published.")
    ballots_sha256 = models.CharField(max_length=64)
    tally_command = models.CharField(
        max_length=1000, help_text="The `powerbase tally` command that recounts the file."
    )
    counted_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Result of {self.vote}"


class Decision(TenantModel):
    """Something the organization decided, linked to the vote and the count that decided it."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", "Adopted"
        REJECTED = "rejected", "Rejected"
        ELECTED = "elected", "Elected"
        ENDORSED = "endorsed", "Endorsed"
        NOT_ENDORSED = "not_endorsed", "Not endorsed"
        RECORDED = "recorded", "Recorded"

    title = models.CharField(max_length=300)
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    summary = models.TextField(blank=True, help_text="The result in a sentence.")
    text = models.TextField(blank=True, help_text="The decision as adopted, in full.")
    # Decisions are the organization's record: what they point at is kept.
    body = models.ForeignKey(
        GoverningBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The governing body that decided, if a body did.",
    )
    vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    result = models.OneToOneField(
        Result, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    assembly = models.ForeignKey(
        Assembly, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Endorsement(TenantModel):
    """An endorsement question: whom, for which office, and (once decided) whether.

    `electoral.EndorsementProcess` links it to a race; `office` stays the office as written.
    """

    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="endorsement")
    endorsee = models.CharField(max_length=200, help_text="The candidate to be endorsed.")
    office = models.CharField(max_length=200, help_text="e.g. 'State Senate, District 10'.")
    passed = models.BooleanField(null=True, blank=True, help_text="Empty until decided.")
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="endorsement"
    )

    def __str__(self) -> str:
        return f"Endorse {self.endorsee} for {self.office}"
