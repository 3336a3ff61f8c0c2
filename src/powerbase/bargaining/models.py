"""Bargaining for the Common Good: an affiliate's contract fight as the coalition's fight.

An affiliate's *bargaining unit* (employer, size, when its contract expires and bargaining
opens) goes through a *contract campaign*: the union's own *demands* and the *community
demands* the coalition adds (each may stand for a platform demand of the legislature app),
coalition *partners* and what they commit, public actions (the actions app's, so their
structure tests and turnout are the actions app's), and *targets*: employer decision-makers
and public officials, with whip-style stances kept as a history. When the contract settles,
each demand has an outcome: won, partly won or lost.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel
from powerbase.legislature.models import Stance


class BargainingUnit(TenantModel):
    """The workers one affiliate bargains for with one employer, and their contract's dates."""

    # A unit is the affiliate's history; an affiliate with units is not deleted.
    affiliate = models.ForeignKey(
        "coalition.Affiliate", on_delete=models.PROTECT, related_name="bargaining_units"
    )
    name = models.CharField(
        max_length=200, help_text="e.g. 'Teachers and paraprofessionals'; blank: the employer's."
    )
    employer = models.CharField(max_length=200)
    unit_size = models.PositiveIntegerField(help_text="Workers the contract covers.")
    contract_expires_on = models.DateField()
    bargaining_starts_on = models.DateField(
        null=True, blank=True, help_text="When talks open, often months before the expiry."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contract_expires_on", "employer", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["affiliate", "employer", "name"], name="one_unit_per_employer_and_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.employer}" if self.name else self.employer


class ContractCampaign(TenantModel):
    """A fight for one unit's contract, bargained for the common good."""

    class Status(models.TextChoices):
        PREPARING = "preparing", "Preparing"
        BARGAINING = "bargaining", "Bargaining"
        SETTLED = "settled", "Settled"

    # A campaign is the unit's history; a unit with campaigns is not deleted.
    unit = models.ForeignKey(BargainingUnit, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREPARING)
    settled_on = models.DateField(null=True, blank=True)
    # "Who decided": the strategy table's decision stays on record if the campaign goes, and
    # the campaign stays if a decision is deleted.
    authorised_by = models.ForeignKey(
        "democracy.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contract_campaigns",
        help_text="The decision that authorised the coalition's part in this fight.",
    )
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit__contract_expires_on", "name", "id"]

    def __str__(self) -> str:
        return self.name


class BargainingSession(TenantModel):
    """A date at the table: when the union and the employer meet, and what happened."""

    campaign = models.ForeignKey(
        ContractCampaign, on_delete=models.CASCADE, related_name="sessions"
    )
    meets_on = models.DateField()
    place = models.CharField(max_length=300, blank=True)
    note = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Union proposal on class size presented'."
    )

    class Meta:
        ordering = ["campaign", "meets_on", "id"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.meets_on}"


class Outcome(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    PARTLY = "partly", "Partly won"
    LOST = "lost", "Lost"


class ContractDemand(TenantModel):
    """What the union asks of the employer, or what the coalition adds for the community."""

    class Source(models.TextChoices):
        UNION = "union", "Union demand"
        COMMUNITY = "community", "Community demand"

    campaign = models.ForeignKey(ContractCampaign, on_delete=models.CASCADE, related_name="demands")
    source = models.CharField(max_length=10, choices=Source.choices)
    title = models.CharField(max_length=300)
    # The platform demand it fights for stays when the campaign goes, and the other way round.
    platform_demand = models.ForeignKey(
        "legislature.Demand",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contract_demands",
        help_text="The platform demand a community demand carries to the bargaining table.",
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_note = models.CharField(
        max_length=300, blank=True, help_text="What the contract says, e.g. '12 new counselors'."
    )

    class Meta:
        ordering = ["campaign", "source", "id"]

    def __str__(self) -> str:
        return self.title


class Partner(TenantModel):
    """Another affiliate standing with the campaign, and what it commits to do."""

    campaign = models.ForeignKey(
        ContractCampaign, on_delete=models.CASCADE, related_name="partners"
    )
    affiliate = models.ForeignKey("coalition.Affiliate", on_delete=models.PROTECT, related_name="+")
    commitment = models.CharField(
        max_length=300, help_text="e.g. 'Forty members at the March rally'."
    )

    class Meta:
        ordering = ["campaign", "affiliate__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "affiliate"], name="one_partner_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.affiliate}: {self.commitment}"


class Target(TenantModel):
    """Someone who can say yes: an employer decision-maker or a public official."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", "Employer decision-maker"
        OFFICIAL = "official", "Public official"

    campaign = models.ForeignKey(ContractCampaign, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True, help_text="e.g. 'Superintendent'.")
    # An official who leaves office stays a target of the fight already on record.
    official = models.ForeignKey(
        "legislature.Official", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class TargetStance(TenantModel):
    """One reading of where a target stands; the latest is the count, the rest the history."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="stances")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    as_of = models.DateField(default=timezone.localdate)
    source = models.CharField(
        max_length=300, blank=True, help_text="How we know: 'met the board chair', ..."
    )
    # The recorder's account may go; the reading stays.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target}: {self.get_stance_display()} ({self.as_of})"
