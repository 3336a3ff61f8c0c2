"""Postal addresses: keep the text as given, and its USPS standard form when it can be read.

An address is never refused. When it can be read as a US street address, its parts are kept
in the USPS Publication 28 form (upper case, standard abbreviations: "45 elm street" ->
"45 ELM ST") beside the original text; when it cannot (a PO box written in one line, "behind
the church"), the original text is kept with a warning, along with any state and ZIP code
that were valid on their own.

usaddress-scourgify does the standardising, but it costs about a quarter of a millisecond
per address (usaddress runs a CRF tagger), more than everything else in a row together. Most
addresses in members' lists are plain ("123 Main St Apt 4"), so a small grammar reads those
directly with scourgify's own abbreviation tables; anything it is not sure of goes to
scourgify. A test checks the two give the same answer on a few thousand generated addresses.
"""

import functools
import re
from dataclasses import dataclass

from scourgify import normalize_address_record
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

from powerbase.imports.errors import InvalidValue
from powerbase.imports.normalizing import clean_text, normalize_state, normalize_zip, quoted
from powerbase.imports.reading import Cell


@dataclass(frozen=True)
class Address:
    """A postal address: the text as given, and its USPS standard parts when they could be read.

    `standardized` is False when the address could not be read as a US street address; the
    original text is then all there is, apart from any city, state and ZIP given on their own.
    """

    original: str
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    standardized: bool = False


def normalize_address(
    *,
    full: Cell = "",
    street: Cell = "",
    street2: Cell = "",
    city: Cell = "",
    state: Cell = "",
    zip: Cell = "",
    standardize: bool = True,
) -> tuple[Address, str | None]:
    """Return the address and, if it could not be standardised, a warning saying so.

    Give either *full* (one line holding the whole address) or the parts. With *standardize*
    False the street is not parsed and only the state and ZIP code are normalised.
    """
    parts = tuple(
        clean_text(part) if part != "" else "" for part in (full, street, street2, city, state, zip)
    )
    return _normalize_address(*parts, standardize)


@functools.lru_cache(maxsize=16384)  # households and buildings repeat addresses close together
def _normalize_address(
    full: str, street: str, street2: str, city: str, state: str, zip_text: str, standardize: bool
) -> tuple[Address, str | None]:
    if full:
        original = full
    else:
        last_line = " ".join(part for part in (state, zip_text) if part)
        original = ", ".join(part for part in (street, street2, city, last_line) if part)
    state_code, zip_code = _state_code(state), _zip_code(zip_text)
    if not standardize or (not full and not street):
        # A city, state or ZIP alone: nothing to standardise, but still useful for districts.
        return (
            Address(original=original, city=city, state=state_code, zip=zip_code),
            _bad_parts_warning(state, state_code, zip_text, zip_code),
        )
    if not full and (box := _PO_BOX.fullmatch(street)):
        # scourgify refuses post office boxes; in a street column they are plain enough.
        return Address(
            original=original,
            line1=f"PO BOX {box.group(1).upper()}",
            line2=street2.upper(),
            city=" ".join(city.upper().split()),
            state=state_code,
            zip=zip_code,
            standardized=True,
        ), None
    if full:
        standard = _plain_full_address(full) or _scourgify(full)
    elif city and state_code and zip_code:
        standard = _plain_parts(
            original, street, street2, city, state_code, zip_code
        ) or _scourgify(
            {
                "address_line_1": street,
                "address_line_2": street2 or None,
                "city": city,
                "state": state_code,
                "postal_code": zip_code,
            }
        )
    elif (
        city and zip_code and (plain := _plain_parts(original, street, street2, city, "", zip_code))
    ):
        # Many rosters have no state column: a plain street with a city and a ZIP is still
        # read by the fast path, and the state stays blank rather than guessed.
        standard = plain
    else:
        standard = _scourgify(original)
    if standard is None:
        return (
            Address(original=original, city=city, state=state_code, zip=zip_code),
            f"{quoted(original)} could not be read as a US street address; it was kept as written.",
        )
    return Address(original=original, **standard, standardized=True), None


_PO_BOX = re.compile(r"(?:P\.?\s*O\.?|POST\s+OFFICE)\s*BOX\s+([A-Za-z0-9-]+)", re.IGNORECASE)


def _scourgify(address: str | dict) -> dict | None:
    try:
        parts = normalize_address_record(address)
    except Exception:  # usaddress and scourgify raise many kinds; all mean "unreadable"
        return None
    return {
        "line1": parts["address_line_1"] or "",
        "line2": parts["address_line_2"] or "",
        "city": parts["city"] or "",
        "state": parts["state"] or "",
        "zip": parts["postal_code"] or "",
    }


@functools.lru_cache(maxsize=1024)
def _state_code(text: str) -> str:
    """Return the USPS code of a state, or "" when there is none (an address is never refused)."""
    try:
        return normalize_state(text) if text else ""
    except InvalidValue:
        return ""


@functools.lru_cache(maxsize=65536)
def _zip_code(text: str) -> str:
    """Return a normalised ZIP code, or "" when the text is not one."""
    try:
        return normalize_zip(text) if text else ""
    except InvalidValue:
        return ""


def _bad_parts_warning(state: str, state_code: str, zip_text: str, zip_code: str) -> str | None:
    problems = []
    if state and not state_code:
        problems.append(f"{quoted(state)} is not a US state")
    if zip_text and not zip_code:
        problems.append(f"{quoted(zip_text)} is not a ZIP code")
    if not problems:
        return None
    return " and ".join(problems) + "; the address was kept as written."


# ---------------------------------------------------------------------------------------------
# The fast path for plain addresses: NUMBER [DIRECTION] NAME... TYPE [DIRECTION] [UNIT ID]


_DIRECTIONS = {
    **DIRECTIONAL_REPLACEMENTS,
    **{abbr: abbr for abbr in DIRECTIONAL_REPLACEMENTS.values()},
}
_STREET_TYPES = {key: abbr for key, abbr in STREET_TYPE_ABBREVIATIONS.items() if " " not in key}
# The types the fast path reads; rarer ones (PARK, RUN, HWY, ...) are where usaddress's reading
# depends on context, so those addresses go to scourgify.
_COMMON_TYPES = {
    key: abbr
    for key, abbr in _STREET_TYPES.items()
    if abbr
    in ("ST", "AVE", "RD", "BLVD", "DR", "LN", "PL", "CT", "TER", "WAY", "CIR", "PKWY", "TRL")
}
_UNIT_TYPES = {
    **{key: abbr for key, abbr in OCCUPANCY_TYPE_ABBREVIATIONS.items() if key != "#"},
    **{abbr: abbr for abbr in OCCUPANCY_TYPE_ABBREVIATIONS.values() if abbr != "#"},
}
# Units whose word stands alone ("REAR") or whose reading differs in usaddress go to scourgify.
_UNIT_WORDS_WITH_ID = {"APT", "UNIT", "STE", "BLDG", "LOT"}

# Types usaddress may read in front of a name ("Avenue A", "Route 9").
_PRE_TYPES = {key for key, abbr in _STREET_TYPES.items() if abbr in ("AVE", "HWY", "RTE")}
_HOUSE_NUMBER = re.compile(r"\d{1,6}")
_NAME_WORD = re.compile(r"[A-Z]{2,}|\d{1,4}(?:ST|ND|RD|TH)?")
_UNIT_ID = re.compile(r"[A-Z]?\d{1,5}[A-Z]?|[A-Z]")
_PLAIN_TEXT = re.compile(r"[A-Z0-9# ]*")
_PERIOD = re.compile(r"\.(?!\d)")  # "N." but not "1.5"
_PLAIN_CITY = re.compile(r"[A-Za-z][A-Za-z \-]*")  # "St. Louis" reads differently by mode
_STATE_ZIP = re.compile(r"([A-Za-z]{2})\s+(\d{5}(?:-\d{4})?)")


def _plain_parts(
    original: str, street: str, street2: str, city: str, state_code: str, zip_code: str
) -> dict | None:
    """Return the standard parts of an address given in columns, or None if not plain."""
    if not _PLAIN_CITY.fullmatch(city):
        return None
    lines = _plain_street(street, street2)
    if lines is None:
        return None
    return {
        "line1": lines[0],
        "line2": lines[1],
        "city": " ".join(city.upper().split()),
        "state": state_code,
        "zip": zip_code,
    }


def _plain_full_address(full: str) -> dict | None:
    """Return the standard parts of "123 Main St, Apt 4, New Haven, CT 06511", if plain."""
    pieces = [piece.strip() for piece in full.split(",")]
    if len(pieces) not in (3, 4):
        return None
    match = _STATE_ZIP.fullmatch(pieces[-1])
    if match is None:
        return None
    state_code, zip_code = _state_code(match.group(1)), _zip_code(match.group(2))
    if not state_code or not zip_code:
        return None
    street2 = pieces[1] if len(pieces) == 4 else ""
    return _plain_parts(full, pieces[0], street2, pieces[-2], state_code, zip_code)


def _plain_street(street: str, street2: str) -> tuple[str, str] | None:
    tokens = _tokens(street)
    if tokens is None or len(tokens) < 3 or not _HOUSE_NUMBER.fullmatch(tokens[0]):
        return None
    core, unit = _split_unit(tokens[1:])
    if street2:
        if unit is not None:
            return None
        unit_tokens = _tokens(street2)
        if unit_tokens is None:
            return None
        rest, unit = _split_unit(unit_tokens)
        if rest or unit is None:
            if len(unit_tokens) == 1 and _UNIT_ID.fullmatch(unit_tokens[0]):
                unit = f"UNIT {unit_tokens[0]}"  # a bare "4" in an apartment column
            else:
                return None
    line1 = _plain_core(tokens[0], core)
    if line1 is None:
        return None
    return line1, unit or ""


def _tokens(text: str) -> list[str] | None:
    """Return the words of an address line in upper case, or None if it holds anything odd."""
    text = _PERIOD.sub("", text.upper()).replace(",", " ")
    if not _PLAIN_TEXT.fullmatch(text):
        return None
    tokens = text.split()
    if "CT" in tokens:  # Court or Connecticut: scourgify has a rule for that
        return None
    return tokens


def _split_unit(tokens: list[str]) -> tuple[list[str], str | None]:
    """Split trailing "APT 4", "# 4" or "#4" off *tokens*."""
    if len(tokens) >= 2 and tokens[-2] in _UNIT_TYPES and _UNIT_ID.fullmatch(tokens[-1]):
        kind = _UNIT_TYPES[tokens[-2]]
        if kind in _UNIT_WORDS_WITH_ID:
            return tokens[:-2], f"{kind} {tokens[-1]}"
        return tokens, None
    if len(tokens) >= 2 and tokens[-2] == "#" and _UNIT_ID.fullmatch(tokens[-1]):
        return tokens[:-2], f"# {tokens[-1]}"
    if tokens and tokens[-1].startswith("#") and _UNIT_ID.fullmatch(tokens[-1][1:]):
        return tokens[:-1], f"# {tokens[-1][1:]}"
    return tokens, None


def _plain_core(number: str, core: list[str]) -> str | None:
    """Return "123 N MAIN ST" for [N, MAIN, STREET], or None when not plainly that."""
    post_direction = ""
    # A lone N, S, E or W after the type may be a unit letter ("Blvd E"); usaddress decides.
    if (
        len(core) >= 3
        and len(core[-1]) > 1
        and core[-1] in _DIRECTIONS
        and core[-2] in _COMMON_TYPES
    ):
        post_direction = _DIRECTIONS[core[-1]]
        core = core[:-1]
    if len(core) < 2 or core[-1] not in _COMMON_TYPES:
        return None
    street_type = _COMMON_TYPES[core[-1]]
    names = core[:-1]
    pre_direction = ""
    if len(names) >= 2 and names[0] in _DIRECTIONS:
        pre_direction = _DIRECTIONS[names[0]]
        names = names[1:]
    if not 1 <= len(names) <= 3 or not all(_plain_name_word(word) for word in names):
        return None
    if len(names) > 1 and any(word[0].isdigit() for word in names):
        return None
    if post_direction and names[0][0].isdigit():
        return None  # "42 Way S": usaddress may keep the bare number; leave it to scourgify
    # A name word that is also a street type ("Park", "Mill", "Court") reads the same in
    # usaddress only without directions around it, and never in front ("Avenue A").
    typed = [word for word in names if word in _STREET_TYPES]
    if typed and (pre_direction or post_direction or names[0] in _PRE_TYPES):
        return None
    if names[0].isdigit():
        names = [names[0] + _ordinal_suffix(int(names[0]))]
    words = [number, pre_direction, *names, street_type, post_direction]
    return " ".join(word for word in words if word)


def _plain_name_word(word: str) -> bool:
    # "ST" may be Saint or Street, which usaddress reads by context; leave it to scourgify.
    # "ST" may be Saint or Street, which usaddress reads from context; leave it to scourgify.
    return (
        _NAME_WORD.fullmatch(word) is not None
        and word not in _DIRECTIONS
        and word not in _UNIT_TYPES
        and word != "ST"
    )


def _ordinal_suffix(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "TH"
    return {1: "ST", 2: "ND", 3: "RD"}.get(number % 10, "TH")


@functools.lru_cache(maxsize=8192)
def standard_street_name(street: str) -> str:
    """Return a street name (no house number, no unit) in the USPS form, so the ways one
    street is written compare equal: "Albany Avenue" and "ALBANY AVE." -> "ALBANY AVE",
    "North Main Street" -> "N MAIN ST".

    Only the last word is read as the street type and only a first or last word as a
    direction, and never the only name word: "North Street" stays "NORTH ST", "Avenue A"
    stays "AVENUE A". Unlike a full address, a name is never refused: words the tables do not
    know are kept as written.
    """
    words = _PERIOD.sub("", street.upper()).replace(",", " ").split()
    if not words:
        return ""
    post_direction = ""
    if len(words) >= 3 and words[-1] in _DIRECTIONS and words[-2] in _STREET_TYPES:
        post_direction, words = _DIRECTIONS[words[-1]], words[:-1]
    street_type = ""
    if len(words) >= 2 and words[-1] in _STREET_TYPES:
        street_type, words = _STREET_TYPES[words[-1]], words[:-1]
    pre_direction = ""
    if len(words) >= 2 and words[0] in _DIRECTIONS:
        pre_direction, words = _DIRECTIONS[words[0]], words[1:]
    return " ".join(word for word in (pre_direction, *words, street_type, post_direction) if word)
