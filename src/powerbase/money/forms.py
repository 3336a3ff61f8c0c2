"""Forms of the money pages. Amounts are typed in currency units and reach services as cents."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone

from powerbase.money.models import (
    STORED_CLASSES,
    CapacityEntry,
    DuesSchedule,
    Entity,
    MemberDues,
    MoneyImport,
    Payment,
)

DATE = forms.DateInput(attrs={"type": "date"})


class BooksForm(forms.Form):
    """A form for a line of money: it goes in the books of one entity (`entities=` gives the
    organization's; the page's entity is the initial choice, the default entity if none)."""

    entity = forms.ModelChoiceField(
        label="Entity", queryset=Entity.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["entity"]
        assert isinstance(field, forms.ModelChoiceField)
        if entities is not None:
            field.queryset = entities


def cents(amount: Decimal | None) -> int:
    """Return a form's two-decimal amount as whole cents (exact: no float on the way)."""
    return int((amount or Decimal(0)) * 100)


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)


class SettingsForm(forms.Form):
    currency = forms.CharField(label="Currency", max_length=3, initial="USD")
    max_days_in_arrears = forms.IntegerField(
        label="Good standing: most days in arrears",
        min_value=0,
        max_value=3650,
        help_text="An affiliate whose oldest unpaid invoice is overdue by more days loses its "
        "delegates', seats' and bloc votes until it pays or a body waives the rule.",
    )
    small_donor_threshold = AmountField(
        label="Small donors give less than (a year)",
        help_text="Donors under this line count as the base in the self-funding figures.",
    )
    dues_entity = forms.ModelChoiceField(
        label="Affiliate dues are kept in the books of",
        queryset=Entity.objects.none(),
        required=False,
        empty_label="The default entity",
        help_text="Good standing is counted over this entity's dues invoices and payments.",
    )

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["dues_entity"]
        assert isinstance(field, forms.ModelChoiceField)
        if entities is not None:
            field.queryset = entities


class ScheduleForm(BooksForm):
    kind = forms.ChoiceField(label="Kind", choices=DuesSchedule.Kind.choices)
    period = forms.ChoiceField(label="Every", choices=DuesSchedule.Period.choices)
    amount = AmountField(
        label="Amount (flat) or rate per member",
        required=False,
        help_text="Leave empty for a sliding schedule.",
    )
    tiers = forms.CharField(
        label="Sliding tiers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, 'from size: amount', e.g. '0: 50.00' then '100: 120.00'.",
    )
    starts_on = forms.DateField(label="First period starts", widget=DATE)
    ends_on = forms.DateField(label="Last period starts by", required=False, widget=DATE)

    def clean_tiers(self) -> list[list[int]]:
        tiers = []
        for number, line in enumerate(self.cleaned_data["tiers"].splitlines(), start=1):
            if not line.strip():
                continue
            size, _, amount = line.partition(":")
            try:
                tiers.append([int(size.strip()), cents(Decimal(amount.strip()))])
            except (ValueError, ArithmeticError):
                raise forms.ValidationError(
                    f"Line {number}: '{line.strip()}' is not 'from size: amount', "
                    "e.g. '100: 120.00'."
                ) from None
        return tiers


class PaymentForm(BooksForm):
    amount = AmountField(label="Amount")
    received_on = forms.DateField(label="Received on", widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label="How", choices=Payment.Method.choices)
    reference = forms.CharField(label="Reference (e.g. check no.)", required=False, max_length=100)


class WaiverForm(forms.Form):
    reason = forms.CharField(label="Why the rule is waived", max_length=1000)
    decided_by = forms.CharField(label="Decided by", max_length=200)
    starts_on = forms.DateField(label="From", widget=DATE, initial=timezone.localdate)
    ends_on = forms.DateField(label="Until", required=False, widget=DATE)


class IssueForm(forms.Form):
    through = forms.DateField(
        label="Issue invoices for periods starting by", widget=DATE, initial=timezone.localdate
    )


class IncomeForm(BooksForm):
    amount = AmountField(label="Amount")
    received_on = forms.DateField(label="Received on", widget=DATE, initial=timezone.localdate)
    source_class = forms.ChoiceField(label="Source", choices=STORED_CLASSES)
    payer_name = forms.CharField(label="From (name)", max_length=200, required=False)
    recurring = forms.BooleanField(label="A recurring gift", required=False)
    note = forms.CharField(label="Note", max_length=300, required=False)


class GrantForm(BooksForm):
    funder = forms.CharField(label="Funder", max_length=200)
    amount = AmountField(label="Amount awarded")
    source_class = forms.ChoiceField(
        label="Kind of funder",
        choices=[("foundations", "Foundation or institution"), ("union_funds", "Union fund")],
    )
    restricted_to = forms.CharField(label="Restricted to (program)", max_length=200, required=False)
    starts_on = forms.DateField(label="Period from", widget=DATE)
    ends_on = forms.DateField(label="Period to", widget=DATE)
    reports_due = forms.CharField(
        label="Reports due",
        required=False,
        help_text="Dates, one per line or separated by commas, e.g. 2026-06-30, 2026-12-31.",
    )

    def clean_reports_due(self) -> list[date]:
        found = []
        for text in self.cleaned_data["reports_due"].replace(",", " ").split():
            try:
                found.append(date.fromisoformat(text))
            except ValueError:
                raise forms.ValidationError(
                    f"'{text}' is not a date; write it as 2026-06-30."
                ) from None
        return found


class ImportForm(BooksForm):
    file = forms.FileField(label="CSV file")
    source = forms.ChoiceField(label="From", choices=MoneyImport.Source.choices)


class BudgetForm(BooksForm):
    name = forms.CharField(label="Name", max_length=200)
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    program = forms.CharField(label="Program (empty: the whole IPO)", required=False)
    campaign = forms.ModelChoiceField(label="Campaign", queryset=None, required=False)

    def __init__(self, *args, campaigns, entities=None, **kwargs):
        super().__init__(*args, entities=entities, **kwargs)
        self.fields["campaign"].queryset = campaigns


class BudgetLineForm(forms.Form):
    category = forms.CharField(label="Category", max_length=100)
    account_code = forms.CharField(label="Account code", max_length=20, required=False)
    amount = forms.DecimalField(label="Planned", max_digits=14, decimal_places=2, min_value=0)


class ExpenseForm(forms.Form):
    amount = AmountField(label="Amount")
    spent_on = forms.DateField(label="Spent on", widget=DATE, initial=timezone.localdate)
    category = forms.CharField(label="Category", max_length=100)
    payee = forms.CharField(label="Paid to", max_length=200, required=False)
    account_code = forms.CharField(label="Account code", max_length=20, required=False)
    reference = forms.CharField(label="Reference", max_length=100, required=False)
    budget = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HoursForm(forms.Form):
    kind = forms.ChoiceField(label="Who worked", choices=CapacityEntry.Kind.choices)
    month = forms.DateField(label="Month (any day in it)", widget=DATE, initial=timezone.localdate)
    hours = forms.DecimalField(label="Hours", max_digits=9, decimal_places=2, min_value=0)
    campaign = forms.ModelChoiceField(label="Campaign", queryset=None, required=False)
    affiliate = forms.ModelChoiceField(label="Lent by (in kind)", queryset=None, required=False)
    rate = forms.DecimalField(
        label="Worth an hour (in kind)", max_digits=10, decimal_places=2, min_value=0,
        required=False,
    )  # fmt: skip

    def __init__(self, *args, campaigns, affiliates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["affiliate"].queryset = affiliates


class MemberDuesForm(forms.Form):
    """A person's own dues, on their page: paid to one of their affiliates or to the IPO."""

    affiliate = forms.TypedChoiceField(label="Paid to", coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", choices=MemberDues.Status.choices)
    method = forms.ChoiceField(
        label="How", choices=[("", "—"), *MemberDues.Method.choices], required=False
    )
    amount = AmountField(label="Amount each period", required=False)
    period = forms.ChoiceField(label="Each", choices=DuesSchedule.Period.choices)
    paid_through = forms.DateField(label="Paid through", required=False, widget=DATE)

    def __init__(self, *args, affiliates, to_the_ipo: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.pk, a.name) for a in affiliates]
        field = self.fields["affiliate"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "The IPO itself"), *choices] if to_the_ipo else choices
        field.required = not to_the_ipo


class EntityForm(forms.Form):
    name = forms.CharField(label="Legal name", max_length=200)
    slug = forms.SlugField(label="Short name (for the CLI)", max_length=40)
    kind = forms.ChoiceField(label="Kind", choices=Entity.Kind.choices)
