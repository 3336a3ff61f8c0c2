"""A body's past decisions in bulk: a CSV, one decision a row, with at most one task each.

Columns (a header row, any order, names in any case): `decided_on` (YYYY-MM-DD) and `title`
are required; `text`, `outcome` (adopted, rejected or recorded; adopted when empty),
`starts_campaign` and `ends_campaign` (a campaign's name, as on the Campaigns page), `task`,
`owner` (the task owner's sign-in address) and `due_on` may be left out or empty. The file goes
in whole or not at all; a bad row stops it with the file, row and column.
"""

import csv
import datetime
import io

from django.db import transaction

from powerbase.actions.models import Campaign
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.democracy.models import Decision, GoverningBody
from powerbase.strategy import queries, services
from powerbase.strategy.models import Commitment
from powerbase.strategy.services import CommitmentSpec, TaskSpec

REQUIRED = ("decided_on", "title")
OPTIONAL = ("text", "outcome", "starts_campaign", "ends_campaign", "task", "owner", "due_on")
MOST_ROWS = 2000
# The service names a refused field as the web form does; the file's column for each.
COLUMN_OF_FIELD = {
    "title": "title",
    "outcome": "outcome",
    "task_1_title": "task",
    "task_1_owner": "owner",
    "task_1_due_on": "due_on",
}


def import_decisions(
    *, actor: Actor, body: GoverningBody, file_name: str, content: bytes
) -> list[Decision]:
    """Log every decision the CSV holds under *body*; return them, oldest row first."""
    access.require(actor, services.RECORD, body)
    rows = _rows(file_name, content)
    campaigns = {c.name.casefold(): c for c in access.scoped(actor, Campaign.objects.all())}
    owners = {user.email.casefold(): user for user in queries.owners(actor)}
    logged = []
    with transaction.atomic():
        for number, row in rows:
            where = (file_name, number)
            try:
                logged.append(
                    services.record_decision(
                        actor=actor,
                        body=body,
                        title=row["title"],
                        text=row["text"],
                        outcome=row["outcome"] or Decision.Outcome.ADOPTED,
                        decided_on=_date(row, "decided_on", where, required=True),
                        commitments=_commitments(row, campaigns, where),
                        tasks=_tasks(row, owners, where),
                    )
                )
            except (InvalidInput, Conflict) as error:
                if isinstance(error, RowError):
                    raise
                column = COLUMN_OF_FIELD.get(error.field or "", "title")
                problem = error.message.removeprefix("Task 1: ")
                raise _refuse(where, column=column, problem=problem) from None
    return logged


Where = tuple[str, int]  # the file's name and the row's number


def _refuse(where: Where, column: str, problem: str) -> RowError:
    return RowError(file=where[0], row=where[1], column=column, problem=problem)


def _date(row: dict, column: str, where: Where, required: bool = False) -> datetime.date | None:
    text = row[column]
    if not text and not required:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise _refuse(
            where, column=column, problem=f"'{text}' is not a date written YYYY-MM-DD"
        ) from None


def _commitments(row: dict, campaigns: dict, where: Where) -> list[CommitmentSpec]:
    specs = []
    for column, kind in (
        ("starts_campaign", Commitment.Kind.CAMPAIGN_STARTED),
        ("ends_campaign", Commitment.Kind.CAMPAIGN_ENDED),
    ):
        name = row[column]
        if not name:
            continue
        campaign = campaigns.get(name.casefold())
        if campaign is None:
            raise _refuse(where, column=column, problem=f"there is no campaign '{name}'")
        specs.append(CommitmentSpec(kind=kind, target=campaign))
    return specs


def _tasks(row: dict, owners: dict, where: Where) -> list[TaskSpec]:
    if not (row["task"] or row["owner"] or row["due_on"]):
        return []
    owner = owners.get(row["owner"].casefold()) if row["owner"] else None
    if row["owner"] and owner is None:
        raise _refuse(
            where,
            column="owner",
            problem=f"'{row['owner']}' is not the address of a user of this organization",
        )
    return [TaskSpec(title=row["task"], owner=owner, due_on=_date(row, "due_on", where), row=1)]


def _rows(file_name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file_name} is not UTF-8 text: save it as CSV UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = {name.strip().casefold(): name for name in reader.fieldnames or []}
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise InvalidInput(
            f"{file_name} has no column {', '.join(repr(m) for m in missing)}: the header row "
            f"needs {', '.join(REQUIRED)} (and may have {', '.join(OPTIONAL)})."
        )
    rows = [
        (
            number,
            {
                column: (raw.get(header[column]) or "").strip() if column in header else ""
                for column in REQUIRED + OPTIONAL
            },
        )
        for number, raw in enumerate(reader, start=2)
    ]
    if len(rows) > MOST_ROWS:
        raise InvalidInput(f"{file_name} has {len(rows)} rows; at most {MOST_ROWS} at a time.")
    return rows
