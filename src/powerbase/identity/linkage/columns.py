"""Which column of a source holds which field: recognised from headers, or named explicitly.

A source's headers are compared after folding case and punctuation ("First Name", "first-name"
and "FIRST_NAME" all read as `first_name`), in the order of HEADER_ALIASES: the first alias
found wins. An explicit mapping (`--map phone=Cell` on the command line) beats recognition,
and mapping a field to nothing (`--map email=`) leaves that field out.
"""

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from powerbase.identity.linkage.errors import MissingColumn, UnknownColumn

# Field -> header names that hold it, most specific first.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "person_id",
        "voter_id",
        "member_id",
        "record_id",
        "unique_id",
        "uid",
        "contact_id",
        "voter_reg_num",
        "ncid",
        "registration_number",
        "sos_voterid",
        "external_id",
        "rec_id",
    ),
    "first_name": ("first_name", "given_name", "first", "firstname", "fname", "forename", "given"),
    "last_name": ("last_name", "surname", "family_name", "last", "lastname", "lname"),
    "dob": (
        "dob",
        "date_of_birth",
        "birth_date",
        "birthdate",
        "birthday",
        "birth_dt",
        "date_birth",
    ),
    # Where only the year is published (North Carolina's voter file) or asked for.
    "birth_year": ("birth_year", "year_of_birth", "yob", "birthyear", "birth_yr", "year_born"),
    "zip": (
        "zip",
        "postcode",
        "zip_code",
        "postal_code",
        "zipcode",
        "zip5",
        "res_zip",
        "residential_zip",
        "post_code",
    ),
    "address": (
        "address",
        "street",
        "address1",
        "address_1",
        "street_address",
        "address_line_1",
        "address_line1",
        "res_street_address",
        "residential_address",
        "street_line_1",
    ),
    # A house number kept apart from its street (street_number + address_1) is put back in
    # front of the street before comparing.
    "house_number": (
        "house_number",
        "street_number",
        "house_num",
        "street_num",
        "house_no",
        "street_no",
        "res_street_number",
    ),
    "city": (
        "city",
        "suburb",
        "town",
        "locality",
        "res_city",
        "res_city_desc",
        "residential_city",
        "municipality",
    ),
    "phone": (
        "phone",
        "cell",
        "mobile",
        "phone_number",
        "cell_phone",
        "mobile_phone",
        "telephone",
        "tel",
        "home_phone",
        "full_phone_number",
    ),
    "email": ("email", "email_address", "e_mail", "email_1", "primary_email"),
    # An identifier of the person that both lists carry (not a row id): a social security
    # number, a union card number named with --map personal_id=COLUMN.
    "personal_id": (
        "personal_id",
        "soc_sec_id",
        "ssn",
        "social_security_number",
        "social_security",
        "national_id",
    ),
}
FIELDS: tuple[str, ...] = tuple(HEADER_ALIASES)
REQUIRED_FIELDS: tuple[str, ...] = ("id", "first_name", "last_name")
# Fields that say something about a person beyond their name; linking needs at least one.
EVIDENCE_FIELDS: tuple[str, ...] = (
    "dob",
    "birth_year",
    "zip",
    "address",
    "city",
    "phone",
    "email",
    "personal_id",
)
# Shared columns that describe the row, not the person: never compared.
BOOKKEEPING = re.compile(
    r"created|updated|modified|timestamp|imported|added|note|comment|"
    r"^row|^index$|^source"
)
SIDES = ("left", "right")


@dataclass(frozen=True)
class ColumnMap:
    """The columns of one source that hold each field; a field absent from `columns` is unused."""

    source: str
    columns: Mapping[str, str]
    # Columns no field claims, compared as they are because the other source has them too:
    # normalised column name (x_ + folded header) -> header, or None where this source lacks
    # the column (a record explained on its own), which reads as missing.
    extras: Mapping[str, str | None] = dataclasses.field(default_factory=dict)

    def column(self, field: str) -> str | None:
        """Return the source column that holds *field*, or None when the source lacks it."""
        return self.columns.get(field)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(field for field in FIELDS if field in self.columns)


def header_key(header: str) -> str:
    """Fold a header to the form the aliases use: lowercase words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def recognise_columns(
    headers: Iterable[str],
    *,
    source: str,
    mapping: Mapping[str, str | None] | None = None,
    require_id: bool = True,
) -> ColumnMap:
    """Return which of *headers* holds each field, honouring an explicit *mapping* first.

    *mapping* maps a field to a header (matched exactly, then after folding) or to None or ""
    to leave the field out. Raise MissingColumn when an id (if *require_id*), first name or
    last name is not found, and UnknownColumn when the mapping names an unknown field or a
    missing header.
    """
    headers = list(headers)
    mapping = dict(mapping or {})
    check_fields(mapping)
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    columns: dict[str, str] = {}
    for field, aliases in HEADER_ALIASES.items():
        if field in mapping:
            wanted = mapping[field]
            if wanted:
                columns[field] = find_header(wanted, headers, by_key, source=source, field=field)
            continue
        found = next((by_key[alias] for alias in aliases if alias in by_key), None)
        if found is not None:
            columns[field] = found
    taken: dict[str, str] = {}
    for field, column in columns.items():
        if column in taken:
            raise UnknownColumn(
                f"{source}: column '{column}' would hold both the {taken[column]} and the "
                f"{field}; map one of them to another column."
            )
        taken[column] = field
    for field in REQUIRED_FIELDS:
        if field not in columns and (require_id or field != "id"):
            raise MissingColumn(
                source=source, field=field, expected=HEADER_ALIASES[field], available=headers
            )
    return ColumnMap(source=source, columns=columns)


def find_header(
    wanted: str, headers: list[str], by_key: Mapping[str, str], *, source: str, field: str
) -> str:
    """Return the header called *wanted* (exactly, or after folding) or raise UnknownColumn."""
    if wanted in headers:
        return wanted
    if header_key(wanted) in by_key:
        return by_key[header_key(wanted)]
    raise UnknownColumn(
        f"{source} has no column '{wanted}' to use for the {field.replace('_', ' ')}; "
        f"its columns are: {', '.join(headers)}."
    )


def check_fields(mapping: Mapping[str, object]) -> None:
    """Raise UnknownColumn if *mapping* names a field the engine does not know."""
    for field in mapping:
        if field not in HEADER_ALIASES:
            raise UnknownColumn(
                f"'{field}' is not a field the linker knows; use one of: {', '.join(FIELDS)}."
            )


@dataclass(frozen=True)
class MapOptions:
    """Parsed `target=column` options: those for every source, and those for one side."""

    shared: dict[str, str]
    by_side: dict[str, dict[str, str]]


def parse_map_options(options: Iterable[str], *, sides: tuple[str, ...] = SIDES) -> MapOptions:
    """Parse `--map` options such as `phone=Cell` (any source) or `left.phone=Cell` (one).

    A side prefix is accepted only when *sides* names it (link has left and right; dedupe
    has none). An empty column (`email=`) leaves the field out.
    """
    shared: dict[str, str] = {}
    by_side: dict[str, dict[str, str]] = {side: {} for side in sides}
    for option in options:
        target, equals, column = option.partition("=")
        if not equals:
            raise UnknownColumn(
                f"--map '{option}' is not of the form target=column, e.g. --map phone=Cell."
            )
        side, dot, field = target.strip().partition(".")
        if not dot:
            shared[side] = column.strip()
            check_fields({side: None})
            continue
        if side not in sides:
            raise UnknownColumn(
                f"--map '{option}': '{side}' is not a side here"
                + (
                    f"; use one of: {', '.join(sides)}."
                    if sides
                    else f"; there is only one file, so write --map {field}=COLUMN."
                )
            )
        check_fields({field: None})
        by_side[side][field] = column.strip()
    return MapOptions(shared=shared, by_side=by_side)


def column_maps(
    sources: Sequence[tuple[str, list[str]]],
    *,
    shared: Mapping[str, str | None] | None = None,
    own: Sequence[Mapping[str, str | None] | None] = (),
) -> list[ColumnMap]:
    """Recognise the columns of each (name, headers) source.

    *shared* maps a field to a column for every source that has that column, so `phone=Cell`
    works when only one of two files has a Cell column; a column no source has is an error.
    *own* holds each source's own mapping, which wins over *shared*.
    """
    shared = dict(shared or {})
    own = list(own) + [None] * (len(sources) - len(own))
    for field, column in shared.items():
        if column and not any(_has_column(headers, column) for _, headers in sources):
            names = [name for name, _ in sources]
            who = (
                f"{names[0]} has no" if len(names) == 1 else f"Neither {' nor '.join(names)} has a"
            )
            raise UnknownColumn(
                f"{who} column '{column}' to use for the {field.replace('_', ' ')} "
                f"(--map {field}={column})."
            )
    maps = []
    for (name, headers), mapping in zip(sources, own, strict=True):
        applicable = {
            field: column
            for field, column in shared.items()
            if not column or _has_column(headers, column)
        }
        maps.append(
            recognise_columns(headers, source=name, mapping={**applicable, **(mapping or {})})
        )
    return maps


def _has_column(headers: list[str], column: str) -> bool:
    return column in headers or header_key(column) in {header_key(h) for h in headers}


def with_shared_extras(maps: list[ColumnMap], headers: Sequence[list[str]]) -> list[ColumnMap]:
    """Return *maps* with the columns no field claims but every source has, to compare too.

    Headers are matched after folding ("Shop Steward?" and "shop_steward" are one column);
    a column one source uses for a field, and bookkeeping such as "Created At", are left out.
    """
    claimed = {header_key(column) for column_map in maps for column in column_map.columns.values()}
    keyed = [{header_key(header): header for header in source} for source in headers]
    common = set.intersection(*(set(keys) for keys in keyed)) - claimed - {""}
    shared = sorted(key for key in common if not BOOKKEEPING.search(key))
    return [
        replace(column_map, extras={f"x_{key}": keys[key] for key in shared})
        for column_map, keys in zip(maps, keyed, strict=True)
    ]
