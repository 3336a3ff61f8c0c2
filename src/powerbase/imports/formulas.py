"""Spreadsheet formulas: spot them in uploaded cells, and defuse them in exported ones.

A cell that starts with = + - or @ is run as a formula when a spreadsheet program opens a
CSV file, and a tab or carriage return in front can hide that character. powerbase never
evaluates what it reads (such cells are kept as plain text and flagged), and escapes what it
writes by putting an apostrophe in front, which spreadsheets show as text (OWASP's advice for
CSV injection). Reading the apostrophe back removes it again, so an export imported again
gives back the value that was exported.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_PREFIX = "'"

# A leading + or - on what is only a number or a phone number is not worth flagging.
_NUMBER_OR_PHONE = re.compile(
    r"[+\-][\d\s().\-/]*\d[\d\s().\-/]*(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE
)


def looks_like_formula(text: str) -> bool:
    """Return True when a spreadsheet could run *text* as a formula (numbers and phones aside)."""
    return text.startswith(FORMULA_TRIGGERS) and _NUMBER_OR_PHONE.fullmatch(text) is None


def escape_formula[T](value: T) -> T | str:
    """Return *value* made safe for a spreadsheet cell: text starting with a trigger gets a '."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return ESCAPE_PREFIX + value
    return value


def unescape_formula(text: str) -> str:
    """Return *text* without the apostrophe `escape_formula` put in front of it, if any."""
    if text.startswith(ESCAPE_PREFIX) and text[1:2] and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text
