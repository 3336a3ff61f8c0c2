"""Search keys for names: what two spellings of one name have in common."""

import functools
import re
import unicodedata

_SEPARATORS = re.compile(r"[-_./,]+")
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)  # names repeat: a list of 100,000 has a few thousand
def name_key(text: str) -> str:
    """Return *text* lower-cased, without accents or punctuation, spaces collapsed.

    "José  O'Brien-Díaz" -> "jose obrien diaz"; used for prefix search and exact matching.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = decomposed.encode("ascii", "ignore").decode().lower()
    spaced = _SEPARATORS.sub(" ", ascii_only)
    return _SPACES.sub(" ", _NOT_LETTERS.sub("", spaced)).strip()


def search_keys(*, given: str, preferred: str, family: str) -> tuple[str, str, str]:
    """Return a person's (given, family, full) search keys: the name they go by comes first."""
    given_key = name_key(preferred or given)[:100]
    family_key = name_key(family)[:100]
    return given_key, family_key, f"{given_key} {family_key}".strip()[:201]
