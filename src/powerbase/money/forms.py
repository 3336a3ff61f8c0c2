"""Forms of the money pages. Amounts are typed in currency units and reach services as cents."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from powerbase.money.models import DuesSchedule, Payment

DATE = forms.DateInput(attrs={"type": "date"})


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


class ScheduleForm(forms.Form):
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


class PaymentForm(forms.Form):
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
