"""Sessions and skill assessments in bulk, from a CSV each (`powerbase school sessions` and
`powerbase school skills`).

A header row names the columns (any order, any case). Sessions: `starts_at` (a local date and
time, "2027-03-04 18:30"), and optionally `ends_at`, `module` (its number in the curriculum, or
its title) and `title`. Skills: `person_id` (the #number on the participant's person page),
`skill` (e.g. "public speaking" or public_speaking), `level` (1 to 4, or its name, e.g.
"confident"), and optionally `note` and `assessed_on` (a date, today by default).

Each file is checked whole before anything is written, then written in one transaction: a bad
row stops it with the file, row and column, and nothing of it stays.
"""

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.school import services
from powerbase.school.models import Cohort, Module, Participant, Session, SkillAssessment

MOST_ROWS = 2000
SESSION_COLUMNS, SESSION_OPTIONAL = ("starts_at",), ("ends_at", "module", "title")
SKILL_COLUMNS, SKILL_OPTIONAL = ("person_id", "skill", "level"), ("note", "assessed_on")

Row = dict[str, str]


def sessions_from_file(
    *, actor: Actor, cohort: Cohort, file_name: str, content: bytes
) -> list[Session]:
    """Schedule every session the CSV lists for *cohort*; return them, in the file's order."""
    access.require(actor, services.MANAGE, cohort)
    rows = read_rows(file_name, content, SESSION_COLUMNS, SESSION_OPTIONAL)
    modules = list(access.scoped(actor, Module.objects.filter(program=cohort.program_id)))
    wanted = []
    for number, row in rows:
        at = _Place(file_name, number)
        starts_at = at.moment(row, "starts_at")
        ends_at = at.moment(row, "ends_at") if row["ends_at"] else None
        if ends_at is not None and ends_at <= starts_at:
            raise at.error("ends_at", f"'{row['ends_at']}' is not after the start")
        module = at.module(row["module"], modules, cohort) if row["module"] else None
        fields = {"starts_at": starts_at, "ends_at": ends_at, "module": module}
        wanted.append((number, fields | {"title": row["title"]}))
    return _write(
        file_name,
        wanted,
        lambda fields: services.add_session(actor=actor, cohort=cohort, **fields),
        columns=SESSION_COLUMNS + SESSION_OPTIONAL,
    )


def skills_from_file(
    *, actor: Actor, cohort: Cohort, file_name: str, content: bytes
) -> list[SkillAssessment]:
    """Record every skill assessment the CSV lists for participants of *cohort*."""
    access.require(actor, services.MANAGE, cohort)
    rows = read_rows(file_name, content, SKILL_COLUMNS, SKILL_OPTIONAL)
    participants = {
        p.person_id: p
        for p in access.scoped(actor, Participant.objects.filter(cohort=cohort)).select_related(
            "person"
        )
    }
    today = timezone.localdate()
    wanted = []
    for number, row in rows:
        at = _Place(file_name, number)
        person_id = row["person_id"].lstrip("#")
        participant = participants.get(int(person_id)) if person_id.isdigit() else None
        if participant is None:
            raise at.error("person_id", f"#{person_id} is not a participant of {cohort.name}")
        assessed_on = at.day(row, "assessed_on") if row["assessed_on"] else today
        if assessed_on > today:
            raise at.error("assessed_on", f"{assessed_on} is in the future")
        fields = {
            "participant": participant,
            "skill": at.choice(row, "skill", SkillAssessment.Skill.choices),
            "level": int(at.choice(row, "level", SkillAssessment.Level.choices)),
            "note": row["note"],
            "assessed_on": assessed_on,
        }
        wanted.append((number, fields))
    return _write(
        file_name,
        wanted,
        lambda fields: services.assess_skill(actor=actor, **fields),
        columns=SKILL_COLUMNS + SKILL_OPTIONAL,
    )


def read_rows(
    file_name: str, content: bytes, required: Sequence[str], optional: Sequence[str] = ()
) -> list[tuple[int, Row]]:
    """Return the file's rows (numbered as a spreadsheet shows them, the header being 1) with
    every column named, stripped; an optional column the file lacks reads as empty."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file_name} is not UTF-8 text: save it as CSV UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = {name.strip().casefold(): name for name in reader.fieldnames or []}
    missing = [column for column in required if column not in header]
    if missing:
        raise InvalidInput(
            f"{file_name} has no column {', '.join(repr(m) for m in missing)}: the header row "
            f"needs {', '.join(required)}."
        )
    columns = [*required, *optional]
    rows = [
        (number, {c: (raw.get(header[c]) or "").strip() if c in header else "" for c in columns})
        for number, raw in enumerate(reader, start=2)
    ]
    if len(rows) > MOST_ROWS:
        raise InvalidInput(f"{file_name} has {len(rows)} rows; at most {MOST_ROWS} at a time.")
    if not rows:
        raise InvalidInput(f"{file_name} has a header row and nothing under it.")
    return rows


def _write[Saved](
    file_name: str,
    wanted: list[tuple[int, dict]],
    save: Callable[[dict], Saved],
    *,
    columns: tuple[str, ...],
) -> list[Saved]:
    """Save every row in one transaction; a service's refusal names the row that caused it,
    and the column the service blames (else the file's first)."""
    saved = []
    with transaction.atomic():
        for number, fields in wanted:
            try:
                saved.append(save(fields))
            except (InvalidInput, Conflict) as error:
                column = error.field if error.field in columns else columns[0]
                raise RowError(
                    file=file_name, row=number, column=column, problem=error.message
                ) from None
    return saved


class _Place:
    """One row of one file: reads its cells, and says where a bad one is."""

    def __init__(self, file_name: str, number: int):
        self.file_name, self.number = file_name, number

    def error(self, column: str, problem: str) -> RowError:
        return RowError(file=self.file_name, row=self.number, column=column, problem=problem)

    def moment(self, row: Row, column: str) -> datetime:
        text = row[column]
        try:
            # A date alone would read as midnight: a session needs its time.
            parsed = parse_datetime(text.replace("T", " ")) if ":" in text else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise self.error(
                column, f"'{text}' is not a date and time (expected e.g. 2027-03-04 18:30)"
            )
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed

    def day(self, row: Row, column: str) -> date:
        text = row[column]
        try:
            parsed = parse_date(text)
        except ValueError:
            parsed = None
        if parsed is None:
            raise self.error(column, f"'{text}' is not a date (expected e.g. 2027-03-04)")
        return parsed

    def choice(self, row: Row, column: str, choices: list[tuple]) -> str:
        """The value of *choices* the cell names, by its value or its label, in any case."""
        text = " ".join(row[column].replace("_", " ").split()).casefold()
        for value, label in choices:
            if text in (str(value).replace("_", " ").casefold(), str(label).casefold()):
                return str(value)
        names = ", ".join(f"{value} ({label})" for value, label in choices)
        raise self.error(column, f"'{row[column]}' is not one of: {names}")

    def module(self, text: str, modules: list[Module], cohort: Cohort) -> Module:
        """The curriculum's module the cell names by its number or its title."""
        for module in modules:
            if text == str(module.position) or text.casefold() == module.title.casefold():
                return module
        raise self.error(
            "module", f"'{text}' is not a module number or title of {cohort.program.name}"
        )
