"""Links from people in the base to their registrations in the voter file.

The voter records live in DuckDB (see `powerbase.voterfile.store`); a link names a voter by
the voter file's own id, which stays stable from one version of the file to the next, so a
new import keeps every link. Other apps (the power map, universes, district pages) join the
base to the voter file through this table.
"""

from django.db import models
from django.utils import timezone

from powerbase.core.models import Job, TenantModel, User
from powerbase.people.models import Person
from powerbase.voterfile.models import VoterFileVersion


class VoterLink(TenantModel):
    """One person's registration: at most one voter per person, one person per voter."""

    class Method(models.TextChoices):
        AUTOMATIC = "automatic", "Matched automatically"
        REVIEWED = "reviewed", "Accepted by a reviewer"
        MANUAL = "manual", "Linked by hand"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="voter_link")
    voter_id = models.CharField(
        max_length=40, help_text="The voter's id in the voter file (e.g. NCID, SOS voter id)."
    )
    match_probability = models.FloatField(
        null=True, blank=True, help_text="The model's probability; empty for a link made by hand."
    )
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.AUTOMATIC)
    linked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "voter_id"], name="identity_one_person_per_voter"
            ),
        ]
        # identity.base.fingerprint reads only this index: count, highest id, latest link
        indexes = [models.Index(fields=["organization", "linked_at", "id"], name="voterlink_stamp")]

    def __str__(self) -> str:
        return f"{self.person_id} -> voter {self.voter_id}"


class IdentityRun(TenantModel):
    """One run of a linkage job: deduplicating the base, or linking people to voters."""

    class Kind(models.TextChoices):
        DEDUPE = "dedupe", "Find duplicates in the base"
        LINK = "link", "Link people to the voter file"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # The run outlives the job row, the voter file version and the account that started it.
    job = models.OneToOneField(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voter_file_version = models.ForeignKey(
        VoterFileVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version people were linked against (link runs only).",
    )
    auto_accept_threshold = models.FloatField(
        help_text="Pairs at or above this probability were applied without review."
    )
    review_threshold = models.FloatField(
        help_text="Pairs at or above this probability (and below auto-accept) wait for review; "
        "pairs below it were dropped."
    )
    people_count = models.PositiveIntegerField(default=0, help_text="People compared.")
    voter_count = models.PositiveIntegerField(default=0, help_text="Voters compared.")
    auto_applied_count = models.PositiveIntegerField(
        default=0, help_text="Links made or people merged without review."
    )
    review_count = models.PositiveIntegerField(default=0, help_text="Pairs sent for review.")
    skipped_count = models.PositiveIntegerField(
        default=0, help_text="Pairs not applied: decided before, or already linked elsewhere."
    )
    seconds = models.FloatField(default=0)
    started_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class CandidatePair(TenantModel):
    """Two records the model thinks may be one human: two people, or a person and a voter.

    `fields` keeps the explanation (what agrees, what differs, and each comparison's weight)
    as the run computed it, so the review page shows what the model saw.
    """

    class Band(models.TextChoices):
        AUTO_ACCEPT = "auto_accept", "Auto-accept"
        REVIEW = "review", "Review"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted by a reviewer"
        REJECTED = "rejected", "Rejected by a reviewer"
        AUTO_ACCEPTED = "auto_accepted", "Accepted automatically"
        SKIPPED = "skipped", "Not applied"
        SUPERSEDED = "superseded", "Replaced by a later run"

    run = models.ForeignKey(IdentityRun, on_delete=models.CASCADE, related_name="pairs")
    # A pair is about its people; it goes when they do.
    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The other person (dedupe runs).",
    )
    voter_id = models.CharField(
        max_length=40, blank=True, help_text="The voter the person may be (link runs)."
    )
    probability = models.FloatField()
    band = models.CharField(max_length=12, choices=Band.choices)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(
        max_length=300, blank=True, help_text="Why a pair was not applied, for the run's report."
    )
    left_record = models.JSONField(default=dict, help_text="The values compared, left side.")
    right_record = models.JSONField(default=dict, help_text="The values compared, right side.")
    fields = models.JSONField(
        default=list, help_text="Per comparison: title, left, right, level, agreement, weight."
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The merge a dedupe pair led to; undoing the merge keeps the pair's history.
    merge = models.ForeignKey(
        "Merge", null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )

    class Meta:
        ordering = ["-probability", "id"]
        indexes = [
            models.Index(fields=["organization", "status", "-probability"], name="pair_queue")
        ]

    def __str__(self) -> str:
        other = f"person {self.right_id}" if self.right_id else f"voter {self.voter_id}"
        return f"person {self.left_id} ~ {other} ({self.probability:.2f})"

    @property
    def is_link(self) -> bool:
        return not self.right_id

    def agreeing(self) -> list[dict]:
        return [f for f in self.fields if f.get("agreement") in ("agrees", "partly agrees")]

    def differing(self) -> list[dict]:
        return [f for f in self.fields if f.get("agreement") == "differs"]


class Merge(TenantModel):
    """One person folded into another, with what moved, so the merge can be undone exactly.

    `moved` maps "app.Model.field" to the ids of the rows re-pointed from the merged person
    to the survivor. Rows the survivor already had an equal of (the same email, the same
    tag, a membership of the same affiliate) stay on the merged record, with their source,
    and are listed in `duplicates` as [merged row id, survivor row id].
    """

    class Method(models.TextChoices):
        AUTOMATIC = "automatic", "Merged automatically"
        REVIEWED = "reviewed", "Accepted by a reviewer"
        MANUAL = "manual", "Merged by hand"

    # People are never deleted while a merge names them.
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_out")
    method = models.CharField(max_length=10, choices=Method.choices)
    moved = models.JSONField(default=dict)
    duplicates = models.JSONField(default=dict)
    unmarked_primary = models.JSONField(
        default=dict, help_text="Moved rows whose 'primary' flag was cleared, by model."
    )
    survivor_before = models.JSONField(
        default=dict, help_text="The survivor's fields the merge filled in, as they were."
    )
    history_added = models.JSONField(
        default=list, help_text="Ids of the history lines the merge wrote on the survivor."
    )
    source = models.ForeignKey("people.Source", on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"person {self.merged_id} into {self.survivor_id}"
