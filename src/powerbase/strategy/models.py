"""The strategy table: what a governing body's decisions commit the organization to.

A decision itself is `democracy.Decision` (with its body, vote and text); this app adds what
it moves:

    Commitment   a campaign started or ended, a budget line funded, an endorsement made or a
                 platform version adopted, each pointing at the thing itself
    Task         work the decision gives a user of the organization, with a due date

so that a campaign's page can say which decision started it, and a task shows on its owner's
home page until it is done.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel


class Commitment(TenantModel):
    """One thing a decision commits the organization to, pointing at that thing."""

    class Kind(models.TextChoices):
        CAMPAIGN_STARTED = "campaign_started", "Starts the campaign"
        CAMPAIGN_ENDED = "campaign_ended", "Ends the campaign"
        BUDGET_LINE = "budget_line", "Funds the budget line"
        ENDORSEMENT = "endorsement", "Makes the endorsement"
        PLATFORM_VERSION = "platform_version", "Adopts the platform version"

    # A commitment is part of its decision's record; the decision itself is never deleted
    # while anything points at it (democracy keeps its decisions).
    decision = models.ForeignKey(
        "democracy.Decision", on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What was committed is kept while a decision refers to it.
    campaign = models.ForeignKey(
        "actions.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget_line = models.ForeignKey(
        "money.BudgetLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsement = models.ForeignKey(
        "democracy.Endorsement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform_version = models.ForeignKey(
        "legislature.PlatformVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                name="commitment_points_at_its_kind",
                condition=(
                    models.Q(
                        kind__in=["campaign_started", "campaign_ended"],
                        campaign__isnull=False,
                        budget_line__isnull=True,
                        endorsement__isnull=True,
                        platform_version__isnull=True,
                    )
                    | models.Q(
                        kind="budget_line",
                        campaign__isnull=True,
                        budget_line__isnull=False,
                        endorsement__isnull=True,
                        platform_version__isnull=True,
                    )
                    | models.Q(
                        kind="endorsement",
                        campaign__isnull=True,
                        budget_line__isnull=True,
                        endorsement__isnull=False,
                        platform_version__isnull=True,
                    )
                    | models.Q(
                        kind="platform_version",
                        campaign__isnull=True,
                        budget_line__isnull=True,
                        endorsement__isnull=True,
                        platform_version__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"

    @property
    def target(self) -> models.Model | None:
        """The campaign, budget line, endorsement or platform version committed."""
        return self.campaign or self.budget_line or self.endorsement or self.platform_version


class Task(TenantModel):
    """Work a decision gives one user of the organization, due by a date."""

    decision = models.ForeignKey(
        "democracy.Decision", on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(max_length=300)
    # A task stays on the record when its owner's account goes; it then has no owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"], name="task_owner_open")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
