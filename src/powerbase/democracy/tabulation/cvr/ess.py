"""ES&S .xlsx CVRs: a header row, then one ballot per row and one column per rank.

The config gives the first vote column and row (1-based), and optionally the id and precinct
columns; a cell may hold several names joined by the overvote delimiter.
"""

from collections.abc import Iterator

from python_calamine import CalamineError, CalamineWorkbook

from powerbase.democracy.tabulation.cvr.cells import cell_text, reading
from powerbase.democracy.tabulation.cvr.source import CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


def rows(source: CvrSource):
    """Yield (row number, cells) for every row of the first sheet, streaming."""
    with reading(source.path, "an ES&S .xlsx workbook"):
        try:
            workbook = CalamineWorkbook.from_path(str(source.path))
            sheet = workbook.get_sheet_by_index(0)
            yield from enumerate(sheet.iter_rows(), start=1)
        except CalamineError as error:
            raise CvrError(file=str(source.path), problem=f"This is not an .xlsx workbook "
                                                          f"calamine can read ({error}).") from None


def read(source: CvrSource, ranks: int | None = None) -> Iterator[RawBallot]:
    first_row = source.first_vote_row or 2
    first_column = (source.first_vote_column or 2) - 1
    last_column = None if ranks is None else first_column + ranks
    id_column = None if source.id_column is None else source.id_column - 1
    delimiter = source.overvote_delimiter
    for number, cells in rows(source):
        if number < first_row or not any(cell != "" for cell in cells):
            continue
        has_id = id_column is not None and id_column < len(cells)
        ballot_id = cell_text(cells[id_column]) if has_id else f"on row {number}"
        marks = []
        for rank, cell in enumerate(cells[first_column:last_column], start=1):
            text = cell_text(cell)
            if delimiter and delimiter in text:
                marks += [(rank, part) for part in text.split(delimiter)]
            elif text:
                marks.append((rank, text))
        yield RawBallot(ballot_id, tuple(marks))
