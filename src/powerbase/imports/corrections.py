"""Read a table with cells corrected in the browser in place of what the file says.

    fixed = with_fixes(table, {"41": {"Phone": "203-555-0141"}})
    row = one_row(fixed, 41)        # a table of that one row, to check it again now

The uploaded file is never rewritten: it stays the record of what was sent. Corrections are
kept beside it (ImportBatch.fixes) and laid over the rows as they are read, so a check, a
re-check of one row and the import all see the same corrected data.
"""

import dataclasses
from collections.abc import Callable, Iterator

from powerbase.imports.reading import Row, Table


def with_fixes(table: Table, fixes: dict[str, dict[str, str]]) -> Table:
    """Return *table* whose rows carry the corrected cells of *fixes*."""
    if not fixes:
        return table
    index = {name: number for number, name in enumerate(table.header)}
    by_row = {
        int(row): {index[column]: value for column, value in cells.items() if column in index}
        for row, cells in fixes.items()
    }
    read = table.rows

    def rows(_: Table) -> Iterator[Row]:
        for row in read():
            cells = by_row.get(row.number)
            if cells:
                row = Row(
                    row.number,
                    tuple(cells.get(n, cell) for n, cell in enumerate(row.cells)),
                    row.problem,
                )
            yield row

    return dataclasses.replace(table, _read_rows=rows)


def _reader_of(row: Row) -> Callable[[Table], Iterator[Row]]:
    return lambda _: iter([row])


def one_row(table: Table, number: int) -> Table | None:
    """Return a table holding only row *number* of *table*, or None when it has no such row."""
    for row in table.rows():
        if row.number == number:
            return dataclasses.replace(table, _read_rows=_reader_of(row))
        if row.number > number:
            break
    return None
