"""Imports: an uploaded list, its column mapping, its check, its commit and its undo."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import Job, TenantModel


class ImportBatch(TenantModel):
    """One uploaded file on its way into the base.

    uploaded -> checked (the dry run: counts and every rejected row) -> committed -> undone.
    A commit runs as a job in one transaction: if it fails nothing is written and it can be
    started again. Each fact it writes points at `source`, which is how it is undone.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked"
        COMMITTING = "committing", "Importing"
        COMMITTED = "committed", "Imported"
        FAILED = "failed", "Failed"
        UNDONE = "undone", "Undone"

    file_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=255, help_text="Under the data dir's imports/.")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    # An affiliate is archived, not deleted, while imports point at it.
    affiliate = models.ForeignKey(
        "coalition.Affiliate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose list this is; blank for the IPO's own.",
    )
    header = models.JSONField(default=list, help_text="The file's column names, in order.")
    mapping = models.JSONField(default=dict, help_text="Column name -> powerbase field.")
    samples = models.JSONField(
        default=dict,
        blank=True,
        help_text="Column name -> up to three values from the file, shown on the mapping page.",
    )
    fixes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Cells corrected in the browser: {row number: {column name: new value}}; "
        "the check and the import read the file with these in place.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the file as a whole was refused.")
    # The provenance record of every fact the commit wrote; undo removes what points here.
    source = models.OneToOneField(
        "people.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batch",
    )
    check_job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commit_job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The batch outlives the account that uploaded it.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return self.file_name

    @property
    def running_job(self) -> Job | None:
        """The job to follow while a check or an import runs, if one does."""
        if self.status == self.Status.CHECKING:
            return self.check_job
        if self.status == self.Status.COMMITTING:
            return self.commit_job
        return None

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": self.new_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "rejected": self.rejected_count,
        }


class ImportProblem(TenantModel):
    """A row the check rejected, or accepted with a warning: where, and why in a sentence."""

    class Severity(models.TextChoices):
        REJECTED = "rejected", "Rejected"
        WARNING = "warning", "Warning"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField(help_text="As a spreadsheet numbers it: the header is 1.")
    column = models.CharField(max_length=255, blank=True)
    value = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500)
    severity = models.CharField(max_length=10, choices=Severity.choices)

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"Row {self.row}, column '{self.column}': {self.reason}"


class SavedMapping(TenantModel):
    """A column mapping kept for next time, found again by the file's header."""

    name = models.CharField(max_length=120)
    header_key = models.CharField(
        max_length=64, db_index=True, help_text="A fingerprint of the column names it fits."
    )
    mapping = models.JSONField()
    affiliate = models.ForeignKey(
        "coalition.Affiliate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class RowFingerprint(TenantModel):
    """A digest of one imported row, normalized, and the person it became.

    The three matching rules need an email, a phone or a birth date; a row with only a name
    and an address would come back as a duplicate when the same list is imported again. The
    fingerprint catches exactly that: the same row, from the same affiliate, is the same person.
    """

    digest = models.CharField(max_length=40)
    # The fingerprint is a fact about the person it points at.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("people.Source", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "digest"], name="one_person_per_row_digest"
            )
        ]

    def __str__(self) -> str:
        return self.digest
