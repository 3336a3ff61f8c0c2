"""Read the items of one JSON array as they come, so a million-ballot CVR never sits in memory.

    for cvr in json_stream.items(path, "CVR", "a CDF JSON file"): ...

ijson (its C parser) walks the file and builds one item at a time. A key that is missing or
holds no list yields nothing; `items` then checks which, so a report without its ballots is
refused instead of counted as empty.
"""

import codecs
from collections.abc import Iterator

import ijson

from powerbase.democracy.tabulation.cvr.cells import reading
from powerbase.democracy.tabulation.errors import CvrError


def items(path, key: str, what: str) -> Iterator:
    """Yield each item of the top-level array *key* of the JSON file *path*."""
    seen = 0
    for item in _values(path, f"{key}.item", what):
        seen += 1
        yield item
    if not seen and not isinstance(value(path, key, what), list):
        raise CvrError(file=str(path), problem=f"This is not {what} (no {key} list).")


def value(path, key: str, what: str):
    """Return the top-level value *key* of the JSON file *path*, or None; read whole, so only
    for small parts (an election's definition, a manifest)."""
    return next(_values(path, key, what), None)


def _values(path, prefix: str, what: str) -> Iterator:
    with reading(path, what), open(path, "rb") as handle:
        if handle.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
            handle.seek(0)
        try:
            yield from ijson.items(handle, prefix, use_float=True)
        except ijson.JSONError as error:
            raise CvrError(file=str(path), problem=f"This is not valid JSON ({error}).") from None
        except UnicodeDecodeError:
            raise CvrError(
                file=str(path), problem=f"The file is not text in UTF-8; expected {what}."
            ) from None
