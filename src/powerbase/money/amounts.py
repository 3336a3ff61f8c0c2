"""Amounts of money as whole cents: read them from text exactly, show them per locale.

parse_cents("1,234.50") == 123450        never through a float
format_cents(123450, "USD") == "$1,234.50"
"""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

from powerbase.core.exceptions import InvalidInput

SYMBOLS = {"USD": "$", "CAD": "CA$", "EUR": "€", "GBP": "£"}
_CENT = Decimal("0.01")


def parse_cents(text: str | Decimal | int, *, what: str = "The amount") -> int:
    """Return *text* (e.g. "$1,234.50", "-20", "12.5") as whole cents; refuse fractions of a
    cent and anything that is not a number, saying what came."""
    cleaned = str(text).strip().replace(",", "").replace("$", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")  # accountants' negatives
    cleaned = cleaned.strip("()")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"{what} '{text}' is not an amount of money (e.g. 25.00).") from None
    if not value.is_finite() or value != value.quantize(_CENT):
        raise InvalidInput(f"{what} '{text}' is not a whole number of cents (e.g. 25.00).")
    cents = int(value * 100)
    return -cents if negative else cents


def format_cents(cents: int | None, currency: str = "USD") -> str:
    """Return *cents* as money in the active locale's number format, e.g. "-$1,234.50"."""
    if cents is None:
        return ""
    value = (Decimal(abs(cents)) / 100).quantize(_CENT)
    number = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = SYMBOLS.get(currency, f"{currency} ")
    return f"{'-' if cents < 0 else ''}{symbol}{number}"
