"""Money: affiliate dues (schedules, invoices, payments), the good-standing rule and its
waivers, and individual donations and grants.

Every amount is a whole number of cents (`*_cents`, a BigIntegerField): never a float. Pages
show amounts through the `money` template filter, in the organization's currency and the
locale's number format.
"""

from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel


class MoneySettings(TenantModel):
    """An organization's money rules: its currency, the good-standing rule, the small-donor line."""

    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. USD.")
    max_days_in_arrears = models.PositiveSmallIntegerField(
        default=90,
        help_text="An affiliate whose oldest unpaid dues invoice is overdue by more than this "
        "many days is not in good standing: its delegates, seats and bloc weight do not vote.",
    )
    small_donor_threshold_cents = models.PositiveBigIntegerField(
        default=20000,
        help_text="A donor who gave less than this in a calendar year is a small donor.",
    )

    class Meta:
        verbose_name_plural = "money settings"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_money_settings_per_org")
        ]

    def __str__(self) -> str:
        return f"Money settings of {self.organization}"


class DuesSchedule(TenantModel):
    """What one affiliate owes the IPO in dues, each period from a start date."""

    class Kind(models.TextChoices):
        FLAT = "flat", "Flat amount"
        PER_MEMBER = "per_member", "Per active member"
        SLIDING = "sliding", "Sliding by claimed size"

    class Period(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    # Dues are part of the affiliate's record; an affiliate is never deleted while it has any.
    affiliate = models.ForeignKey(
        "coalition.Affiliate", on_delete=models.PROTECT, related_name="dues_schedules"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    period = models.CharField(max_length=10, choices=Period.choices)
    amount_cents = models.BigIntegerField(
        default=0,
        help_text="Flat: the amount each period. Per member: the rate per active member each "
        "period. Sliding: unused (see tiers).",
    )
    tiers = models.JSONField(
        default=list,
        blank=True,
        help_text="Sliding: [[from claimed size, amount in cents], ...], smallest size first.",
    )
    starts_on = models.DateField(help_text="The first period starts on this day.")
    ends_on = models.DateField(null=True, blank=True, help_text="No periods start after this.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["affiliate__name", "starts_on", "id"]

    def __str__(self) -> str:
        kind, period = self.get_kind_display().lower(), self.get_period_display().lower()
        return f"{self.affiliate}: {kind}, {period}"


class Invoice(TenantModel):
    """Dues owed by an affiliate for one period of its schedule."""

    affiliate = models.ForeignKey(
        "coalition.Affiliate", on_delete=models.PROTECT, related_name="dues_invoices"
    )
    # An invoice is issued from a schedule and kept with it.
    schedule = models.ForeignKey(DuesSchedule, on_delete=models.PROTECT, related_name="invoices")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    amount_cents = models.BigIntegerField()
    basis = models.CharField(
        max_length=200, help_text="How the amount was reached, e.g. '212 members at $2.00'."
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["affiliate__name", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start"], name="one_invoice_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.affiliate} dues {self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d}"


class Payment(TenantModel):
    """Dues an affiliate paid, recorded by hand; it pays the oldest invoices first."""

    class Method(models.TextChoices):
        CHECK = "check", "Check"
        BANK = "bank", "Bank transfer"
        CARD = "card", "Card"
        CASH = "cash", "Cash"
        PAYROLL = "payroll", "Payroll check-off"

    affiliate = models.ForeignKey(
        "coalition.Affiliate", on_delete=models.PROTECT, related_name="dues_payments"
    )
    received_on = models.DateField()
    amount_cents = models.BigIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.CHECK)
    reference = models.CharField(max_length=100, blank=True, help_text="e.g. a check number.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["affiliate__name", "-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.affiliate} paid on {self.received_on:%Y-%m-%d}"


class StandingWaiver(TenantModel):
    """A recorded decision that an affiliate keeps its votes although its dues are in arrears."""

    affiliate = models.ForeignKey(
        "coalition.Affiliate", on_delete=models.PROTECT, related_name="standing_waivers"
    )
    reason = models.TextField(help_text="Why the body waived the rule, in a sentence.")
    decided_by = models.CharField(
        max_length=200, help_text="Who decided, e.g. 'Steering committee, 3 March 2026'."
    )
    # The decision log keeps its decisions; a waiver points at the one that granted it, if any.
    decision = models.ForeignKey(
        "democracy.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True, help_text="Empty: until withdrawn.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["affiliate__name", "-starts_on", "-id"]

    def __str__(self) -> str:
        return f"Waiver for {self.affiliate} from {self.starts_on:%Y-%m-%d}"
