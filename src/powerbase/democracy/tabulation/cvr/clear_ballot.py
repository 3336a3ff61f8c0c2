"""Clear Ballot .cvr.csv exports: one 0/1 column per candidate and rank.

A vote column is named `Choice_<id>_<n>:<contest>:<rank>:<vote for>:<candidate>:<party>`; the
ballot id is in the BallotID column. Only the columns of the config's contest are read.
"""

import csv
from collections.abc import Iterator

from powerbase.democracy.tabulation.cvr.cells import reading
from powerbase.democracy.tabulation.cvr.source import CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


def read(source: CvrSource) -> Iterator[RawBallot]:
    with (
        reading(source.path, "a Clear Ballot .cvr.csv file"),
        open(source.path, newline="", encoding="utf-8-sig") as handle,
    ):
        lines = csv.reader(handle)
        try:
            header = next(lines, [])
            columns = _contest_columns(source, header)
            id_column = header.index("BallotID") if "BallotID" in header else None
            for number, cells in enumerate(lines, start=2):
                if not any(cells):
                    continue
                ballot_id = cells[id_column] if id_column is not None else f"on row {number}"
                if len(cells) != len(header):
                    raise CvrError(
                        file=str(source.path),
                        ballot=ballot_id,
                        problem=f"the row has {len(cells)} cells but the header "
                        f"names {len(header)} columns.",
                    )
                yield RawBallot(
                    ballot_id, tuple(mark for index, mark in columns if cells[index].strip() == "1")
                )
        except csv.Error as error:
            raise CvrError(
                file=str(source.path), problem=f"This is not valid CSV ({error})."
            ) from None


def _contest_columns(source: CvrSource, header: list[str]) -> list[tuple[int, tuple[int, str]]]:
    columns = []
    for index, name in enumerate(header):
        parts = name.split(":")
        if not name.startswith("Choice_") or len(parts) < 5 or parts[1] != source.contest_id:
            continue
        if not parts[2].isdigit():
            raise CvrError(
                file=str(source.path),
                problem=f"The column '{name}' has no rank number in its third part.",
            )
        columns.append((index, (int(parts[2]), parts[4])))
    if not columns:
        raise CvrError(
            file=str(source.path),
            problem=f"No column belongs to the contest '{source.contest_id}' (contestId).",
        )
    return columns
