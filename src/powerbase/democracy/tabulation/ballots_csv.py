"""Read a ballot CSV: one ballot per row, the ranks in order, optional weight and count.

    rank1,rank2,rank3,weight,count
    Ana,Bo,,1,40                       40 ballots: Ana, then Bo
    Bo|Cy,Ana,,1,1                     an overvote at rank 1 (Bo and Cy both marked)
    overvote,Ana,,2,1                  an overvote whose names the scanner did not keep
    ,undervote,Cy,1,1                  ranks 1 and 2 skipped

Rank columns are `rank1`, `rank2`, ... (any case, "rank 1" too) unless named explicitly. Other
columns are ignored, so a published ballot set may carry e.g. a receipt code. Score ballots
(`scores=True`) instead have one column per candidate holding a score (empty = not scored).
Row numbers in errors are spreadsheet rows: the header is row 1, the first ballot row 2.
"""

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from powerbase.democracy.tabulation.ballots import OVERVOTE, UNDERVOTE, Ballot
from powerbase.democracy.tabulation.errors import BallotFileError

RANK_HEADER = re.compile(r"rank\s*_?\s*(\d+)", re.IGNORECASE)
WEIGHT, COUNT = "weight", "count"


@dataclass
class BallotFile:
    """The ballots of one file, identical rows merged into one Ballot with a count."""

    path: str
    ballots: list[Ballot]
    rank_columns: list[str]
    candidates_seen: list[str] = field(default_factory=list)  # in order of first appearance
    rows: int = 0


def read_ballots_csv(
    path: str | Path,
    *,
    rank_columns: Sequence[str] | None = None,
    candidates: Sequence[str] | None = None,
    ignore_case: bool = False,
    scores: bool = False,
) -> BallotFile:
    """Read the ballots in *path*; raise BallotFileError naming file, row and column on bad input.

    With *candidates*, a name outside that list (compared without case if *ignore_case*, as for
    yes/no/abstain answers) is an error at the cell that holds it.
    """
    reader = _BallotReader(str(path), candidates, ignore_case)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            header = reader.read_header(next(csv.reader([handle.readline()]), None))
            reader.choose_columns(header, rank_columns, scores)
            for row, times in _distinct_rows(handle):
                if row:
                    reader.read_distinct_row(row, times)
    except FileNotFoundError:
        raise BallotFileError(
            file=str(path), row=None, column=None, problem="There is no such file."
        ) from None
    except UnicodeDecodeError:
        raise BallotFileError(
            file=str(path),
            row=None,
            column=None,
            problem='The file is not UTF-8 text; save it as "CSV UTF-8" and try again.',
        ) from None
    except csv.Error as error:
        raise BallotFileError(
            file=str(path), row=None, column=None, problem=f"The file is not valid CSV ({error})."
        ) from None
    return reader.result()


def _distinct_rows(handle):
    """Yield each distinct row with how many times it appears, reading the file once.

    A million ballots hold far fewer distinct rows, so identical lines are counted first (a
    C-speed Counter over the lines) and each distinct line is parsed once. A line with an
    unbalanced quote may continue a quoted cell on the next line: then every row is parsed.
    """
    start = handle.tell()
    lines = Counter(handle)
    if any(line.count('"') % 2 for line in lines):
        handle.seek(start)
        rows = Counter(map(tuple, csv.reader(handle)))
        yield from ((list(row), times) for row, times in rows.items())
        return
    for line, times in lines.items():
        yield next(csv.reader([line]), []), times


class _BallotReader:
    def __init__(self, path: str, candidates: Sequence[str] | None, ignore_case: bool):
        self.path = path
        self.fold = str.casefold if ignore_case else str
        self.allowed = None if candidates is None else {self.fold(name) for name in candidates}
        self.candidate_list = list(candidates or [])
        self.header: list[str] = []
        self.rank_columns: list[int] = []
        self.score_columns: list[int] = []
        self.weight_column: int | None = None
        self.count_column: int | None = None
        self.merged: dict[tuple, int] = {}
        self.seen: dict[str, None] = {}
        self.rows = 0

    def error(self, row: int | None, column: int | str | None, problem: str) -> BallotFileError:
        name = self.header[column] if isinstance(column, int) else column
        return BallotFileError(file=self.path, row=row, column=name, problem=problem)

    # Header ------------------------------------------------------------------------------

    def read_header(self, header: list[str] | None) -> list[str]:
        if not header or not any(cell.strip() for cell in header):
            raise self.error(
                None,
                None,
                "The file has no header row; the first row must name "
                "the columns (rank1, rank2, ..., and optionally "
                "weight and count).",
            )
        self.header = [cell.strip() for cell in header]
        doubled = sorted({name for name in self.header if name and self.header.count(name) > 1})
        if doubled:
            raise self.error(1, None, f"The header names the column '{doubled[0]}' twice.")
        return self.header

    def choose_columns(self, header: list[str], rank_columns, scores: bool) -> None:
        lowered = [name.casefold() for name in header]
        self.weight_column = lowered.index(WEIGHT) if WEIGHT in lowered else None
        self.count_column = lowered.index(COUNT) if COUNT in lowered else None
        if scores:
            self.score_columns = [
                i
                for i, name in enumerate(header)
                if name and i not in (self.weight_column, self.count_column)
            ]
            for i in self.score_columns:
                self.check_candidate(1, i, header[i])
        elif rank_columns:
            self.rank_columns = [self.column_index(name) for name in rank_columns]
        else:
            self.rank_columns = self.detect_rank_columns(header)

    def column_index(self, name: str) -> int:
        if name in self.header:
            return self.header.index(name)
        raise self.error(
            1, None, f"There is no column '{name}'; the header has: {', '.join(self.header)}."
        )

    def detect_rank_columns(self, header: list[str]) -> list[int]:
        numbered = {}
        for index, name in enumerate(header):
            match = RANK_HEADER.fullmatch(name)
            if match:
                numbered[int(match.group(1))] = index
        if not numbered:
            raise self.error(
                1,
                None,
                "No rank columns found; name them rank1, rank2, ... or "
                "say which columns hold the ranks (--rank-columns).",
            )
        for number in range(1, max(numbered) + 1):
            if number not in numbered:
                raise self.error(
                    1,
                    None,
                    f"There is a column for rank {max(numbered)} but none "
                    f"for rank {number}; rank columns must run rank1, "
                    "rank2, ... without gaps.",
                )
        return [numbered[number] for number in sorted(numbered)]

    # Rows --------------------------------------------------------------------------------

    def read_distinct_row(self, row: list[str], times: int) -> None:
        """Read a row that appears *times* times; on a mistake, name its first row number."""
        try:
            self.read_row(0, row, times)
            return
        except BallotFileError:
            pass
        self.read_row(self.first_row_number(row), row, times)  # raises again, naming the row

    def first_row_number(self, wanted: list[str]) -> int:
        with open(self.path, newline="", encoding="utf-8-sig") as handle:
            for row_number, row in enumerate(csv.reader(handle), start=1):
                if row_number > 1 and row == wanted:
                    return row_number
        return 0

    def read_row(self, row_number: int, row: list[str], times: int = 1) -> None:
        if len(row) > len(self.header):
            raise self.error(
                row_number,
                None,
                f"This row has {len(row)} cells but the header names {len(self.header)} columns.",
            )
        cells = row + [""] * (len(self.header) - len(row))
        weight = self.weight(row_number, cells)
        count = self.count(row_number, cells)
        if self.score_columns:
            key = ("scores", tuple(self.scores(row_number, cells)), weight)
        else:
            key = (
                "ranks",
                tuple(self.mark(row_number, i, cells[i]) for i in self.rank_columns),
                weight,
            )
        self.merged[key] = self.merged.get(key, 0) + count * times
        self.rows += times

    def mark(self, row_number: int, column: int, cell: str) -> tuple[str, ...]:
        text = cell.strip()
        if not text or text.casefold() == UNDERVOTE:
            return ()
        if text.casefold() == OVERVOTE:
            return (OVERVOTE,)
        names = list(dict.fromkeys(part.strip() for part in text.split("|") if part.strip()))
        for name in names:
            if name.casefold() in (OVERVOTE, UNDERVOTE) and len(names) > 1:
                raise self.error(
                    row_number,
                    column,
                    f"'{text}' mixes '{name}' with names; "
                    "write either the names or the word alone.",
                )
            self.check_candidate(row_number, column, name)
        return tuple(names)

    def check_candidate(self, row_number: int, column: int, name: str) -> None:
        if self.allowed is not None and self.fold(name) not in self.allowed:
            raise self.error(
                row_number,
                column,
                f"'{name}' is not one of the candidates ({', '.join(self.candidate_list)}).",
            )
        self.seen.setdefault(name, None)

    def scores(self, row_number: int, cells: list[str]):
        for i in self.score_columns:
            text = cells[i].strip()
            if text:
                yield self.header[i], self.number(row_number, i, text, "score")

    def weight(self, row_number: int, cells: list[str]) -> Decimal:
        if self.weight_column is None:
            return Decimal(1)
        text = cells[self.weight_column].strip()
        if not text:
            raise self.error(
                row_number,
                self.weight_column,
                "The weight is empty; write 1 for an ordinary ballot.",
            )
        return self.number(row_number, self.weight_column, text, "weight")

    def number(self, row_number: int, column: int, text: str, what: str) -> Decimal:
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise self.error(row_number, column, f"'{text}' is not a number.")
        if value < 0:
            raise self.error(
                row_number, column, f"'{text}' is negative; a {what} must be 0 or more."
            )
        return value

    def count(self, row_number: int, cells: list[str]) -> int:
        if self.count_column is None:
            return 1
        text = cells[self.count_column].strip()
        if not re.fullmatch(r"\d+", text):
            shown = f"'{text}' is not" if text else "The count is empty; it must be"
            raise self.error(
                row_number,
                self.count_column,
                f"{shown} a whole number of identical ballots (1 or more).",
            )
        if int(text) < 1:
            raise self.error(
                row_number,
                self.count_column,
                "The count must be at least 1 (it is the number of identical ballots on this row).",
            )
        return int(text)

    def result(self) -> BallotFile:
        ballots = []
        for (kind, content, weight), count in self.merged.items():
            if kind == "scores":
                ballots.append(Ballot(weight=weight, count=count, scores=dict(content)))
            else:
                ballots.append(Ballot(content, weight=weight, count=count))
        return BallotFile(
            path=self.path,
            ballots=ballots,
            rank_columns=[self.header[i] for i in self.rank_columns],
            candidates_seen=list(self.seen),
            rows=self.rows,
        )
