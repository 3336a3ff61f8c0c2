"""Small shared pieces of the CVR readers: cell text, and turning I/O failures into CvrError."""

from contextlib import contextmanager

from powerbase.democracy.tabulation.errors import CvrError


def cell_text(value) -> str:
    """Return a spreadsheet cell as text: 12.0 -> "12", None -> ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@contextmanager
def reading(path, what: str):
    """Report a missing, unreadable or undecodable file as a CvrError naming it."""
    try:
        yield
    except FileNotFoundError:
        raise CvrError(file=str(path), problem="There is no such file or folder.") from None
    except IsADirectoryError:
        raise CvrError(file=str(path), problem=f"This is a folder; expected {what}.") from None
    except UnicodeDecodeError:
        raise CvrError(
            file=str(path), problem=f"The file is not text in UTF-8; expected {what}."
        ) from None
    except OSError as error:
        raise CvrError(file=str(path), problem=f"Could not read it ({error.strerror}).") from None
