"""Import election results as counties and states publish them.

Two shapes of file are read, told apart by their header:

    election, race, candidate, votes [, precinct, party, incumbent]       (powerbase's own)
    county, precinct, office, district, party, candidate, votes
        [, early_voting, election_day, absentee, mail, provisional, ...]   (OpenElections)

The OpenElections convention (openelections.net) is what most precinct-level files in the US
have been converted to; a file in it is read as it is. It has no election column: the
election is named on import, or read from the file name's leading date
(`20181106__nc__general__precinct.csv`). Its race is the office and district together
("State House" + "94" -> "State House District 94"); its precinct is "County: precinct".
Rows that are not a candidate's votes (Registered Voters, Ballots Cast, Over Votes, Under
Votes, Total) are statistics, not candidates, and are skipped and counted. Votes by method of
voting are kept beside the total; a row with no total gets the sum of its methods.

Fusion voting: a candidate on several ballot lines (DEM and WFP in Connecticut or New York)
has a row per line, and each becomes its own result line; race totals add the lines. The same
candidate, precinct and line twice is refused: that is a file listing something twice.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput, RowError
from powerbase.core.models import Organization
from powerbase.electoral.models import Candidate, Election, Race, ResultLine
from powerbase.imports.services import read_named_rows

MANAGE = "electoral.manage"
MAX_RESULTS_BYTES = 20 * 1024 * 1024
MAX_VOTES = 200_000_000  # more than any US race has had; keeps a typo out of the database

RESULT_COLUMNS = ("election", "race", "candidate", "votes")
OPTIONAL_RESULT_COLUMNS = ("precinct", "party", "incumbent")
OPENELECTIONS_COLUMNS = ("county", "precinct", "office", "district", "party", "candidate", "votes")
# Per-method vote columns states publish (OpenElections keeps each state's own names).
METHOD_COLUMNS = (
    "early_voting",
    "election_day",
    "absentee",
    "mail",
    "provisional",
    "one_stop",
    "absentee_mail",
    "absentee_by_mail",
    "absentee_onestop",
    "early",
    "in_person",
    "polling",
    "vote_by_mail",
    "uocava",
)
ALL_COLUMNS = tuple(
    dict.fromkeys(
        (*RESULT_COLUMNS, *OPTIONAL_RESULT_COLUMNS, *OPENELECTIONS_COLUMNS, *METHOD_COLUMNS)
    )
)
TRUE_WORDS = {"yes", "y", "true", "1", "x", "incumbent"}
# Rows that report on the ballots rather than a candidate's votes.
STATISTICS = {
    "registered voters",
    "ballots cast",
    "over votes",
    "overvotes",
    "under votes",
    "undervotes",
    "total",
    "total votes",
    "total ballots",
    "times cast",
    "times counted",
    "blank",
    "blank votes",
    "blank ballots",
    "ballots cast - total",
    "ballots cast - blank",
    "total votes cast",
    # New York's rows: void (spoiled) ballots are no one's votes; "Scattering" (write-ins
    # for no declared candidate) are votes and stay a line of their own.
    "void",
    "void votes",
    "void ballots",
    "over vote",
    "under vote",
}
# Party names as some counties' transcriptions write them, to the codes others use: without
# this one candidate's "Democratic" rows would be a fusion line beside their "DEM" rows.
PARTY_CODES = {
    "DEMOCRATIC": "DEM",
    "DEMOCRAT": "DEM",
    "DEMOCRATIC PARTY": "DEM",
    "REPUBLICAN": "REP",
    "REPUBLICAN PARTY": "REP",
    "LIBERTARIAN": "LIB",
    "GREEN": "GRN",
    "GREEN PARTY": "GRN",
    "WORKING FAMILIES": "WFP",
    "WORKING FAMILIES PARTY": "WFP",
    "CONSERVATIVE": "CON",
    "INDEPENDENT PARTY": "IND",
}


def _party_code(text: str) -> str:
    party = " ".join(text.upper().split())
    return PARTY_CODES.get(party, party)[:40]


_FILE_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})__")


@dataclass(frozen=True)
class ResultRow:
    """One checked row of a results file."""

    row: int
    election: Election
    race: str
    candidate: str
    votes: int
    precinct: str
    party: str
    incumbent: bool
    by_method: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ResultsImport:
    """What an import wrote."""

    rows: int
    races: int
    candidates_added: int
    skipped: int = 0  # statistics rows (registered voters, over votes...), not candidates


def import_results(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    election: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ResultsImport:
    """Import election results in either shape of the module docstring.

    The election must exist (named as on its page, or by its date YYYY-MM-DD if only one
    election falls on it); an OpenElections file names it with *election* or its file name's
    date. Races and candidates are added when new. A race's lines in the file replace its
    earlier results, so importing the same file twice changes nothing. Any bad row stops the
    import with its file, row and column, and nothing is written.

    *progress* is told (rows written, rows in the file) as the import goes.
    """
    access.require(actor, MANAGE)
    organization = actor.organization
    rows, skipped = _read_results(organization, file_name, content, election)
    with transaction.atomic():
        writer = _Writer(organization, file_name)
        for done, row in enumerate(rows, start=1):
            writer.write(row)
            if progress is not None and (done % 200 == 0 or done == len(rows)):
                progress(done, len(rows))
        audit.record(
            actor,
            "results.imported",
            None,
            changes={
                "file": file_name,
                "rows": len(rows),
                "races": len(writer.races),
                "candidates_added": writer.added,
                "skipped": skipped,
            },
        )
    return ResultsImport(
        rows=len(rows), races=len(writer.races), candidates_added=writer.added, skipped=skipped
    )


class _Writer:
    """Write checked rows: races and candidates as they come, one result line per row."""

    def __init__(self, organization: Organization, file_name: str):
        self.organization, self.file_name = organization, file_name
        self.races: dict[tuple[int, str], Race] = {}
        self.candidates: dict[tuple[int, str], Candidate] = {}
        self.seen: set[tuple[int, str, str]] = set()
        self.added = 0

    def write(self, row: ResultRow) -> None:
        race = self._race(row)
        candidate = self._candidate(race, row)
        key = (candidate.pk, row.precinct, row.party)
        if key in self.seen:
            line = f" on the {row.party} line" if row.party else ""
            raise RowError(
                file=self.file_name,
                row=row.row,
                column="precinct",
                problem=(
                    f"{row.candidate} already has votes{line} for "
                    f"{row.precinct or 'the whole race'} in {row.race}; "
                    "each candidate, precinct and ballot line may appear once."
                ),
            )
        self.seen.add(key)
        ResultLine.objects.create(
            organization=self.organization,
            race=race,
            candidate=candidate,
            precinct=row.precinct,
            line=row.party,
            votes=row.votes,
            by_method=row.by_method,
        )

    def _race(self, row: ResultRow) -> Race:
        key = (row.election.pk, row.race)
        if key not in self.races:
            race, _ = Race.objects.get_or_create(
                organization=self.organization, election=row.election, office=row.race
            )
            race.result_lines.all().delete()
            self.races[key] = race
        return self.races[key]

    def _candidate(self, race: Race, row: ResultRow) -> Candidate:
        # Counties transcribe names in their own case and spacing ("Kathy Hochul", "KATHY
        # HOCHUL"): one candidate of a race, named as first written.
        name = " ".join(row.candidate.split())
        key = (race.pk, name.casefold())
        candidate = self.candidates.get(key)
        if candidate is None:
            # The oldest, should an earlier import have made one per spelling.
            candidate = (
                Candidate.objects.filter(
                    organization=self.organization, race=race, name__iexact=name
                )
                .order_by("pk")
                .first()
            )
            if candidate is None:
                candidate = Candidate.objects.create(
                    organization=self.organization,
                    race=race,
                    name=name,
                    party=row.party,
                    incumbent=row.incumbent,
                )
                self.added += 1
            self.candidates[key] = candidate
        if row.party and row.party != candidate.party and row.party not in candidate.fusion_lines:
            if candidate.party:
                candidate.fusion_lines = [*candidate.fusion_lines, row.party]
                candidate.save(update_fields=["fusion_lines"])
            else:
                candidate.party = row.party
                candidate.save(update_fields=["party"])
        return candidate


def _read_results(
    organization: Organization, file_name: str, content: bytes, election: str
) -> tuple[list[ResultRow], int]:
    found = read_named_rows(
        content,
        file_name=file_name,
        required=("candidate",),
        optional=ALL_COLUMNS,
        max_bytes=MAX_RESULTS_BYTES,
    )
    columns = set().union(*(values.keys() for _, values in found)) if found else set()
    reader = _RowReader(file_name, _ElectionFinder(organization), columns, election)
    rows, skipped = [], 0
    for number, values in found:
        row = reader.read(number, values)
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    if not rows:
        raise InvalidInput(f"{file_name} has a header but no results.")
    return rows, skipped


class _RowReader:
    """Check rows of one file, in whichever convention its header follows."""

    def __init__(
        self, file_name: str, elections: "_ElectionFinder", columns: set[str], election: str
    ):
        self.file_name, self.elections = file_name, elections
        self.openelections = "office" in columns and "race" not in columns
        self.methods = [name for name in METHOD_COLUMNS if name in columns]
        needed = (("office",) if self.openelections else ("race",)) + (
            () if self.openelections else ("election",)
        )
        missing = [name for name in needed if name not in columns]
        if "votes" not in columns and not self.methods:
            missing.append("votes")
        if missing:
            raise RowError(
                file=file_name,
                row=1,
                column=missing[0],
                problem=(
                    f"the header lacks the column(s) {', '.join(missing)}; expected election, "
                    "race, "
                    "candidate, votes (and optionally precinct, party, incumbent), or the "
                    "OpenElections columns county, precinct, office, district, party, candidate, "
                    "votes."
                ),
            )
        self.election = self._file_election(election) if self.openelections else None

    def _file_election(self, named: str) -> Election:
        match = _FILE_DATE.match(self.file_name)
        text = named or (f"{match[1]}-{match[2]}-{match[3]}" if match else "")
        if not text:
            raise InvalidInput(
                f"{self.file_name} has no election column: name the election it reports on "
                "(by name, or date YYYY-MM-DD), or start the file name with its date as "
                "OpenElections does (20181106__nc__general__precinct.csv)."
            )
        found = self.elections.find(text)
        if found is None:
            raise InvalidInput(
                f"There is no election '{text}' for {self.file_name}; add it on "
                "the elections page first (name or date YYYY-MM-DD)."
            )
        return found

    def read(self, number: int, values: dict[str, str]) -> ResultRow | None:
        def cell(name: str) -> str:
            return values.get(name, "")

        def problem(column: str, text: str) -> RowError:
            return RowError(file=self.file_name, row=number, column=column, problem=text)

        office = cell("office") if self.openelections else cell("race")
        if self.openelections and (
            cell("candidate").lower() in STATISTICS
            or (not cell("candidate") and office.lower() in STATISTICS)
        ):
            return None
        for column in (
            ("office", "candidate") if self.openelections else ("election", "race", "candidate")
        ):
            if not cell(column):
                raise problem(column, "is empty.")
        by_method = {
            name: self._count(problem, name, cell(name)) for name in self.methods if cell(name)
        }
        if cell("votes"):
            votes = self._count(problem, "votes", cell("votes"))
        elif by_method:
            votes = sum(by_method.values())
        else:
            raise problem("votes", "is empty.")
        election = self.election or self.elections.find(cell("election"))
        if election is None:
            raise problem(
                "election",
                f"there is no election '{cell('election')}'; add it on "
                "the elections page first (name or date YYYY-MM-DD).",
            )
        return ResultRow(
            row=number,
            election=election,
            race=_race_name(office, cell("district")),
            candidate=cell("candidate")[:200],
            votes=votes,
            precinct=_precinct(cell("county"), cell("precinct")),
            party=_party_code(cell("party")),
            incumbent=cell("incumbent").lower() in TRUE_WORDS,
            by_method=by_method,
        )

    @staticmethod
    def _count(problem, column: str, text: str) -> int:
        digits = text.replace(",", "")
        if digits.endswith(".0"):
            digits = digits[:-2]
        if not digits.isdigit():
            raise problem(column, f"'{text}' is not a whole number of votes.")
        if int(digits) > MAX_VOTES:
            raise problem(
                column, f"{digits} votes is more than any race could have; check the column."
            )
        return int(digits)


def _race_name(office: str, district: str) -> str:
    """ "State House" and "94" -> "State House District 94"; a named district is appended."""
    district = district.strip()
    if not district or district.lower() in office.lower():
        return office[:200]
    joined = f"{office} District {district}" if district.isdigit() else f"{office} {district}"
    return joined[:200]


def _precinct(county: str, precinct: str) -> str:
    """Precinct names repeat across counties ("01"), so the county goes in front."""
    return (f"{county}: {precinct}" if county and precinct else precinct)[:100]


class _ElectionFinder:
    """Find elections by name or date, reading each organization's elections once."""

    def __init__(self, organization: Organization):
        self.elections = list(Election.objects.filter(organization=organization))

    def find(self, text: str) -> Election | None:
        by_name = [e for e in self.elections if e.name.lower() == text.lower()]
        if by_name:
            return by_name[0]
        by_date = [e for e in self.elections if e.date.isoformat() == text]
        return by_date[0] if len(by_date) == 1 else None
