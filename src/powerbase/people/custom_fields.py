"""Typed values for an organization's own fields: one place that says what a value may be.

    canonical(field, "3/9/2024")   -> "2024-03-09"     (dates stored as ISO text)
    canonical(field, "March 2020") -> "2020-03-01"     (a month or a year: its first day)
    canonical(field, "12.50")      -> "12.5"           (numbers as plain decimals)
    canonical(field, "yes")        -> "Yes"            (choices spelled as the field lists them)

A value that does not fit raises InvalidValue with the end of a sentence, the same as the
import layer's normalisers, so an import names the row and column and a form names the field.
"""

from contextlib import suppress
from decimal import Decimal, InvalidOperation

from powerbase.imports.errors import InvalidValue
from powerbase.imports.normalizing import clean_text, normalize_consent, parse_since, quoted
from powerbase.people.models import CustomField

MAX_LENGTH = 500


def canonical(field: CustomField, value) -> str:
    """Return *value* as *field* stores it, or raise InvalidValue saying why it cannot."""
    if field.kind == CustomField.Kind.DATE:
        # Lists often know only the month or year ("Member since March 2020"): its first day.
        return parse_since(value).isoformat()
    text = clean_text(value)
    if field.kind == CustomField.Kind.NUMBER:
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise InvalidValue(f"{quoted(text)} is not a number.") from None
        if not number.is_finite():
            raise InvalidValue(f"{quoted(text)} is not a number.")
        return format(number.normalize(), "f")
    if field.kind == CustomField.Kind.CHOICE:
        for choice in field.choices:
            if choice.casefold() == text.casefold():
                return choice
        if {choice.casefold() for choice in field.choices} == {"yes", "no"}:
            # A yes/no field takes what lists write for yes and no: Y, TRUE, x, opted in...
            with suppress(InvalidValue):
                return "Yes" if normalize_consent(value) else "No"
        raise InvalidValue(
            f"{quoted(text)} is not one of the choices for {field.name} "
            f"({', '.join(field.choices)})."
        )
    if len(text) > MAX_LENGTH:
        raise InvalidValue(
            f"the text is {len(text)} characters long; {field.name} holds at most {MAX_LENGTH}."
        )
    return text
