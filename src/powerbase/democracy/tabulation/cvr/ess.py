"""ES&S .xlsx CVRs: a header row, then one ballot per row and one column per rank.

The config gives the first vote column and row (1-based), and optionally the id and precinct
columns; a cell may hold several names joined by the overvote delimiter. Rows are streamed
from python-calamine; identical rankings are counted first and converted once (`ballots`),
which keeps a million-row CVR close to the time calamine alone takes to read it.
"""

from collections.abc import Iterator
from itertools import islice

from python_calamine import CalamineError, CalamineWorkbook

from powerbase.democracy.tabulation.ballots import UNDECLARED_WRITE_INS, Ballot
from powerbase.democracy.tabulation.cvr.cells import cell_text, reading
from powerbase.democracy.tabulation.cvr.source import BallotMaker, CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


def _rows(source: CvrSource):
    """Return an iterator over the first sheet's rows from the first vote row on."""
    with reading(source.path, "an ES&S .xlsx workbook"):
        try:
            sheet = CalamineWorkbook.from_path(str(source.path)).get_sheet_by_index(0)
        except CalamineError as error:
            raise CvrError(
                file=str(source.path),
                problem=f"This is not an .xlsx workbook calamine can read ({error}).",
            ) from None
    return islice(sheet.iter_rows(), (source.first_vote_row or 2) - 1, None)


def _rank_slice(source: CvrSource, ranks: int | None) -> slice:
    first = (source.first_vote_column or 2) - 1
    return slice(first, None if ranks is None else first + ranks)


def read(source: CvrSource, ranks: int | None = None) -> Iterator[RawBallot]:
    """Yield every ballot with its id (the id column, else its row number)."""
    columns = _rank_slice(source, ranks)
    for number, cells in enumerate(_rows(source), start=source.first_vote_row or 2):
        if any(cell != "" for cell in cells):
            yield RawBallot(
                _ballot_id(source, cells, number), _marks(source, cells[columns], ranks)
            )


def same_layout(source: CvrSource) -> tuple:
    """Return what decides how a row's cells become marks: sources alike can share counts."""
    return (
        source.first_vote_column,
        source.overvote_delimiter,
        source.overvote_label,
        source.skipped_rank_label,
        source.undeclared_write_in_label,
        source.treat_blank_as_write_in,
    )


def ballots(
    sources: list[CvrSource], maker: BallotMaker, ranks: int | None = None
) -> Iterator[Ballot]:
    """Yield the ballots of *sources* (all with the same layout), identical rankings merged
    across files while streaming and each distinct ranking converted once."""
    counts: dict[tuple, int] = {}
    for source in sources:
        _count_rankings(source, _rank_slice(source, ranks), counts)
    first = sources[0]
    for key, count in counts.items():
        try:
            yield maker.ballot(RawBallot("?", _marks(first, key, ranks)), count)
        except CvrError:
            yield _first_ballot_with(sources, maker, ranks, _marks(first, key, ranks), count)


def _count_rankings(source: CvrSource, columns: slice, counts: dict) -> None:
    get = counts.get
    try:
        for cells in _rows(source):
            key = tuple(cells[columns])
            if not any(key) and not any(cell != "" for cell in cells):
                continue  # a wholly empty row is no ballot
            counts[key] = get(key, 0) + 1
    except CalamineError as error:
        raise CvrError(
            file=str(source.path), problem=f"A row could not be read ({error})."
        ) from None


def _first_ballot_with(sources, maker: BallotMaker, ranks, marks, count) -> Ballot:
    """Read the files again to find the first ballot with *marks*, so the error names it."""
    for source in sources:
        for raw in read(source, ranks):
            if raw.ranks == marks:
                return maker.for_source(source).ballot(raw, count)  # raises, naming it
    raise AssertionError("a counted ranking was not found again")


def _ballot_id(source: CvrSource, cells: list, number: int) -> str:
    column = None if source.id_column is None else source.id_column - 1
    if column is not None and column < len(cells) and cell_text(cells[column]):
        return cell_text(cells[column])
    return f"on row {number}"


def _marks(source: CvrSource, cells, ranks: int | None) -> tuple[tuple[int, str], ...]:
    delimiter = source.overvote_delimiter
    blank_is_write_in = source.treat_blank_as_write_in
    if blank_is_write_in and ranks is not None:
        cells = [*cells, *[""] * (ranks - len(cells))]  # RCTab: every rank up to the maximum
    marks = []
    for rank, cell in enumerate(cells, start=1):
        text = cell_text(cell)
        if delimiter and delimiter in text:
            marks += [(rank, part) for part in text.split(delimiter)]
        elif text:
            marks.append((rank, text))
        elif blank_is_write_in:
            marks.append((rank, UNDECLARED_WRITE_INS))
    return tuple(marks)
