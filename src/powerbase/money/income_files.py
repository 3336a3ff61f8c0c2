"""Read income files: the CSV exports of ActBlue, Action Network and EveryAction, and the
ledger CSV, each into the same `IncomeRow`s. docs/money.md lists every column read.

Reading never touches the database: every bad cell is collected as "FILE, row N, column 'C':
problem" so the service can refuse the whole file, naming each, before writing anything.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from powerbase.core.exceptions import InvalidInput, RowError
from powerbase.money.amounts import parse_cents

# A row's number is its line in a spreadsheet: the header is row 1.
FIRST_ROW = 2
# Refused files list this many problems; the rest are counted.
PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class IncomeRow:
    """One row of an income file: a gift (negative: a refund on its own) and any refund of it."""

    row: int
    external_id: str
    received_on: date
    amount_cents: int
    source_class: str = "individual"
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    phone: str = ""
    recurring: bool = False
    refund_id: str = ""
    refunded_on: date | None = None
    refund_cents: int = 0
    note: str = ""
    # Ledger rows of spending (source_class "expense"): what it was for and its account.
    category: str = ""
    account_code: str = ""

    @property
    def net_cents(self) -> int:
        return self.amount_cents - self.refund_cents


@dataclass(frozen=True)
class Format:
    """How one source's export is laid out: its required columns and a row reader."""

    label: str
    required: tuple[str, ...]
    read: Callable[["Cells"], IncomeRow | None]  # None: a row that is no money (skipped)


class Cells:
    """One row's cells by column name, each read with the file, row and column in any error."""

    def __init__(self, file: str, row: int, values: dict[str, str]):
        self.file, self.row, self.values = file, row, values

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def error(self, column: str, problem: str) -> RowError:
        return RowError(file=self.file, row=self.row, column=column, problem=problem)

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise self.error(column, "is empty; every row needs it.")
        return value

    def cents(self, column: str, *, required: bool = True) -> int:
        value = self.required(column) if required else self.text(column)
        if not value:
            return 0
        try:
            return parse_cents(value, what="")
        except InvalidInput:
            raise self.error(
                column, f"'{value}' is not an amount of money (expected e.g. 25.00)."
            ) from None

    def day(self, column: str) -> date:
        found = self.day_or_none(column, required=True)
        assert found is not None  # a required cell is never empty here
        return found

    def day_or_none(self, column: str, *, required: bool = False) -> date | None:
        value = self.required(column) if required else self.text(column)
        if not value:
            return None
        for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y"):
            try:
                return datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        raise self.error(column, f"'{value}' is not a date (expected 2026-03-14 or 03/14/2026).")

    def yes(self, column: str) -> bool:
        return self.text(column).lower() in ("true", "yes", "y", "1", "t")


def _actblue(cells: Cells) -> IncomeRow:
    refund_id = cells.text("Refund ID")
    amount = cells.cents("Amount")
    return IncomeRow(
        row=cells.row,
        # ActBlue's "Receipt ID" (its order number) stays the same for every recurrence of a
        # recurring gift; "Lineitem ID" is unique per recurrence and recipient (ActBlue's
        # Report Builder data dictionary), so it is the id when the export has it.
        external_id=cells.text("Lineitem ID") or cells.required("Receipt ID"),
        received_on=cells.day("Date"),
        amount_cents=amount,
        given_name=cells.text("Donor First Name"),
        family_name=cells.text("Donor Last Name"),
        email=cells.text("Donor Email"),
        phone=cells.text("Donor Phone"),
        recurring=bool(cells.text("Recurring Total Months")),
        refund_id=refund_id,
        refunded_on=cells.day_or_none("Refund Date", required=bool(refund_id)),
        refund_cents=amount if refund_id else 0,
    )


AN_STATUS_COLUMNS = ("status", "donation_status")


def _action_network(cells: Cells) -> IncomeRow | None:
    # Action Network's download has each donation's status (success, failed, refunded): a
    # failed charge is no money and is skipped; a refunded one is booked with its refund.
    status = next((cells.text(c).lower() for c in AN_STATUS_COLUMNS if cells.text(c)), "")
    if status == "failed":
        return None
    amount = cells.cents("amount")
    external_id = cells.required("donation_id")
    refunded = status == "refunded"
    return IncomeRow(
        row=cells.row,
        external_id=external_id,
        received_on=cells.day("created_date"),
        amount_cents=amount,
        given_name=cells.text("first_name"),
        family_name=cells.text("last_name"),
        email=cells.text("email"),
        phone=cells.text("phone_number"),
        recurring=cells.text("recurring_period").lower() not in ("", "never", "none"),
        refund_id=f"{external_id}-refund" if refunded else "",
        refund_cents=amount if refunded else 0,
    )


def _everyaction(cells: Cells) -> IncomeRow:
    # A refund is its own row with a negative amount (an adjustment of the contribution).
    return IncomeRow(
        row=cells.row,
        external_id=cells.required("Contribution ID"),
        received_on=cells.day("Date Received"),
        amount_cents=cells.cents("Amount"),
        given_name=cells.text("First Name"),
        family_name=cells.text("Last Name"),
        email=cells.text("Email"),
        phone=cells.text("Phone"),
        recurring=bool(cells.text("Recurring Commitment ID")),
    )


LEDGER_CLASSES = (
    "individual",
    "member_dues",
    "foundations",
    "union_funds",
    "earned_income",
    "expense",
)


def _ledger(cells: Cells) -> IncomeRow:
    source_class = cells.required("source_class").lower()
    if source_class not in LEDGER_CLASSES:
        raise cells.error(
            "source_class",
            f"'{source_class}' is not a source of income; use one of {', '.join(LEDGER_CLASSES)}.",
        )
    name = cells.text("payer")
    return IncomeRow(
        row=cells.row,
        external_id=cells.text("reference"),
        received_on=cells.day("date"),
        amount_cents=cells.cents("amount"),
        source_class=source_class,
        family_name=name,
        email=cells.text("email"),
        note=cells.text("note"),
        category=cells.required("category") if source_class == "expense" else "",
        account_code=cells.text("account_code"),
    )


FORMATS: dict[str, Format] = {
    "actblue": Format(
        "ActBlue",
        ("Receipt ID", "Date", "Amount", "Donor First Name", "Donor Last Name", "Donor Email"),
        _actblue,
    ),
    "actionnetwork": Format(
        "Action Network",
        ("donation_id", "created_date", "amount", "first_name", "last_name", "email"),
        _action_network,
    ),
    "everyaction": Format(
        "EveryAction",
        ("Contribution ID", "Date Received", "Amount", "First Name", "Last Name", "Email"),
        _everyaction,
    ),
    "ledger": Format("Ledger", ("date", "amount", "source_class", "payer"), _ledger),
}


def read_income(file_name: str, content: bytes, source: str) -> list[IncomeRow]:
    """Return every row of *content* as IncomeRows, or raise InvalidInput naming each bad cell."""
    found = FORMATS.get(source)
    if found is None:
        raise InvalidInput(f"'{source}' is not an income source; use one of {', '.join(FORMATS)}.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file_name} is not a UTF-8 text file; export it as CSV.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in found.required if column not in header]
    if missing:
        raise InvalidInput(
            f"{file_name} is not a {found.label} export: it has no column "
            f"{', '.join(repr(c) for c in missing)}. See docs/money.md for the columns read."
        )
    rows, problems = [], []
    for number, values in enumerate(reader, start=FIRST_ROW):
        cells = Cells(file_name, number, {k.strip(): v for k, v in values.items() if k})
        try:
            row = found.read(cells)
        except RowError as error:
            problems.append(error.message)
            continue
        if row is not None:
            rows.append(row)
    if problems:
        more = len(problems) - PROBLEMS_SHOWN
        raise InvalidInput(
            "Nothing was imported. "
            + " ".join(problems[:PROBLEMS_SHOWN])
            + (f" And {more} more." if more > 0 else "")
        )
    return rows
