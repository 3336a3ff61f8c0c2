"""Generic CSV CVRs (RCTab's "genericCsv"): a header naming the candidates, then one ballot per
row holding, under each candidate, the rank the voter gave them (empty: not ranked)."""

import csv
from collections.abc import Iterator

from powerbase.democracy.tabulation.cvr.cells import reading
from powerbase.democracy.tabulation.cvr.source import CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


def read(source: CvrSource) -> Iterator[RawBallot]:
    first_column = (source.first_vote_column or 1) - 1
    first_row = source.first_vote_row or 2
    id_column = None if source.id_column is None else source.id_column - 1
    with (
        reading(source.path, "a CSV file"),
        open(source.path, newline="", encoding="utf-8-sig") as handle,
    ):
        lines = csv.reader(handle)
        try:
            header = next(lines, [])
            candidates = [name.strip() for name in header[first_column:]]
            if not all(candidates):
                raise CvrError(
                    file=str(source.path),
                    problem=(
                        f"The header names no candidate in column "
                        f"{first_column + candidates.index('') + 1}; every column from the first "
                        "vote column on must name one."
                    ),
                )
            for number, cells in enumerate(lines, start=2):
                if number < first_row or not any(cells):
                    continue
                ballot_id = (
                    cells[id_column]
                    if id_column is not None and id_column < len(cells)
                    else f"on row {number}"
                )
                yield RawBallot(
                    ballot_id, tuple(_marks(source, ballot_id, candidates, cells[first_column:]))
                )
        except csv.Error as error:
            raise CvrError(
                file=str(source.path), problem=f"This is not valid CSV ({error})."
            ) from None


def _marks(source, ballot_id, candidates, cells):
    if len(cells) > len(candidates):
        raise CvrError(
            file=str(source.path),
            ballot=ballot_id,
            problem=f"it has {len(cells)} vote cells but the header names "
            f"{len(candidates)} candidates.",
        )
    for candidate, cell in zip(candidates, cells, strict=False):
        text = cell.strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            raise CvrError(
                file=str(source.path),
                ballot=ballot_id,
                problem=f"'{text}' under '{candidate}' is not a rank (1, 2, ...).",
            )
        yield int(text), candidate
