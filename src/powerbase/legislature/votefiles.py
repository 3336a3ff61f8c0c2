"""Read roll-call votes from a CSV file: one row per official per roll call.

    roll_call,date,chamber,bill,motion,result,official,vote
    1,2027-04-02,lower,HB 5001,On final passage,pass,Rosa Alvarez-Finch,yes

`roll_call` groups the rows of one vote (leave it out and rows group by date, chamber, bill and
motion); `bill`, `session` and `roll_call` are optional; `official` is a name or an Open States
id; `vote` is yes, no, absent, abstain, excused or other (y/n/nv/a are understood too).
"""

import csv
import io
from datetime import date

from powerbase.core.exceptions import RowError
from powerbase.legislature.models import Chamber, VoteOption
from powerbase.legislature.openstates import VoteEventRecord, VoteRecord

REQUIRED = ("date", "chamber", "motion", "result", "official", "vote")
OPTIONAL = ("roll_call", "bill", "session")
CHAMBERS = {
    "lower": Chamber.LOWER,
    "house": Chamber.LOWER,
    "assembly": Chamber.LOWER,
    "upper": Chamber.UPPER,
    "senate": Chamber.UPPER,
    "council": Chamber.COUNCIL,
}
VOTES = {
    "yes": VoteOption.YES,
    "y": VoteOption.YES,
    "yea": VoteOption.YES,
    "aye": VoteOption.YES,
    "no": VoteOption.NO,
    "n": VoteOption.NO,
    "nay": VoteOption.NO,
    "absent": VoteOption.ABSENT,
    "a": VoteOption.ABSENT,
    "nv": VoteOption.ABSENT,
    "not voting": VoteOption.ABSENT,
    "abstain": VoteOption.ABSTAIN,
    "excused": VoteOption.EXCUSED,
    "x": VoteOption.EXCUSED,
    "other": VoteOption.OTHER,
}
RESULTS = {
    "pass": "pass",
    "passed": "pass",
    "adopted": "pass",
    "fail": "fail",
    "failed": "fail",
    "rejected": "fail",
}


def read_votes_csv(file_name: str, text: str) -> list[VoteEventRecord]:
    """Return the roll calls in a CSV of votes, or raise RowError at the first bad cell."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RowError(
            file=file_name,
            row=1,
            column=missing[0],
            problem=f"the header has no '{missing[0]}' column (it needs "
            f"{', '.join(REQUIRED)}; may add {', '.join(OPTIONAL)}).",
        )
    events: dict[tuple, VoteEventRecord] = {}
    for number, raw in enumerate(reader, start=2):
        row = {key: (raw.get(original) or "").strip() for key, original in columns.items()}
        if not any(row.values()):
            continue
        event = _event_of(file_name, number, row)
        key = (
            (row.get("roll_call"),)
            if row.get("roll_call")
            else (event.date, event.chamber, event.bill_identifier, event.motion)
        )
        known = events.setdefault(key, event)
        if (known.date, known.chamber, known.result) != (event.date, event.chamber, event.result):
            raise RowError(
                file=file_name,
                row=number,
                column="roll_call",
                problem=f"roll call {row.get('roll_call')!r} already has a different "
                "date, chamber or result on an earlier row.",
            )
        option = VOTES.get(row["vote"].lower())
        if option is None:
            raise RowError(
                file=file_name,
                row=number,
                column="vote",
                problem=f"{row['vote']!r} is not a vote (expected yes, no, absent, "
                "abstain, excused or other).",
            )
        if not row["official"]:
            raise RowError(
                file=file_name,
                row=number,
                column="official",
                problem="whose vote is this? The official's name is empty.",
            )
        voter_id = row["official"] if row["official"].startswith("ocd-person/") else ""
        known.votes.append(
            VoteRecord(
                option=option,
                voter_name="" if voter_id else row["official"],
                voter_id=voter_id,
                where=f"{file_name}, row {number}, column 'official'",
            )
        )
    if not events:
        raise RowError(
            file=file_name, row=2, column="official", problem="the file has a header but no votes."
        )
    return list(events.values())


def _event_of(file_name: str, number: int, row: dict) -> VoteEventRecord:
    try:
        when = date.fromisoformat(row["date"])
    except ValueError:
        raise RowError(
            file=file_name,
            row=number,
            column="date",
            problem=f"{row['date']!r} is not a date (expected YYYY-MM-DD).",
        ) from None
    chamber = CHAMBERS.get(row["chamber"].lower())
    if chamber is None:
        raise RowError(
            file=file_name,
            row=number,
            column="chamber",
            problem=f"{row['chamber']!r} is not a chamber (expected house or "
            "senate, lower or upper).",
        )
    result = RESULTS.get(row["result"].lower())
    if result is None:
        raise RowError(
            file=file_name,
            row=number,
            column="result",
            problem=f"{row['result']!r} is not a result (expected pass or fail).",
        )
    if not row["motion"]:
        raise RowError(
            file=file_name,
            row=number,
            column="motion",
            problem="the motion is empty (e.g. 'On final passage').",
        )
    return VoteEventRecord(
        external_id="",
        motion=row["motion"][:500],
        date=when,
        result=result,
        chamber=chamber,
        session=row.get("session", ""),
        bill_identifier=row.get("bill", ""),
    )
