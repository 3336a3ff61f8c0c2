"""Values lists use to mean "we do not know": read as missing, never as data.

    is_placeholder("N/A")              -> True      ("none", "unknown", "-", "null", ...)
    is_placeholder_phone("9999999999") -> True      (one digit repeated, 1234567890)
    is_placeholder_date("01/01/1900")  -> True      (the dates systems put in empty fields)

A placeholder is not a mistake to report: the list says, in its own way, that the value is not
known. Reading it as a value would file "n/a" as a name or 01/01/1900 as a birth date;
reporting it as a problem would bury the real problems under thousands of warnings.
"""

import re
from datetime import date, datetime

from powerbase.imports.errors import InvalidValue
from powerbase.imports.normalizing import parse_date

PLACEHOLDER_TEXTS = frozenset(
    {
        "n/a",
        "na",
        "n.a.",
        "n a",
        "#n/a",
        "none",
        "unknown",
        "unk",
        "-",
        "--",
        "---",
        "null",
        "nil",
        "?",
        "??",
        "tbd",
        "not available",
        "not provided",
        "no data",
        "(none)",
        "(blank)",
        "blank",
    }
)
_LONGEST = max(len(text) for text in PLACEHOLDER_TEXTS)
# The spellings lists use, so the common case costs one set lookup and no string copies.
PLACEHOLDERS_AS_TYPED = frozenset(
    variant
    for text in PLACEHOLDER_TEXTS
    for cased in (text, text.upper(), text.title(), text.capitalize())
    for variant in (cased, cased + " ")
)
# The dates systems write in a date field they had nothing for.
PLACEHOLDER_DATES = frozenset(
    {date(1900, 1, 1), date(1899, 12, 31), date(1899, 12, 30), date(1, 1, 1)}
)
PLACEHOLDER_EMAILS = frozenset(
    {
        "none@none.com",
        "noemail@noemail.com",
        "no@email.com",
        "na@na.com",
        "noemail@gmail.com",
        "none@gmail.com",
    }
)
_ZERO_DATE = re.compile(r"0{1,4}[-/.]0{1,2}[-/.]0{1,4}")
_NOT_DIGITS = re.compile(r"\D")
_COUNTED_DIGITS = frozenset({"1234567890", "0123456789"})
REPEATED_DIGITS = frozenset(digit * 10 for digit in "0123456789")


def is_placeholder(cell: object) -> bool:
    """True for a text cell that stands for "no value" in any field."""
    if type(cell) is not str:
        return False
    if cell in PLACEHOLDERS_AS_TYPED:
        return True
    return len(cell) <= _LONGEST + 4 and cell.strip().casefold() in PLACEHOLDER_TEXTS


def is_placeholder_phone(cell: object) -> bool:
    """True for a phone number made of one digit repeated, or counted out (1234567890)."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, float) and not cell.is_integer():
        return False
    if isinstance(cell, int | float):
        cell = str(int(cell))
    if not isinstance(cell, str):
        return False
    digits = _NOT_DIGITS.sub("", cell)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) >= 7 and (len(set(digits)) == 1 or digits in _COUNTED_DIGITS)


def is_placeholder_date(cell: object, *, day_first: bool = False, date1904: bool = False) -> bool:
    """True for 01/01/1900, 0000-00-00 and the other dates that mean "not known"."""
    if isinstance(cell, datetime):
        return cell.date() in PLACEHOLDER_DATES
    if isinstance(cell, date):
        return cell in PLACEHOLDER_DATES
    if isinstance(cell, str) and _ZERO_DATE.fullmatch(cell.strip()):
        return True
    if isinstance(cell, bool) or not isinstance(cell, str | int | float):
        return False
    try:
        return parse_date(cell, day_first=day_first, date1904=date1904) in PLACEHOLDER_DATES
    except InvalidValue:
        return False


def is_placeholder_email(cell: object) -> bool:
    """True for the made-up addresses forms are filled with when a person has none."""
    return isinstance(cell, str) and cell.strip().casefold() in PLACEHOLDER_EMAILS
