"""Turn one cell into a clean value, or raise InvalidValue saying why it cannot be one.

Each normaliser takes a cell as read (text from a CSV, or a typed value from an XLSX: numbers,
dates, booleans) and returns the value powerbase stores. The reason in an InvalidValue is the
end of a sentence that validating starts with the row and column:
"Row 41, column 'Phone': '555-01' is not a phone number (expected 10 digits)."

Dates. Accepted: 2024-03-05 (ISO), 03/05/2024 and 3/5/24 (month first, the US order), 05-Mar-2024
and "March 5, 2024" (month by name), 20240305, and date cells or date serial numbers from XLSX.
A slash date is read month first unless the import says the file writes the day first: a
column is never guessed row by row, because 03/05/2024 would then mean two different days in
one file. A slash date that only works the other way round (25/03/2024 read month first) is
refused with a message saying which order was expected. `guess_day_first` looks at a sample
of a column so a screen can propose the order. A two-digit year means the latest year ending
in those digits that is not in the future (in 2026, "26" is 2026 and "27" is 1927).

Names keep the capitals a person typed; only ALL CAPS or all-lower-case names are recased
(MARIA O'BRIEN-MCDONALD -> Maria O'Brien-McDonald, DE LA CRUZ -> De la Cruz).

ZIP codes keep their leading zeros; states become USPS codes. Postal addresses are in
addresses.py.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import PhoneNumberType

from powerbase.imports.errors import InvalidValue
from powerbase.imports.reading import Cell, cell_text
from powerbase.imports.vocabularies import (
    AFFILIATE_ROLE_KEYS,
    AFFILIATE_STATUS_KEYS,
    CONSENT_KEYS,
    LANGUAGE_KEYS,
    RACE_DECLINED_KEYS,
    RACE_DETAILED_KEYS,
    RACE_ETHNICITY_CATEGORIES,
    RACE_GENERAL_KEYS,
    RACE_UNKNOWN_KEYS,
    STATE_KEYS,
    vocabulary_key,
)

MAX_NAME_CHARS = 100
MAX_TAG_CHARS = 100
MAX_ID_CHARS = 100
OLDEST_AGE_YEARS = 120


# ---------------------------------------------------------------------------------------------
# Text

# Control characters other than tab and line breaks carry nothing a person typed.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])
_ODD_SPACES = re.compile(r"[^\S\n]+")


def clean_text(value: Cell, *, keep_lines: bool = False) -> str:
    """Return the cell as tidy text: Unicode NFC, no invisible characters, single spaces."""
    text = value if type(value) is str else cell_text(value)
    if text.isascii():
        if (
            not keep_lines
            and text.isprintable()
            and "  " not in text
            and text[:1] != " "
            and text[-1:] != " "
        ):
            return text  # already tidy: the common case, kept fast
        text = text.translate(_CONTROLS)
    else:
        text = _without_invisible(unicodedata.normalize("NFC", text))
    if keep_lines:
        lines = (
            _ODD_SPACES.sub(" ", line).strip()
            for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        )
        return "\n".join(lines).strip("\n")
    return " ".join(text.split())


def _without_invisible(text: str) -> str:
    """Drop control and format characters (zero-width spaces, bidi overrides, soft hyphens)."""
    return "".join(
        char for char in text if char in "\t\n\r" or unicodedata.category(char)[0] != "C"
    )


def quoted(text: str, limit: int = 60) -> str:
    """Return *text* in quotes for a message, shortened if long."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


# ---------------------------------------------------------------------------------------------
# Names

_NAME_PARTICLES = {
    "de",
    "del",
    "della",
    "da",
    "di",
    "du",
    "dos",
    "das",
    "do",
    "la",
    "le",
    "van",
    "von",
    "der",
    "den",
    "ter",
    "ten",
    "bin",
    "ibn",
    "y",
}
_ROMAN_NUMERALS = {"ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
_WORD_START = re.compile(r"(^|[\s\-'’.(])(\w)")
_SUFFIXES = {
    "jr": "Jr.",
    "junior": "Jr.",
    "sr": "Sr.",
    "senior": "Sr.",
    "esq": "Esq.",
    "phd": "PhD",
    "md": "MD",
    "dds": "DDS",
    "rn": "RN",
}
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "rev",
    "fr",
    "sister",
    "brother",
    "pastor",
    "prof",
    "hon",
}


def normalize_name(value: Cell) -> str:
    """Return a name part tidied: single spaces, and sensible capitals if typed in one case."""
    text = clean_text(value)
    if len(text) > MAX_NAME_CHARS:
        raise InvalidValue(
            f"{quoted(text)} is too long for a name (more than {MAX_NAME_CHARS} characters)."
        )
    if "@" in text:
        raise InvalidValue(f"{quoted(text)} looks like an email address, not a name.")
    if text.isupper() or text.islower():
        return recase_name(text)
    return text


def recase_name(text: str) -> str:
    """Return an ALL CAPS or all-lower name in name case: O'Brien, McDonald, Smith-Jones."""
    words = []
    for position, word in enumerate(text.lower().split(" ")):
        if position > 0 and word in _NAME_PARTICLES:
            words.append(word)
        elif word in _ROMAN_NUMERALS and position > 0:
            words.append(word.upper())
        else:
            word = _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), word)
            words.append(re.sub(r"\bMc(\w)", lambda m: "Mc" + m.group(1).upper(), word))
    return " ".join(words)


def normalize_suffix(value: Cell) -> str:
    """Return a name suffix in its usual form (Jr., Sr., III, PhD)."""
    text = clean_text(value)
    key = vocabulary_key(text)
    if key in _SUFFIXES:
        return _SUFFIXES[key]
    if key in _ROMAN_NUMERALS:
        return key.upper()
    return normalize_name(text)


@dataclass(frozen=True)
class NameParts:
    """A full name split into the parts powerbase keeps."""

    given: str = ""
    middle: str = ""
    family: str = ""
    suffix: str = ""


def split_full_name(value: Cell) -> NameParts:
    """Split "Maria J. Lopez Jr." or "Lopez, Maria J." into given, middle, family and suffix."""
    pieces = [piece.strip() for piece in normalize_name(value).split(",")]
    suffix = ""
    if len(pieces) > 1 and _is_suffix(pieces[-1]):
        suffix = normalize_suffix(pieces.pop())
    if len(pieces) > 1:  # "Family, Given Middle"
        given, *middle = " ".join(pieces[1:]).split() or [""]
        return NameParts(given=given, middle=" ".join(middle), family=pieces[0], suffix=suffix)
    words = pieces[0].split()
    while len(words) > 1 and vocabulary_key(words[0]) in _TITLES:
        words.pop(0)
    if len(words) > 1 and _is_suffix(words[-1]):
        suffix = normalize_suffix(words.pop())
    if len(words) <= 1:
        return NameParts(given="".join(words), suffix=suffix)
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in _NAME_PARTICLES:
        family_start -= 1
    return NameParts(
        given=words[0],
        middle=" ".join(words[1:family_start]),
        family=" ".join(words[family_start:]),
        suffix=suffix,
    )


def _is_suffix(word: str) -> bool:
    key = vocabulary_key(word)
    return key in _SUFFIXES or key in _ROMAN_NUMERALS


# ---------------------------------------------------------------------------------------------
# Phones


@dataclass(frozen=True)
class PhoneNumber:
    """A phone number in E.164 form, with what the numbering plan says about its line."""

    e164: str
    line_type: str  # "mobile", "landline" or "unknown" (US numbers do not say)
    extension: str = ""


# The common ways a US number is written: (203) 555-0100, 203.555.0100, +1 203 555 0100 ...
_NANP = re.compile(r"\s*(?:\+?1[\s.\-]?)?\(?([2-9]\d\d)\)?[\s.\-]?([2-9]\d\d)[\s.\-]?(\d{4})\s*")
_LINE_TYPES = {PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "landline"}


# What a roster writes beside a number to say which it is: "203 555 0103 (cell)", "Cell: ...".
_PHONE_LABEL = r"(?:cell(?:\s*phone)?|mobile|home|work|office|landline|main|[chmw])"
_PHONE_LABELS = re.compile(
    rf"^\s*\(?{_PHONE_LABEL}\)?\s*[:.\-]?\s+|\s*[\-:]?\s*\(?{_PHONE_LABEL}\)?\s*$", re.IGNORECASE
)


def normalize_phone(value: Cell, *, region: str = "US") -> PhoneNumber:
    """Return the number in E.164 form (+12035550100), or refuse one that cannot be dialled.

    A label written beside the number ("(cell)", "Home:") is not part of it and is dropped.
    """
    text = clean_text(value)
    if any(char.isalpha() for char in text):
        text = _PHONE_LABELS.sub("", text).strip() or text
    match = _NANP.fullmatch(text) if region == "US" else None
    if match:
        national = "".join(match.groups())
        if not _nanp_prefix_is_valid(national[:6]):
            raise InvalidValue(
                f"{quoted(text)} is not a valid US phone number (there is no "
                f"such area code or exchange: {national[:3]}-{national[3:6]})."
            )
        return PhoneNumber(e164="+1" + national, line_type="unknown")
    return _parse_phone(text, region)


@functools.lru_cache(maxsize=4096)
def _nanp_prefix_is_valid(prefix: str) -> bool:
    """Return whether numbers starting with this area code and exchange are valid.

    The US numbering plan metadata decides validity by the first six digits at most, so one
    check per area code and exchange stands for all 10,000 numbers behind it (a test keeps
    this true when the phonenumbers metadata changes).
    """
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(prefix + "0100"))
    return phonenumbers.is_valid_number(number)


_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d+$", re.IGNORECASE)


def _parse_phone(text: str, region: str) -> PhoneNumber:
    digits = sum(char.isdigit() for char in _EXTENSION.sub("", text))
    national = region == "US" and not text.startswith(("+", "011"))
    if national and digits not in (10, 11):
        raise InvalidValue(_not_a_phone(text, digits, region))
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidValue(_not_a_phone(text, digits, region)) from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidValue(_not_a_phone(text, digits, region))
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue(
            f"{quoted(text)} is not a valid phone number (check the area or country code)."
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    line_type = _LINE_TYPES.get(phonenumbers.number_type(number), "unknown")
    return PhoneNumber(e164=e164, line_type=line_type, extension=number.extension or "")


def _not_a_phone(text: str, digits: int, region: str) -> str:
    if region == "US" and digits == 10 and any(char.isalpha() for char in _EXTENSION.sub("", text)):
        return (
            f"{quoted(text)} is not a phone number (it has letters or words besides the 10 "
            "digits; write anything else in a note column)."
        )
    if region == "US" and not text.lstrip().startswith("+"):
        return f"{quoted(text)} is not a phone number (expected 10 digits, found {digits})."
    return f"{quoted(text)} is not a phone number."


# ---------------------------------------------------------------------------------------------
# Emails

# Plain ASCII addresses, the vast majority, are checked here; anything else goes to
# email-validator, which gives the same answer more slowly (a test compares the two).
_SIMPLE_EMAIL = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
_SPECIAL_USE_TLDS = {"arpa", "invalid", "local", "localhost", "onion", "test"}


def normalize_email(value: Cell) -> str:
    """Return the address with its domain in lower case, or refuse one that is not an address.

    "Maria Lopez <maria@example.org>" and "mailto:" links give the bare address. Nothing is
    looked up on the network.
    """
    text = clean_text(value)
    if text[:7].lower() == "mailto:":
        text = text[7:]
    text = text.rstrip(".,;").strip()  # an address ending a sentence, or a list
    match = _SIMPLE_EMAIL.fullmatch(text)
    if match:
        local, domain = match.group(1), match.group(2).lower()
        if _is_plain_address(local, domain):
            return f"{local}@{domain}"
    try:
        return validate_email(text, check_deliverability=False, allow_display_name=True).normalized
    except EmailNotValidError as error:
        reason = str(error).rstrip(".")
        raise InvalidValue(
            f"{quoted(text)} is not an email address ({reason[:1].lower()}{reason[1:]})."
        ) from None


def _is_plain_address(local: str, domain: str) -> bool:
    """Return True when email-validator has nothing to add (lengths, reserved names, IDNA)."""
    return (
        len(local) <= 64
        and len(domain) <= 253
        and len(local) + len(domain) < 254
        and domain.rpartition(".")[2] not in _SPECIAL_USE_TLDS
        and "xn--" not in domain
    )


# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAMES = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
} | _MONTHS
_ISO_DATE = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?$")
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([A-Za-z]{3,9})\.?[\s\-/.,]*(\d{4}|\d{2})"
)
_MONTH_DAY_YEAR = re.compile(
    r"([A-Za-z]{3,9})\.?[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?[\s\-/.,]*(\d{4})"
)
_EXPECTED_DATE = "write it as YYYY-MM-DD, MM/DD/YYYY or DD-Mon-YYYY"
_EXCEL_EPOCH_1900 = date(1899, 12, 30)  # serial 60 is the 29 February 1900 Excel invented
_EXCEL_EPOCH_1904 = date(1904, 1, 1)


def parse_date(
    value: Cell, *, day_first: bool = False, date1904: bool = False, today: date | None = None
) -> date:
    """Return the date a cell holds, in any of the formats in this module's docstring."""
    today = today or date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial_date(value, date1904)
    text = clean_text(value)
    if match := _ISO_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return _real_date(text, year, month, day)
    if match := _NUMERIC_DATE.fullmatch(_TRAILING_TIME.sub("", text) if ":" in text else text):
        return _numeric_date(text, match, day_first, today)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day_text, month_text, year_text = match.groups()
        return _named_month_date(text, year_text, month_text, day_text, today)
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        month_text, day_text, year_text = match.groups()
        return _named_month_date(text, year_text, month_text, day_text, today)
    if text.isdigit() and len(text) == 5:
        raise InvalidValue(
            f"{quoted(text)} looks like a spreadsheet date number; format the "
            "column as dates in the spreadsheet and save it again, or "
            f"{_EXPECTED_DATE}."
        )
    raise InvalidValue(f"{quoted(text)} is not a date ({_EXPECTED_DATE}).")


_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})\.?[\s\-/.,']*(\d{4})")
# Excel's "mmm-yy" (a month-formatted cell as a CSV export writes it): "Mar-20".
_MONTH_SHORT_YEAR = re.compile(r"([A-Za-z]{3,9})\.?[\s\-/.']*(\d{2})")
_NUMERIC_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})[/.\-](\d{1,2})")  # ISO "2020-03"
_YEAR = re.compile(r"(?:19|20)\d\d")


def parse_since(
    value: Cell, *, day_first: bool = False, date1904: bool = False, today: date | None = None
) -> date:
    """Return the date a membership started; "March 2020", "Mar-20" (Excel's month format),
    "03/2020", "2020-03" or "2007" mean its start.

    Rosters often know only the month or the year someone joined; the first day of it keeps
    the order of seniority right, which is what the date is used for.
    """
    try:
        return parse_date(value, day_first=day_first, date1904=date1904, today=today)
    except InvalidValue:
        text = clean_text(value)
        if match := _MONTH_YEAR.fullmatch(text):
            month = _MONTH_NAMES.get(match.group(1).lower())
            if month:
                return date(int(match.group(2)), month, 1)
        if match := _MONTH_SHORT_YEAR.fullmatch(text):
            month = _MONTH_NAMES.get(match.group(1).lower())
            if month:
                return date(_full_year(match.group(2), today or date.today()), month, 1)
        if (match := _NUMERIC_MONTH_YEAR.fullmatch(text)) and 1 <= int(match.group(1)) <= 12:
            return date(int(match.group(2)), int(match.group(1)), 1)
        if (match := _YEAR_MONTH.fullmatch(text)) and 1 <= int(match.group(2)) <= 12:
            return date(int(match.group(1)), int(match.group(2)), 1)
        if _YEAR.fullmatch(text):
            return date(int(text), 1, 1)
        raise


def _numeric_date(text: str, match: re.Match, day_first: bool, today: date) -> date:
    first, _, second, year_text = match.groups()
    first, second = int(first), int(second)
    month, day = (second, first) if day_first else (first, second)
    if month > 12 and day <= 12:
        order, other = ("day/month/year", "month") if day_first else ("month/day/year", "day")
        raise InvalidValue(
            f"{quoted(text)} is not a date in {order} order; if this file "
            f"writes the {other} first, choose {other}-first dates for this "
            "import."
        )
    return _real_date(text, _full_year(year_text, today), month, day)


def _named_month_date(text: str, year: str, month: str, day: str, today: date) -> date:
    number = _MONTH_NAMES.get(month.lower())
    if number is None:
        raise InvalidValue(f"{quoted(text)} is not a date ('{month}' is not a month).")
    return _real_date(text, _full_year(year, today), number, int(day))


def _full_year(year_text: str, today: date) -> int:
    year = int(year_text)
    if len(year_text) == 4:
        return year
    century = today.year - today.year % 100
    return century + year if century + year <= today.year else century - 100 + year


def _real_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if not 1 <= month <= 12:
        raise InvalidValue(f"{quoted(text)} is not a real date (there is no month {month}).")
    raise InvalidValue(
        f"{quoted(text)} is not a real date (there is no day {day} in "
        f"{_MONTH_TITLES[month - 1]} {year})."
    )


_MONTH_TITLES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _excel_serial_date(serial: float, date1904: bool) -> date:
    if not 1 <= serial < 2_958_466:  # up to 9999-12-31
        raise InvalidValue(f"'{cell_text(serial)}' is not a date ({_EXPECTED_DATE}).")
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH_1900
    return epoch + timedelta(days=int(serial))


def normalize_birth_date(
    value: Cell, *, day_first: bool = False, date1904: bool = False, today: date | None = None
) -> date:
    """Return a birth date, refusing one in the future or more than 120 years ago."""
    today = today or date.today()
    born = parse_date(value, day_first=day_first, date1904=date1904, today=today)
    if born > today:
        raise InvalidValue(
            f"{quoted(clean_text(value))} is in the future, so it cannot be a birth date."
        )
    if born < _years_before(today, OLDEST_AGE_YEARS):
        raise InvalidValue(
            f"{quoted(clean_text(value))} would make this person more than "
            f"{OLDEST_AGE_YEARS} years old; check the year."
        )
    return born


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def guess_day_first(values: list[Cell]) -> bool | None:
    """Return True if slash dates in *values* write the day first, False if the month, else None.

    Only a first or second number above 12 is evidence; None means no evidence, or evidence
    both ways (a column that mixes orders should be fixed in the file).
    """
    day_first = month_first = False
    for value in values:
        match = _NUMERIC_DATE.fullmatch(_TRAILING_TIME.sub("", clean_text(value)))
        if match:
            first, second = int(match.group(1)), int(match.group(3))
            day_first |= 12 < first <= 31 and second <= 12
            month_first |= 12 < second <= 31 and first <= 12
    if day_first == month_first:
        return None
    return day_first


# ---------------------------------------------------------------------------------------------
# Places


def normalize_zip(value: Cell) -> str:
    """Return a ZIP code as 5 digits or ZIP+4 (06511 or 06511-1234), keeping leading zeros.

    A 4- or 8-digit number is a ZIP code whose leading zero a spreadsheet dropped when it
    stored the column as numbers, so the zero is put back.
    """
    text = clean_text(value)
    digits = text.replace(" ", "").replace("-", "")
    if digits.isascii() and digits.isdigit():
        if len(digits) in (4, 8) and not digits.startswith("0"):
            digits = "0" + digits
        if len(digits) == 5:
            return digits
        if len(digits) == 9:
            return f"{digits[:5]}-{digits[5:]}"
    raise InvalidValue(
        f"{quoted(text)} is not a ZIP code (expected 5 digits, or 9 written 12345-6789)."
    )


def normalize_state(value: Cell) -> str:
    """Return a state, DC or territory as its two-letter USPS code."""
    text = clean_text(value)
    code = STATE_KEYS.get(vocabulary_key(text))
    if code is None:
        raise InvalidValue(
            f"{quoted(text)} is not a US state (expected a name such as "
            "Connecticut or a code such as CT)."
        )
    return code


# ---------------------------------------------------------------------------------------------
# Self-identification


@dataclass(frozen=True)
class RaceEthnicity:
    """Race and ethnicity as a person gave it: SPD 15 (2024) categories plus their own words."""

    categories: tuple[str, ...] = ()  # keys of RACE_ETHNICITY_CATEGORIES, in that order
    self_described: str = ""  # kept when the person said more than a category name
    declined: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """Return the category names as a form shows them."""
        return tuple(RACE_ETHNICITY_CATEGORIES[key] for key in self.categories)


_LIST_SEPARATORS = re.compile(r"\s*(?:[;,|/&+]|\band\b)\s*", re.IGNORECASE)


def normalize_race_ethnicity(value: Cell) -> RaceEthnicity | None:
    """Return the categories a multi-select answer names, keeping detail in the person's words.

    "Black; Puerto Rican" gives Black or African American and Hispanic or Latino, and keeps
    "Black; Puerto Rican" as self-described. An answer that names no category (such as
    "Multiracial") is kept as self-described only. "Unknown" and the like give None.
    """
    text = clean_text(value)
    key = vocabulary_key(text)
    if not key or key in RACE_UNKNOWN_KEYS:
        return None
    if key in RACE_DECLINED_KEYS:
        return RaceEthnicity(declined=True)
    if key in RACE_GENERAL_KEYS:
        return RaceEthnicity(categories=(RACE_GENERAL_KEYS[key],))
    found: set[str] = set()
    described = key in RACE_DETAILED_KEYS
    if described:
        found.add(RACE_DETAILED_KEYS[key])
    else:
        for piece in _LIST_SEPARATORS.split(text):
            piece_key = vocabulary_key(piece)
            if piece_key in RACE_GENERAL_KEYS:
                found.add(RACE_GENERAL_KEYS[piece_key])
            elif piece_key:
                described = True
                if piece_key in RACE_DETAILED_KEYS:
                    found.add(RACE_DETAILED_KEYS[piece_key])
    categories = tuple(key for key in RACE_ETHNICITY_CATEGORIES if key in found)
    return RaceEthnicity(categories=categories, self_described=text if described else "")


def normalize_languages(value: Cell) -> list[str]:
    """Return languages as ISO 639 codes ("Spanish; Haitian Creole" -> ["es", "ht"]).

    A language not in the list is kept in the person's words rather than refused.
    """
    languages = []
    for piece in _LIST_SEPARATORS.split(clean_text(value)):
        if piece:
            code = LANGUAGE_KEYS.get(vocabulary_key(piece), piece)
            if code not in languages:
                languages.append(code)
    return languages


_GENDER_LETTERS = {"m": "Male", "f": "Female"}


def normalize_gender(value: Cell) -> str:
    """Return gender identity in the person's words; the letters M and F are spelled out."""
    text = clean_text(value)
    return _GENDER_LETTERS.get(text.lower(), text)


_PRONOUNS = re.compile(r"([a-z]+)\s*/\s*([a-z]+)(?:\s*/\s*([a-z]+))?", re.IGNORECASE)


def normalize_pronouns(value: Cell) -> str:
    """Return pronouns written the usual way ("She / Her" -> "she/her"); anything else as given."""
    text = clean_text(value)
    if _PRONOUNS.fullmatch(text):
        return "/".join(part.strip() for part in text.lower().split("/"))
    return text


# ---------------------------------------------------------------------------------------------
# Lists, ids, memberships


def normalize_tags(value: Cell) -> list[str]:
    """Split a tags cell on semicolons or commas, dropping blanks and repeats."""
    tags: dict[str, str] = {}
    for piece in re.split(r"[;,]", clean_text(value)):
        tag = piece.strip()
        if len(tag) > MAX_TAG_CHARS:
            raise InvalidValue(
                f"{quoted(tag)} is too long for a tag (more than "
                f"{MAX_TAG_CHARS} characters); separate tags with ; or ,."
            )
        if tag:
            tags.setdefault(tag.casefold(), tag)
    return list(tags.values())


def normalize_notes(value: Cell) -> str:
    """Return a note with its line breaks kept and stray spaces removed."""
    return clean_text(value, keep_lines=True)


def normalize_external_id(value: Cell) -> str:
    """Return an id from another system (a member number, a VAN id) as text."""
    text = clean_text(value)
    if len(text) > MAX_ID_CHARS:
        raise InvalidValue(
            f"{quoted(text)} is too long for an id (more than {MAX_ID_CHARS} characters)."
        )
    return text


def normalize_affiliate_role(value: Cell) -> str:
    """Return member, leader or staff for the words lists use (Steward -> leader)."""
    text = clean_text(value)
    role = AFFILIATE_ROLE_KEYS.get(vocabulary_key(text))
    if role is None:
        raise InvalidValue(
            f"{quoted(text)} is not a role in the affiliate (expected member, "
            "leader (such as steward or captain) or staff)."
        )
    return role


def normalize_affiliate_status(value: Cell) -> str:
    """Return active, lapsed or former for the words lists use (In arrears -> lapsed)."""
    text = clean_text(value)
    status = AFFILIATE_STATUS_KEYS.get(vocabulary_key(text))
    if status is None:
        raise InvalidValue(
            f"{quoted(text)} is not a membership status (expected active, lapsed or former)."
        )
    return status


def normalize_consent(value: Cell) -> bool:
    """Return True or False for a yes/no answer such as "Opted in", "Y", "No" or TRUE."""
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    consent = CONSENT_KEYS.get(vocabulary_key(text))
    if consent is None:
        raise InvalidValue(
            f"{quoted(text)} is not a yes or no answer (expected yes, no, opted in or opted out)."
        )
    return consent
