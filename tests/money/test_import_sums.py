"""Imports never create money from nothing: whatever a file holds, the lines stored add up to
the file's gifts less its refunds, to the cent (hypothesis writes the files)."""

import csv
import io
from datetime import date

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerbase.money import services
from powerbase.money.models import IncomeLine

HEADERS = {
    "actblue": ["Receipt ID", "Date", "Amount", "Donor First Name", "Donor Last Name",
                "Donor Email", "Refund ID", "Refund Date"],
    "actionnetwork": ["donation_id", "created_date", "amount", "first_name", "last_name", "email"],
    "everyaction": ["Contribution ID", "Date Received", "Amount", "First Name", "Last Name",
                    "Email"],
    "ledger": ["date", "amount", "source_class", "payer", "reference"],
}  # fmt: skip


def written(cents: int, style: int) -> str:
    """Write an amount as exports do: 25.00, 1,234.50, $12.30 or (12.30) for a negative."""
    sign, whole, part = "-" if cents < 0 else "", abs(cents) // 100, abs(cents) % 100
    if style == 1:
        return f"{sign}{whole:,}.{part:02d}"
    if style == 2:
        return f"{sign}${whole}.{part:02d}"
    if style == 3 and cents < 0:
        return f"({whole}.{part:02d})"
    return f"{sign}{whole}.{part:02d}"


gifts = st.lists(
    st.tuples(
        st.integers(min_value=-(10**9), max_value=10**11).filter(bool),  # cents; negative: refund
        st.booleans(),  # refunded later (ActBlue)
        st.integers(min_value=0, max_value=3),  # how the amount is written
        st.sampled_from(["Ana", "Bo", "Zoë", "José María", ""]),
    ),
    max_size=25,
)


def file_for(source: str, rows) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS[source])
    expected = 0
    for number, (cents, refunded, style, name) in enumerate(rows):
        ident, amount = f"T-{number}", written(cents, style)
        refunded = refunded and source == "actblue"
        expected += 0 if refunded else cents
        email = f"{number}@donor.example"
        writer.writerow(
            {
                "actblue": [ident, "2026-05-01 10:00:00", amount, name, "Doe", email,
                            f"R-{number}" if refunded else "", "2026-05-02" if refunded else ""],
                "actionnetwork": [ident, "2026-05-01 10:00:00", amount, name, "Doe", email],
                "everyaction": [ident, "05/01/2026", amount, name, "Doe", email],
                "ledger": [date(2026, 5, 1).isoformat(), amount, "individual", name, ident],
            }[source]
        )  # fmt: skip
    return out.getvalue().encode(), expected


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=st.sampled_from(list(HEADERS)), rows=gifts)
def test_what_is_stored_adds_up_to_the_file_to_the_cent(treasurer, source, rows):
    content, expected = file_for(source, rows)
    with transaction.atomic():
        batch = services.import_income(
            actor=treasurer, file_name=f"{source}.csv", content=content, source=source
        )
        stored = sum(IncomeLine.objects.values_list("amount_cents", flat=True))
        assert stored == expected == batch.net_cents
        transaction.set_rollback(True)
