"""The errors the linkage engine raises on purpose.

    LinkageError            bad input for linking; str(error) is a full sentence for a person
    ├── MissingColumn       a file lacks a column the engine needs (names the file and field)
    ├── UnknownColumn       a mapping names a field or column that does not exist
    ├── DuplicateId         two rows of one file share an id
    └── NothingToCompare    the two files share no field besides names

They subclass ValueError so callers that do not know them still treat them as bad input.
"""


class LinkageError(ValueError):
    """Input the linkage engine cannot work with; the message says what and where."""


class MissingColumn(LinkageError):
    """A source has no column for a field the engine needs."""

    def __init__(self, *, source: str, field: str, expected: tuple[str, ...], available: list[str]):
        self.source, self.field, self.expected, self.available = (
            source,
            field,
            expected,
            available,
        )
        found = ", ".join(available) if available else "no columns at all"
        super().__init__(
            f"{source} has no column for the {field.replace('_', ' ')}: expected a header such "
            f"as {', '.join(expected[:4])} (its columns are: {found})."
        )


class UnknownColumn(LinkageError):
    """A mapping names a field the engine does not know, or a column a source lacks."""


class DuplicateId(LinkageError):
    """Two rows of one source share an id, so links could not say which row is meant."""


class NothingToCompare(LinkageError):
    """Besides the names, the two sources have no field in common to compare."""
