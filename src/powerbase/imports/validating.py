"""Apply a column mapping and the normalisers to every row: clean records, or row problems.

    table = open_table(upload, file_name="roster.csv")
    mapping = check_mapping(table.header, mapping_from_the_form)
    for outcome in validate_rows(table, mapping):
        if outcome.record:            # a PersonRecord, ready to match and write
            ...
    report = validate_table(table, mapping)     # or just the counts and every problem

Imports forgive: a bad value in a cell (a phone "555-01", an email "not-an-email", a date
"someday") drops that cell, keeps the rest of the row, and is listed as a warning naming the
row, the column, the value and the reason in a sentence. A list is a person's best effort; one
wrong cell must not throw away a member. A row is rejected only when what is left says nothing
about who it is (no name, email, phone or external id); its problems then say why. A file that
cannot be read at all raises FileRefused from the reader, naming the row.

Placeholders ("n/a", "none", "unknown", "-", "null", phones like 9999999999, dates like
01/01/1900; see placeholders.py) are read as missing, not as values or problems. A row whose
mapped cells are all empty is skipped and counted as blank.

Other warnings: an address kept as written because it could not be standardised, or a cell
that starts like a spreadsheet formula (kept as plain text, never evaluated; exports escape it).
"""

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from powerbase.imports.addresses import Address, normalize_address
from powerbase.imports.errors import InvalidValue
from powerbase.imports.exporting import write_csv
from powerbase.imports.formulas import looks_like_formula, unescape_formula
from powerbase.imports.mapping import Mapping, check_mapping
from powerbase.imports.normalizing import (
    PhoneNumber,
    RaceEthnicity,
    clean_text,
    normalize_affiliate_role,
    normalize_affiliate_status,
    normalize_birth_date,
    normalize_consent,
    normalize_email,
    normalize_external_id,
    normalize_gender,
    normalize_languages,
    normalize_name,
    normalize_notes,
    normalize_phone,
    normalize_pronouns,
    normalize_race_ethnicity,
    normalize_suffix,
    normalize_tags,
    parse_since,
    quoted,
    split_full_name,
)
from powerbase.imports.placeholders import (
    PLACEHOLDER_DATES,
    PLACEHOLDERS_AS_TYPED,
    REPEATED_DIGITS,
    is_placeholder,
    is_placeholder_date,
    is_placeholder_email,
    is_placeholder_phone,
)
from powerbase.imports.reading import Cell, Row, Table, cell_text
from powerbase.imports.vocabularies import RACE_ETHNICITY_CATEGORIES

# Errors a spreadsheet shows in place of a value; #N/A is read as "no value".
SPREADSHEET_ERRORS = {
    "#REF!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#VALUE!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
}
NOT_AVAILABLE = "#N/A"
_MANY_VALUES = re.compile(r"\s*[;,]\s*")
# Phone fields: (line type the column name says, label the column name says).
_PHONE_FIELDS = {
    "phone": (None, ""),
    "mobile_phone": ("mobile", ""),
    "landline_phone": ("landline", ""),
    "home_phone": (None, "home"),
    "work_phone": (None, "work"),
}
_TRIGGER_NAMES = {"\t": "a tab", "\r": "a carriage return"}


@dataclass(frozen=True)
class ImportOptions:
    """Choices that hold for a whole file."""

    region: str = "US"  # where phone numbers without a country code are
    day_first: bool = False  # slash dates are DD/MM/YYYY rather than MM/DD/YYYY
    today: date | None = None  # for birth-date checks and two-digit years; None: today
    standardize_addresses: bool = True  # parse street addresses (the slowest step)


@dataclass(frozen=True)
class Phone:
    """A phone number of a person, in E.164 form."""

    e164: str
    type: str  # "mobile", "landline" or "unknown"
    label: str = ""  # "home" or "work" when the column said so
    extension: str = ""


@dataclass(slots=True)
class PersonRecord:
    """Everything one row says about a person, normalised; empty values mean "not given"."""

    row: int
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    suffix: str = ""
    preferred_name: str = ""
    birth_date: date | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    sms_consent: bool | None = None
    email_consent: bool | None = None
    addresses: list[Address] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    race_ethnicity: RaceEthnicity | None = None
    gender: str = ""
    pronouns: str = ""
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    external_id: str = ""
    affiliate_role: str = ""
    affiliate_since: date | None = None
    affiliate_status: str = ""

    def says_who(self) -> bool:
        """Return True when the record has something that identifies a person."""
        return bool(
            self.given_name or self.family_name or self.emails or self.phones or self.external_id
        )


@dataclass(frozen=True)
class RowProblem:
    """Why a row was rejected (or warned about): where, the value as given, and the reason."""

    row: int
    column: str  # "" when the problem is with the row as a whole
    value: str
    reason: str  # a full sentence, or the end of one after "Row 41, column 'Phone': "
    dropped: bool = False  # the cell's value was refused, so the cell was left out

    @property
    def message(self) -> str:
        """Return the problem as one sentence a person can act on."""
        where = f"Row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class RowOutcome:
    """The result for one row: a record, or the problems that rejected it, plus warnings."""

    row: int
    record: PersonRecord | None = None
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    blank: bool = False


@dataclass
class ValidationReport:
    """Counts for a whole file, every rejected row's problems, and every warning."""

    file_name: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    blank: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def add(self, outcome: RowOutcome) -> None:
        """Count *outcome* and keep its problems."""
        self.rows += 1
        if outcome.blank:
            self.blank += 1
        elif outcome.record is None:
            self.rejected += 1
        else:
            self.accepted += 1
        self.errors += outcome.errors
        self.warnings += outcome.warnings

    def summary(self) -> str:
        """Return the counts as a sentence."""
        return (
            f"{self.file_name}: {self.rows:,} rows read, {self.accepted:,} ready to import, "
            f"{self.rejected:,} rejected, {self.blank:,} blank."
        )

    def write_problems_csv(self, stream: TextIO, *, warnings: bool = False) -> int:
        """Write the rejections (or the warnings) as CSV: row, column, value, reason."""
        problems = self.warnings if warnings else self.errors
        return write_csv(
            ((p.row, p.column, p.value, p.reason) for p in problems),
            stream,
            header=("row", "column", "value", "reason"),
        )

    def problems_csv(self, *, warnings: bool = False) -> str:
        """Return the rejections (or the warnings) as CSV text, for a download."""
        buffer = io.StringIO(newline="")
        self.write_problems_csv(buffer, warnings=warnings)
        return buffer.getvalue()


def validate_table(
    table: Table,
    mapping: Mapping,
    options: ImportOptions = ImportOptions(),
    *,
    on_record: Callable[[PersonRecord], None] | None = None,
) -> ValidationReport:
    """Validate every row of *table* and return the report; pass each record to *on_record*."""
    report = ValidationReport(file_name=table.file_name)
    for outcome in validate_rows(table, mapping, options):
        report.add(outcome)
        if on_record is not None and outcome.record is not None:
            on_record(outcome.record)
    return report


def validate_rows(
    table: Table, mapping: Mapping, options: ImportOptions = ImportOptions()
) -> Iterator[RowOutcome]:
    """Yield one outcome per data row of *table*, in order (MappingRefused if unusable)."""
    validator = RowValidator(table, check_mapping(table.header, mapping), options)
    for row in table.rows():
        yield validator.check(row)


class RowValidator:
    """Turn rows of one table into outcomes, following a checked mapping.

    Lists repeat themselves (the same first names, cities, roles and tags on thousands of
    rows), so each field's normaliser result, or its refusal, is remembered per distinct cell.
    """

    def __init__(self, table: Table, mapping: Mapping, options: ImportOptions):
        self.options = options
        rules = _rules(options, date1904=table.date1904)
        # (cell index, column name, field key, rule, memo) for each mapped column. Address
        # parts and full names have no rule: they are read together at the end of the row.
        self.columns: list[tuple[int, str, str, _Rule | None, dict | None]] = []
        for index, name in enumerate(table.header):
            field_key = mapping.get(name)
            if field_key:
                rule = _column_rule(field_key, name) or rules.get(field_key)
                memo = {} if rule is not None and rule.remember else None
                self.columns.append((index, name, field_key, rule, memo))

    def check(self, row: Row) -> RowOutcome:
        """Return the outcome for *row*: its record, or the problems that reject it."""
        if row.problem:
            return RowOutcome(row=row.number, errors=[RowProblem(row.number, "", "", row.problem)])
        outcome, record = self.read(row)
        return outcome if outcome.blank else _judged(outcome, record)

    def read(self, row: Row) -> tuple[RowOutcome, PersonRecord]:
        """Read *row* into a record, leaving out refused cells; not yet judged as a whole."""
        outcome = RowOutcome(row=row.number)
        record = PersonRecord(row=row.number)
        address_parts: dict[str, tuple[str, Cell]] = {}
        full_name: tuple[str, Cell] | None = None
        seen_any = False
        cells = row.cells
        for index, column, field_key, rule, memo in self.columns:
            cell = cells[index]
            if type(cell) is str:
                if not cell or cell.isspace() or cell in PLACEHOLDERS_AS_TYPED:
                    continue
                if cell[0] in _SUSPECT_FIRST_CHARACTERS:
                    seen_any = True
                    screened = self._screen_text(outcome, column, cell)
                    if screened is None:
                        continue
                    cell = screened
            seen_any = True
            if memo is not None and rule is not None:  # a memo is kept only with a rule
                # A cell seen before in this column: reuse its value (the common case, inlined).
                known = memo.get(cell if type(cell) is str else (type(cell), cell), _UNKNOWN)
                if known is not _UNKNOWN and type(known) is not InvalidValue:
                    warning = rule.apply(record, known, field_key)
                    if warning:
                        outcome.warnings.append(
                            RowProblem(row.number, column, cell_text(cell), warning)
                        )
                    continue
            if rule is not None:
                self._apply(outcome, record, column, field_key, rule, memo, cell)
            elif field_key == "full_name":
                full_name = (column, cell)
            else:
                address_parts[field_key] = (column, cell)
        if not seen_any:
            outcome.blank = True
            return outcome, record
        if full_name is not None:
            self._apply_full_name(outcome, record, *full_name)
        if address_parts:
            self._apply_address_parts(outcome, record, address_parts)
        return outcome, record

    def _screen_text(self, outcome: RowOutcome, column: str, text: str) -> str | None:
        """Return text ready to normalise; None for a cell that holds no value or an error."""
        text = unescape_formula(text)
        stripped = text.strip()
        if stripped == NOT_AVAILABLE or is_placeholder(stripped):
            return None
        if stripped.upper() in SPREADSHEET_ERRORS:
            outcome.warnings.append(
                RowProblem(
                    outcome.row,
                    column,
                    text,
                    (
                        f"{quoted(stripped)} is a spreadsheet error, not a value; fix the formula "
                        "in the "
                        "spreadsheet and save it again."
                    ),
                    dropped=True,
                )
            )
            return None
        if looks_like_formula(text):
            trigger = _TRIGGER_NAMES.get(text[0], f"'{text[0]}'")
            outcome.warnings.append(
                RowProblem(
                    outcome.row,
                    column,
                    text,
                    (
                        f"{quoted(text.strip())} starts with {trigger}, which a spreadsheet would "
                        "run "
                        "as a formula; it was kept as plain text."
                    ),
                )
            )
        return text

    def _apply(
        self,
        outcome: RowOutcome,
        record: PersonRecord,
        column: str,
        field_key: str,
        rule: "_Rule",
        memo: dict | None,
        cell: Cell,
    ) -> None:
        """Normalise *cell* into *record*, or note why it cannot be."""
        try:
            value = rule.normalize(cell) if memo is None else _remembered(rule, memo, cell)
            warning = rule.apply(record, value, field_key)
        except InvalidValue as problem:
            outcome.warnings.append(
                RowProblem(outcome.row, column, cell_text(cell), problem.reason, dropped=True)
            )
            return
        if warning:
            outcome.warnings.append(RowProblem(outcome.row, column, cell_text(cell), warning))

    def _apply_full_name(
        self, outcome: RowOutcome, record: PersonRecord, column: str, cell: Cell
    ) -> None:
        if record.given_name or record.family_name:
            return  # separate name columns say it better
        try:
            parts = split_full_name(cell)
        except InvalidValue as problem:
            outcome.warnings.append(
                RowProblem(outcome.row, column, cell_text(cell), problem.reason, dropped=True)
            )
            return
        record.given_name, record.family_name = parts.given, parts.family
        record.middle_name = record.middle_name or parts.middle
        record.suffix = record.suffix or parts.suffix

    def _apply_address_parts(
        self, outcome: RowOutcome, record: PersonRecord, parts: dict[str, tuple[str, Cell]]
    ) -> None:
        values = {key: cell for key, (_, cell) in parts.items()}
        address, warning = normalize_address(
            street=values.get("street", ""),
            street2=values.get("street2", ""),
            city=values.get("city", ""),
            state=values.get("state", ""),
            zip=values.get("zip", ""),
            standardize=self.options.standardize_addresses,
        )
        _add_address(record, address)
        if warning:
            column = next(column for key, (column, _) in parts.items())
            outcome.warnings.append(RowProblem(outcome.row, column, address.original, warning))


def preview_cell(
    field_key: str, column: str, cell: Cell, options: ImportOptions = ImportOptions()
) -> tuple[bool, str]:
    """Say what *cell* would become in a column mapped to *field_key*, for the mapping page.

    Returns (kept, text): (True, "phone +12035550100 (mobile)"), (True, "nothing: read as
    missing") or (False, "left out: '555-01' is not a phone number ...").
    """
    table = Table(file_name="", kind="csv", header=(column,))
    outcome, record = RowValidator(table, {column: field_key}, options).read(Row(2, (cell,)))
    dropped = [problem.reason for problem in outcome.warnings if problem.dropped]
    if dropped:
        return False, "left out: " + dropped[0]
    said = describe_record(record)
    return True, said or "nothing: read as missing"


def describe_record(record: PersonRecord) -> str:
    """Return what *record* holds, field by field, in a few words each."""
    parts = []
    for name in PersonRecord.__slots__:
        value = getattr(record, name)
        if name == "row" or value in ("", None, []):
            continue
        label = name.replace("_", " ")
        if isinstance(value, list):
            value = "; ".join(_shown(item) for item in value)
        parts.append(f"{label} {_shown(value)}")
    return ", ".join(parts)


def _shown(value: object) -> str:
    if isinstance(value, Phone):
        return f"{value.e164} ({value.type})"
    if isinstance(value, Address):
        return (
            ", ".join(
                part
                for part in (value.line1, value.line2, value.city, value.state, value.zip)
                if part
            )
            if value.standardized
            else f"{value.original} (as written)"
        )
    if isinstance(value, RaceEthnicity):
        return ", ".join(value.labels) or value.self_described
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


LEFT_OUT = " The cell was left out and the rest of the row kept."
NO_ONE = (
    "There is no name, email, phone or external id in this row, so it does not say who it is about."
)


def _judged(outcome: RowOutcome, record: PersonRecord) -> RowOutcome:
    """Keep *record* when it says who it is about; otherwise reject the row, saying why.

    Cells refused on the way were left out; for a kept row they are warnings that say so, for
    a rejected row they are part of the reason.
    """
    if record.says_who():
        outcome.record = record
        if outcome.warnings:
            outcome.warnings = [_left_out(p) if p.dropped else p for p in outcome.warnings]
        return outcome
    outcome.errors = [p for p in outcome.warnings if p.dropped]
    outcome.warnings = [p for p in outcome.warnings if not p.dropped]
    outcome.errors.append(RowProblem(outcome.row, "", "", NO_ONE))
    return outcome


def _left_out(problem: RowProblem) -> RowProblem:
    reason = problem.reason if problem.reason.endswith(".") else problem.reason + "."
    return RowProblem(problem.row, problem.column, problem.value, reason + LEFT_OUT, dropped=True)


def _remembered(rule: "_Rule", memo: dict, cell: Cell) -> object:
    """Return the rule's normalised value for *cell*, normalising each distinct cell once."""
    # 1, 1.0 and True are equal as keys but not as cells (a serial date, a yes).
    key = cell if type(cell) is str else (type(cell), cell)
    known = memo.get(key, _UNKNOWN)
    if known is _UNKNOWN:
        try:
            known = rule.normalize(cell)
        except InvalidValue as problem:
            known = problem
        if len(memo) < MEMO_LIMIT:
            memo[key] = known
    if type(known) is InvalidValue:
        raise known
    return known


# Cells starting with these may be formulas, escaped exports or spreadsheet errors.
_SUSPECT_FIRST_CHARACTERS = frozenset("=+-@\t\r'# ")
_UNKNOWN = object()
MEMO_LIMIT = 100_000  # distinct cells remembered per field; beyond that, normalise each time


@dataclass(frozen=True, slots=True)
class _Rule[V]:
    """How one field is read: a pure normaliser, and how its value goes into the record.

    `apply` returns a warning to report, or None.
    """

    normalize: Callable[[Cell], V]
    apply: Callable[[PersonRecord, V, str], str | None]
    remember: bool = True  # False for values that rarely repeat (emails, phones, notes)


def _rules(options: ImportOptions, *, date1904: bool) -> dict[str, _Rule]:
    today = options.today or date.today()
    dates: dict[str, Any] = {"day_first": options.day_first, "date1904": date1904, "today": today}

    def phones(cell: Cell) -> tuple[PhoneNumber, ...]:
        pieces = _split_phones(cell) if isinstance(cell, str) else [cell]
        found = []
        for piece in pieces:
            if not piece:
                continue
            # Placeholders are looked for only where they matter: numbers that fail, or
            # whose ten digits are one repeated (a few pass the numbering plan's checks).
            try:
                number = normalize_phone(piece, region=options.region)
            except InvalidValue:
                if is_placeholder_phone(piece):
                    continue
                raise
            if number.e164[-10:] not in REPEATED_DIGITS:
                found.append(number)
        return tuple(found)

    def birth(cell: Cell) -> date | None:
        # 01/01/1900 fails the age check: look for placeholders only among the refusals.
        try:
            return normalize_birth_date(cell, **dates)
        except InvalidValue:
            if is_placeholder_date(cell, day_first=options.day_first, date1904=date1904):
                return None
            raise

    def since(cell: Cell) -> date | None:
        try:
            started = parse_since(cell, **dates)
        except InvalidValue:
            if is_placeholder_date(cell, day_first=options.day_first, date1904=date1904):
                return None
            raise
        if started in PLACEHOLDER_DATES:
            return None
        if started > today:
            raise InvalidValue(
                f"{quoted(clean_text(cell))} is in the future, so it cannot be "
                "the date membership started."
            )
        return started

    def full_address(cell: Cell) -> tuple[Address, str | None]:
        return normalize_address(full=cell, standardize=options.standardize_addresses)

    return {
        "given_name": _Rule(normalize_name, _setter("given_name")),
        "middle_name": _Rule(normalize_name, _setter("middle_name")),
        "family_name": _Rule(normalize_name, _setter("family_name")),
        "suffix": _Rule(normalize_suffix, _setter("suffix")),
        "preferred_name": _Rule(normalize_name, _setter("preferred_name")),
        "birth_date": _Rule(birth, _setter("birth_date")),
        "email": _Rule(_emails, _add_emails, remember=False),
        **{key: _Rule(phones, _add_phones, remember=False) for key in _PHONE_FIELDS},
        "sms_consent": _Rule(normalize_consent, _setter("sms_consent")),
        "email_consent": _Rule(normalize_consent, _setter("email_consent")),
        "address": _Rule(full_address, _add_full_address),
        "languages": _Rule(normalize_languages, _extender("languages")),
        "race_ethnicity": _Rule(normalize_race_ethnicity, _add_race_ethnicity),
        "gender": _Rule(normalize_gender, _setter("gender")),
        "pronouns": _Rule(normalize_pronouns, _setter("pronouns")),
        "tags": _Rule(normalize_tags, _extender("tags")),
        "notes": _Rule(normalize_notes, _add_note, remember=False),
        "external_id": _Rule(normalize_external_id, _setter("external_id"), remember=False),
        "affiliate_role": _Rule(normalize_affiliate_role, _setter("affiliate_role")),
        "affiliate_since": _Rule(since, _setter("affiliate_since")),
        "affiliate_status": _Rule(normalize_affiliate_status, _setter("affiliate_status")),
    }


def _column_rule(field_key: str, column: str) -> _Rule | None:
    """The rules that use the column's own name: a yes/no column as a tag, a column as a note."""
    if field_key == "tag_if_yes":
        tag = tag_from_column(column)

        def tag_when_yes(record: PersonRecord, said_yes: bool, field_key: str) -> None:
            if said_yes and tag not in record.tags:
                record.tags.append(tag)

        return _Rule(normalize_consent, tag_when_yes)
    if field_key == "column_note":
        label = " ".join(column.split()) or "Note"

        def labelled_note(record: PersonRecord, note: str, field_key: str) -> None:
            if note:
                record.notes.append(f"{label}: {note}")

        return _Rule(normalize_notes, labelled_note, remember=False)
    return None


def tag_from_column(column: str) -> str:
    """Name the tag a yes/no column gives: "Shop Steward?" -> "Shop Steward"."""
    return " ".join(column.split()).strip(" ?:*")[:100] or "Yes"


def _setter(attribute: str) -> Callable[[PersonRecord, object, str], None]:
    def apply(record: PersonRecord, value: object, field_key: str) -> None:
        setattr(record, attribute, value)

    return apply


def _extender(attribute: str) -> Callable[[PersonRecord, list[str], str], None]:
    def apply(record: PersonRecord, values: list[str], field_key: str) -> None:
        known = getattr(record, attribute)
        known += [value for value in values if value not in known]

    return apply


def _emails(cell: Cell) -> tuple[str, ...]:
    text = clean_text(cell)
    pieces = [text] if "<" in text else _split_values(text)
    return tuple(
        normalize_email(piece) for piece in pieces if piece and not is_placeholder_email(piece)
    )


def _split_values(text: str) -> list[str]:
    """Split a cell holding several values ("a@example.org; b@example.org")."""
    if ";" in text or "," in text:
        return _MANY_VALUES.split(text)
    return [text]


_PHONE_ALTERNATIVES = re.compile(r"\s*/\s*|\s+or\s+", re.IGNORECASE)


def _split_phones(text: str) -> list[str]:
    """Split a cell holding several numbers: on ; and , as other lists, and on "/" or "or"
    between whole numbers ("203-555-0100 / 203-555-0199"; not "203/555-0100")."""
    pieces = [part for piece in _split_values(text) for part in _PHONE_ALTERNATIVES.split(piece)]
    if len(pieces) > len(_split_values(text)) and all(
        sum(char.isdigit() for char in piece) >= 10 for piece in pieces
    ):
        return pieces
    return _split_values(text)


def _add_emails(record: PersonRecord, emails: tuple[str, ...], field_key: str) -> None:
    for email in emails:
        if email.casefold() not in (known.casefold() for known in record.emails):
            record.emails.append(email)


def _add_phones(record: PersonRecord, numbers: tuple[PhoneNumber, ...], field_key: str) -> None:
    line_type, label = _PHONE_FIELDS[field_key]
    phones = record.phones
    for number in numbers:
        phone = Phone(
            e164=number.e164,
            type=line_type or number.line_type,
            label=label,
            extension=number.extension,
        )
        for index, known in enumerate(phones):
            if known.e164 == phone.e164:
                if known.type == "unknown":
                    phones[index] = phone  # the second column says more about the line
                break
        else:
            phones.append(phone)


def _add_full_address(
    record: PersonRecord, normalized: tuple[Address, str | None], field_key: str
) -> str | None:
    address, warning = normalized
    _add_address(record, address)
    return warning


def _add_address(record: PersonRecord, address: Address) -> None:
    if address.original and address not in record.addresses:
        record.addresses.append(address)


def _add_race_ethnicity(record: PersonRecord, answer: RaceEthnicity | None, field_key: str) -> None:
    known = record.race_ethnicity
    if answer is None:
        return
    if known is None:
        record.race_ethnicity = answer
        return
    categories = set(known.categories) | set(answer.categories)
    described = "; ".join(text for text in (known.self_described, answer.self_described) if text)
    record.race_ethnicity = RaceEthnicity(
        categories=tuple(key for key in RACE_ETHNICITY_CATEGORIES if key in categories),
        self_described=described,
        declined=known.declined and answer.declined,
    )


def _add_note(record: PersonRecord, note: str, field_key: str) -> None:
    if note:
        record.notes.append(note)
