"""The errors the counting engine raises on purpose.

    TabulationError        the count cannot go ahead as asked (bad rules, unknown candidate, ...)
    ├── BallotFileError    ... because of a given file, row and column of a ballot file
    └── CvrError           ... because of a cast vote record file (and ballot) an RCTab
                           contest config names, or the config itself

Both subclass ValueError so Django-free callers can catch them plainly; the web layer maps them
onto core.exceptions.InvalidInput / RowError. `str(error)` is a full sentence for a person.
"""


class TabulationError(ValueError):
    """The count cannot go ahead as asked; the message says why and what to change."""


class BallotFileError(TabulationError):
    """Bad input at a known place in a ballot file."""

    def __init__(self, *, file: str, row: int | None, column: str | None, problem: str):
        self.file, self.row, self.column, self.problem = file, row, column, problem
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")


class CvrError(TabulationError):
    """Bad input in a cast vote record file: names the file and, when known, the ballot."""

    def __init__(self, *, file: str, ballot: str | None = None, problem: str):
        self.file, self.ballot, self.problem = file, ballot, problem
        where = file if ballot is None else f"{file}, ballot {ballot}"
        super().__init__(f"{where}: {problem}")
