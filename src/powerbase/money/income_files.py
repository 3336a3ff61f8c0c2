"""Read income files: the CSV exports of ActBlue, Action Network and EveryAction, and the
ledger CSV, each into the same `IncomeRow`s. docs/money.md lists every column read.

Reading never touches the database: every bad cell is collected as "FILE, row N, column 'C':
problem" so the service can refuse the whole file, naming each, before writing anything.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    # ActBlue: the order number ("Receipt ID") when the id is the Lineitem ID. Lines imported
    # before the id changed were keyed on it, so a row matching one (order number, amount and
    # date) is already there.
    order_number: str = ""
    # Action Network: how often a recurring series repeats ("monthly"), on its first gift only.
    recurring_period: str = ""
    # Ledger rows of spending (source_class "expense"): what it was for and its account.
    category: str = ""
    account_code: str = ""

    @property
    def net_cents(self) -> int:
        return self.amount_cents - self.refund_cents


@dataclass(frozen=True)
class Format:
    """How one source's export is laid out: its required columns and a row reader.

    Each required entry lists the names a column is accepted under, the vendor's own first.
    """

    label: str
    required: tuple[tuple[str, ...], ...]
    read: Callable[["Cells"], IncomeRow | None]  # None: a row that is no money (skipped)


class Cells:
    """One row's cells by column name, each read with the file, row and column in any error."""

    def __init__(self, file: str, row: int, values: dict[str, str]):
        self.file, self.row, self.values = file, row, values

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def named(self, *columns: str) -> str:
        """The name this file gives a column accepted under several (the first it has)."""
        return next((c for c in columns if c in self.values), columns[0])

    def any_text(self, *columns: str) -> str:
        return self.text(self.named(*columns))

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
    lineitem = cells.text("Lineitem ID")
    receipt = cells.required("Receipt ID")
    return IncomeRow(
        row=cells.row,
        # ActBlue's "Receipt ID" (its order number) stays the same for every recurrence of a
        # recurring gift; "Lineitem ID" is unique per recurrence and recipient (ActBlue's
        # Report Builder data dictionary), so it is the id when the export has it.
        external_id=lineitem or receipt,
        order_number=receipt if lineitem else "",
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


def _actblue_report(cells: Cells) -> IncomeRow:
    """A row of an ActBlue Report Builder export: "Order Number" for the Receipt ID, "Paid At"
    for the date, "Is Recurring" for recurring. A refund is a row of its own with a negative
    amount, kept apart from its gift's line by its id."""
    amount = cells.cents("Amount")
    lineitem = cells.required("Lineitem ID")
    kind = cells.text("Transaction Type").lower()
    refund = amount < 0 or "refund" in kind
    return IncomeRow(
        row=cells.row,
        external_id=f"{lineitem}-refund" if refund else lineitem,
        order_number="" if refund else cells.text("Order Number"),
        received_on=cells.day("Paid At"),
        amount_cents=-abs(amount) if refund else amount,
        given_name=cells.text("Donor First Name"),
        family_name=cells.text("Donor Last Name"),
        email=cells.text("Donor Email"),
        phone=cells.text("Donor Phone"),
        recurring=cells.yes("Is Recurring") or bool(cells.text("Recurrence Number")),
    )


AN_STATUS_COLUMNS = ("status", "donation_status")


# Action Network's download names its person columns as its other downloads do (first_name,
# last_name, email, can2_phone, zip_code ...); the donation columns accept the names the
# importer has read so far beside the shorter ones (docs/money.md says which were verified).
AN_ID = ("donation_id", "id", "stripe_transaction_id", "transaction_id")
AN_DATE = ("created_date", "timestamp", "date", "created_at")
AN_PHONE = ("phone_number", "can2_phone", "mobile_number", "phone")
AN_PERIOD = ("recurring_period", "recurrence", "recurring")
NOT_RECURRING = ("", "never", "none", "no", "false", "one-time", "once")


def _action_network(cells: Cells) -> IncomeRow | None:
    # Action Network's download has each donation's status (success, failed, refunded): a
    # failed charge is no money and is skipped; a refunded one is booked with its refund.
    status = next((cells.text(c).lower() for c in AN_STATUS_COLUMNS if cells.text(c)), "")
    if status == "failed":
        return None
    amount = cells.cents("amount")
    external_id = cells.required(cells.named(*AN_ID))
    refunded = status == "refunded"
    period = cells.any_text(*AN_PERIOD).lower()
    recurring = period not in NOT_RECURRING
    return IncomeRow(
        row=cells.row,
        external_id=external_id,
        received_on=cells.day(cells.named(*AN_DATE)),
        amount_cents=amount,
        given_name=cells.text("first_name"),
        family_name=cells.text("last_name"),
        email=cells.text("email"),
        phone=cells.any_text(*AN_PHONE),
        recurring=recurring,
        recurring_period=period if recurring else "",
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
        tuple(
            (c,)
            for c in (
                "Receipt ID",
                "Date",
                "Amount",
                "Donor First Name",
                "Donor Last Name",
                "Donor Email",
            )
        ),
        _actblue,
    ),
    "actionnetwork": Format(
        "Action Network",
        (AN_ID, AN_DATE, ("amount",), ("first_name",), ("last_name",), ("email",)),
        _action_network,
    ),
    "everyaction": Format(
        "EveryAction",
        tuple(
            (c,)
            for c in (
                "Contribution ID",
                "Date Received",
                "Amount",
                "First Name",
                "Last Name",
                "Email",
            )
        ),
        _everyaction,
    ),
    "ledger": Format("Ledger", (("date",), ("amount",), ("source_class",), ("payer",)), _ledger),
}

# ActBlue's Report Builder names the same facts differently; a file with its columns and no
# "Receipt ID" is read as one.
ACTBLUE_REPORT = Format(
    "ActBlue Report Builder",
    tuple(
        (c,)
        for c in (
            "Lineitem ID",
            "Order Number",
            "Paid At",
            "Amount",
            "Donor First Name",
            "Donor Last Name",
            "Donor Email",
        )
    ),
    _actblue_report,
)


def _format_for(source: str, header: list[str]) -> Format:
    if source == "actblue" and "Receipt ID" not in header and "Paid At" in header:
        return ACTBLUE_REPORT
    return FORMATS[source]


def read_income(file_name: str, content: bytes, source: str) -> list[IncomeRow]:
    """Return every row of *content* as IncomeRows, or raise InvalidInput naming each bad cell."""
    if source not in FORMATS:
        raise InvalidInput(f"'{source}' is not an income source; use one of {', '.join(FORMATS)}.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file_name} is not a UTF-8 text file; export it as CSV.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    found = _format_for(source, header)
    missing = [names for names in found.required if not set(names) & set(header)]
    if missing:
        raise InvalidInput(
            f"{file_name} is not a {found.label} export: it has no column "
            f"{', '.join(' or '.join(repr(c) for c in names) for names in missing)}. "
            "See docs/money.md for the columns read."
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


# How many days a recurring series may go between two gifts and still be the same series:
# twice its period, so one missed charge (an expired card, then a new one) does not end it.
PERIOD_DAYS = {"weekly": 7, "monthly": 31, "quarterly": 92, "yearly": 366, "annually": 366}
SERIES_NOTE = "Recurring {period}"


def continue_series(
    rows: list[IncomeRow], started: dict[tuple[str, int], tuple[date, str]]
) -> list[IncomeRow]:
    """Mark the later gifts of Action Network recurring series recurring.

    Action Network puts the recurring period on a series' first donation only; the later ones
    are plain rows. A series is a donor's email and amount: a gift of the same amount from the
    same email, within twice the period of the series' last gift, continues it. *started* holds
    the series begun in earlier imports (their last gift and period). Rows keep their order.
    """
    series = dict(started)
    marked: dict[int, IncomeRow] = {}
    for row in sorted(rows, key=lambda r: (r.received_on, r.row)):
        key = (row.email.strip().lower(), row.amount_cents)
        if not key[0]:
            continue
        if row.recurring_period:
            series[key] = (row.received_on, row.recurring_period)
            marked[row.row] = replace(row, note=SERIES_NOTE.format(period=row.recurring_period))
            continue
        if key not in series or row.recurring:
            continue
        last, period = series[key]
        if 0 <= (row.received_on - last).days <= 2 * PERIOD_DAYS.get(period, 31):
            series[key] = (row.received_on, period)
            marked[row.row] = replace(row, recurring=True, note=SERIES_NOTE.format(period=period))
    return [marked.get(row.row, row) for row in rows]


def series_period(note: str) -> str:
    """The period a stored line's note names ("Recurring monthly"), else monthly."""
    words = note.split()
    if len(words) == 2 and words[0] == "Recurring" and words[1] in PERIOD_DAYS:
        return words[1]
    return "monthly"
