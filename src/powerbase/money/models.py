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
    # The books affiliate dues are kept in; good standing is counted over them alone.
    dues_entity = models.ForeignKey(
        "Entity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The entity whose books keep affiliate dues; empty: the default entity.",
    )

    class Meta:
        verbose_name_plural = "money settings"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_money_settings_per_org")
        ]

    def __str__(self) -> str:
        return f"Money settings of {self.organization}"


class Entity(TenantModel):
    """One of the legal entities an IPO runs side by side (a 501(c)(3), a 501(c)(4), a PAC).

    Every income line, dues payment, grant, budget (and so each of its lines) and expense
    belongs to exactly one; pages and reports show one entity at a time unless all are asked
    for. The organization's first entity is its default (`standing.default_entity`).
    """

    class Kind(models.TextChoices):
        C3 = "501c3", "501(c)(3)"
        C4 = "501c4", "501(c)(4)"
        PAC = "pac", "PAC"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=40, help_text="Short name for the CLI, e.g. 'c4' or 'pac'.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.C4)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="entity_slug_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


def _entity_field() -> models.ForeignKey:
    # The books of an entity are kept while it has any line.
    return models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")


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
    # The books the dues are owed to; its invoices are that entity's too.
    entity = _entity_field()
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
    entity = _entity_field()
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


class SourceClass(models.TextChoices):
    """Where a line of income comes from, for the self-funding figures. Individual gifts are
    split into small and large donors on reading, by the donor's total in the calendar year
    against the organization's threshold."""

    MEMBER_DUES = "member_dues", "Member dues"
    AFFILIATE_DUES = "affiliate_dues", "Affiliate dues"
    SMALL_DONORS = "small_donors", "Small donors"
    LARGE_DONORS = "large_donors", "Large donors"
    FOUNDATIONS = "foundations", "Foundations"
    UNION_FUNDS = "union_funds", "Unions' political funds"
    EARNED_INCOME = "earned_income", "Earned income"


# What an income line is stored as: the two donor classes are decided on reading.
STORED_CLASSES = [
    ("individual", "Individual donor"),
    *[(c.value, c.label) for c in SourceClass if c.value not in ("small_donors", "large_donors")],
]


class MoneyImport(TenantModel):
    """One file of income brought in from a vendor's export or the ledger, with its totals."""

    class Source(models.TextChoices):
        ACTBLUE = "actblue", "ActBlue"
        ACTION_NETWORK = "actionnetwork", "Action Network"
        EVERYACTION = "everyaction", "EveryAction"
        LEDGER = "ledger", "Ledger CSV"

    source = models.CharField(max_length=15, choices=Source.choices)
    file_name = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0)
    lines_added = models.PositiveIntegerField(default=0)
    lines_already_there = models.PositiveIntegerField(default=0)
    people_matched = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(
        default=0, help_text="Donors new to the base, added as people with this file as source."
    )
    # The web's background job that ran it, so a job run twice imports the file once.
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    net_cents = models.BigIntegerField(
        default=0, help_text="Gifts less refunds added by this file, to the cent."
    )
    expenses_added = models.PositiveIntegerField(default=0)
    expenses_cents = models.BigIntegerField(default=0, help_text="Ledger files: spending added.")
    # Who ran it is in the audit log; this keeps when.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import of {self.file_name}"


class Grant(TenantModel):
    """Money a foundation or institution gave, with its restrictions and reporting dates."""

    funder = models.CharField(max_length=200)
    entity = _entity_field()
    amount_cents = models.BigIntegerField(help_text="The amount awarded.")
    source_class = models.CharField(
        max_length=20,
        choices=[(SourceClass.FOUNDATIONS, "Foundation"), (SourceClass.UNION_FUNDS, "Union fund")],
        default=SourceClass.FOUNDATIONS,
    )
    restricted_to = models.CharField(
        max_length=200, blank=True, help_text="The program it may be spent on; empty: general."
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    reports_due = models.JSONField(
        default=list, blank=True, help_text="The dates reports to the funder are due (ISO)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "funder"]

    def __str__(self) -> str:
        return f"{self.funder} grant from {self.starts_on:%Y-%m-%d}"


class IncomeLine(TenantModel):
    """Money received: a gift (negative for a refund), a grant payment, member dues or earned
    income. Affiliate dues are `Payment` rows and counted with these in the figures."""

    class Channel(models.TextChoices):
        HAND = "hand", "Entered by hand"
        ACTBLUE = "actblue", "ActBlue"
        ACTION_NETWORK = "actionnetwork", "Action Network"
        EVERYACTION = "everyaction", "EveryAction"
        LEDGER = "ledger", "Ledger CSV"

    received_on = models.DateField()
    amount_cents = models.BigIntegerField(help_text="Negative for a refund.")
    entity = _entity_field()
    source_class = models.CharField(max_length=20, choices=STORED_CLASSES)
    channel = models.CharField(max_length=15, choices=Channel.choices, default=Channel.HAND)
    external_id = models.CharField(
        max_length=100, blank=True, help_text="The vendor's receipt or transaction id."
    )
    # A gift stays on the books when the donor's record is merged away or removed.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payer_name = models.CharField(max_length=200, blank=True)
    payer_email = models.CharField(max_length=254, blank=True)
    recurring = models.BooleanField(default=False)
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    # The import that brought the line in, if any; an import is kept while its lines are.
    money_import = models.ForeignKey(
        MoneyImport, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_income_line_per_vendor_id",
            )
        ]
        indexes = [models.Index(fields=["organization", "received_on"])]

    def __str__(self) -> str:
        return f"{self.payer_name or self.get_source_class_display()} on {self.received_on}"


# The bookkeeper's chart of accounts for income, by source class (docs/money.md).
INCOME_ACCOUNTS = {
    "member_dues": "4010",
    "affiliate_dues": "4020",
    "individual": "4100",
    "foundations": "4200",
    "union_funds": "4300",
    "earned_income": "4400",
}


class Budget(TenantModel):
    """A plan of spending for a year, for the whole organization, a program or a campaign."""

    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    # Its lines and the expenses charged to it are this entity's.
    entity = _entity_field()
    program = models.CharField(max_length=200, blank=True, help_text="Empty: the whole IPO.")
    # A campaign is kept while a budget refers to it.
    campaign = models.ForeignKey(
        "actions.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "name"], name="budget_name_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class BudgetLine(TenantModel):
    """What a budget plans to spend in one category."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(max_length=100, help_text="e.g. 'Staff', 'Printing'.")
    account_code = models.CharField(max_length=20, blank=True, help_text="e.g. 6100.")
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["budget", "category"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "category"], name="one_line_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.budget}: {self.category}"


class Expense(TenantModel):
    """Money spent: entered by hand or imported from the bookkeeping system's ledger CSV."""

    spent_on = models.DateField()
    amount_cents = models.BigIntegerField(help_text="Negative for money coming back.")
    entity = _entity_field()
    category = models.CharField(max_length=100)
    account_code = models.CharField(max_length=20, blank=True)
    payee = models.CharField(max_length=200, blank=True)
    budget = models.ForeignKey(
        Budget, null=True, blank=True, on_delete=models.PROTECT, related_name="expenses"
    )
    # The decision that authorised the spending, from the decision log, if one did.
    decision = models.ForeignKey(
        "democracy.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=100, blank=True)
    money_import = models.ForeignKey(
        MoneyImport, null=True, blank=True, on_delete=models.PROTECT, related_name="expenses"
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"],
                condition=~models.Q(reference=""),
                name="one_expense_per_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.payee or 'expense'} on {self.spent_on}"


class CapacityEntry(TenantModel):
    """Hours of work in one month: the IPO's own staff, staff an affiliate lends in kind, or
    volunteers entered by hand (hours at actions are counted from attendance instead)."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Own staff"
        IN_KIND = "in_kind", "Staff lent in kind"
        VOLUNTEER = "volunteer", "Volunteers"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    month = models.DateField(help_text="The first day of the month the hours were worked.")
    hours = models.DecimalField(max_digits=9, decimal_places=2)
    # The work stays counted when a campaign is archived; it is not deleted while referred to.
    campaign = models.ForeignKey(
        "actions.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    affiliate = models.ForeignKey(
        "coalition.Affiliate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="In kind: the affiliate that lent the staff.",
    )
    rate_cents = models.BigIntegerField(
        default=0, help_text="In kind: what an hour is worth, to value the contribution."
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "kind", "id"]
        verbose_name_plural = "capacity entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.hours} h in {self.month:%B %Y}"


class MemberDues(TenantModel):
    """One person's own dues, to an affiliate (recorded by its lead or the IPO's staff on its
    behalf) or to the IPO directly (no affiliate): how they pay and whether they are current.

    The affiliate provides the fact, so its sharing terms decide who sees it, with the same
    rule as the contact details it provides (`coalition.visibility`): a withholding
    affiliate's member's dues are not shown to the IPO's staff anywhere.
    """

    class Method(models.TextChoices):
        CARD = "card", "Card"
        BANK = "bank", "Bank transfer"
        PAYROLL = "payroll", "Payroll check-off"

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        IN_ARREARS = "in_arrears", "In arrears"
        NONE = "none", "Not paying dues"

    # A person's dues are part of their record and go with it.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="member_dues"
    )
    affiliate = models.ForeignKey(
        "coalition.Affiliate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_dues",
        help_text="Who the dues are paid to; empty: the IPO itself.",
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    amount_cents = models.BigIntegerField(default=0, help_text="What each period's dues are.")
    period = models.CharField(
        max_length=10, choices=DuesSchedule.Period.choices, default=DuesSchedule.Period.MONTHLY
    )
    paid_through = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "affiliate__name", "id"]
        verbose_name_plural = "member dues"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "affiliate"], name="one_member_dues_per_affiliate"
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(affiliate__isnull=True),
                name="one_member_dues_to_the_ipo",
            ),
        ]

    def __str__(self) -> str:
        return f"Dues of {self.person}"
