"""ES&S .xlsx CVRs: a header row, then one ballot per row and one column per rank.

The config gives the first vote column and row (1-based), and optionally the id and precinct
columns; a cell may hold several names joined by the overvote delimiter. Rows are streamed
from python-calamine; identical rankings are counted first and converted once (`ballots`),
which keeps a million-row CVR close to the time calamine alone takes to read it.
"""

from collections.abc import Iterator
from itertools import islice

from python_calamine import CalamineError, CalamineWorkbook

from powerbase.democracy.tabulation.ballots import Ballot
from powerbase.democracy.tabulation.cvr.cells import cell_text, reading
from powerbase.democracy.tabulation.cvr.source import BallotMaker, CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


def _rows(source: CvrSource):
    """Yield the rows of the first sheet from the first vote row on, streaming."""
    with reading(source.path, "an ES&S .xlsx workbook"):
        try:
            sheet = CalamineWorkbook.from_path(str(source.path)).get_sheet_by_index(0)
            yield from islice(sheet.iter_rows(), (source.first_vote_row or 2) - 1, None)
        except CalamineError as error:
            raise CvrError(file=str(source.path), problem=f"This is not an .xlsx workbook "
                                                          f"calamine can read ({error}).") from None


def _rank_slice(source: CvrSource, ranks: int | None) -> slice:
    first = (source.first_vote_column or 2) - 1
    return slice(first, None if ranks is None else first + ranks)


def read(source: CvrSource, ranks: int | None = None) -> Iterator[RawBallot]:
    """Yield every ballot with its id (the id column, else its row number)."""
    columns = _rank_slice(source, ranks)
    for number, cells in enumerate(_rows(source), start=source.first_vote_row or 2):
        if any(cell != "" for cell in cells):
            yield RawBallot(_ballot_id(source, cells, number), _marks(source, cells[columns]))


def ballots(source: CvrSource, maker: BallotMaker, ranks: int | None = None) -> Iterator[Ballot]:
    """Yield the ballots with identical rankings merged (each converted once)."""
    columns = _rank_slice(source, ranks)
    counts: dict[tuple, int] = {}
    get = counts.get
    for cells in _rows(source):
        key = tuple(cells[columns])
        if not any(key) and not any(cell != "" for cell in cells):
            continue  # a wholly empty row is no ballot
        counts[key] = get(key, 0) + 1
    for key, count in counts.items():
        try:
            yield maker.ballot(RawBallot("?", _marks(source, key)), count)
        except CvrError:
            # Name the first ballot with this ranking: read the file again to find its id.
            raw = next(raw for raw in read(source, ranks)
                       if raw.ranks == _marks(source, key))
            yield maker.ballot(raw, count)  # raises again, naming the ballot


def _ballot_id(source: CvrSource, cells: list, number: int) -> str:
    column = None if source.id_column is None else source.id_column - 1
    if column is not None and column < len(cells) and cell_text(cells[column]):
        return cell_text(cells[column])
    return f"on row {number}"


def _marks(source: CvrSource, cells) -> tuple[tuple[int, str], ...]:
    delimiter = source.overvote_delimiter
    marks = []
    for rank, cell in enumerate(cells, start=1):
        text = cell_text(cell)
        if delimiter and delimiter in text:
            marks += [(rank, part) for part in text.split(delimiter)]
        elif text:
            marks.append((rank, text))
    return tuple(marks)
