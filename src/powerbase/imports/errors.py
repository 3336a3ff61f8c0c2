"""The errors the import layer raises on purpose; each carries a full sentence for a person.

    ImportRefused(ValueError)   anything below; `.message` is what a person reads
    ├── FileRefused             the whole file cannot be used (empty, binary, ragged, too big...)
    └── MappingRefused          a column mapping names an unknown field, or two columns for one

    InvalidValue(ValueError)    one cell cannot be normalised; validating turns it into a
                                RowProblem naming the row and column, so it never escapes a row

These classes stay free of Django so the reader can run anywhere; code that uses Django maps
FileRefused and MappingRefused to core.exceptions.InvalidInput and a RowProblem to RowError.
"""


class ImportRefused(ValueError):
    """Input the import layer cannot accept; `message` says what came and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FileRefused(ImportRefused):
    """The file as a whole cannot be imported; nothing from it may be used."""

    def __init__(
        self, *, file: str, problem: str, row: int | None = None, column: str | None = None
    ):
        self.file, self.problem, self.row, self.column = file, problem, row, column
        super().__init__(f"{_place(file, row, column)}: {problem}")


class MappingRefused(ImportRefused):
    """A column mapping that cannot be used; `problems` lists every reason, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


class InvalidValue(ValueError):
    """A cell value a normaliser cannot accept.

    `reason` is the end of a sentence that starts with the row and column, for example
    "'555-01' is not a phone number (expected 10 digits)".
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _place(file: str, row: int | None, column: str | None) -> str:
    place = file
    if row is not None:
        place += f", row {row}"
    if column is not None:
        place += f", column '{column}'"
    return place
