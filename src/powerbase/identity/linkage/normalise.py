"""Bring every source to one shape, in DuckDB SQL, so the same values compare equal.

The normalised table has one row per input row and these columns (text unless noted):

    unique_id      the source's id, as written
    first_name     lowercase, accents stripped, letters only, the first word of two or more
                   letters ("J. Robert" -> robert)
    first_family   list: the first name, its nicknames and the names it is a nickname of
                   (bill -> bill, william, ...); two first names are nickname-equivalent
                   when one is in the other's family
    last_name      lowercase, accents and suffixes (Jr, III) stripped, letters only
                   ("De la Cruz" -> delacruz)
    dob            ISO date (from ISO, US m/d/Y, YYYYMMDD, ...); null when unreadable
    dob_swapped    the dob with day and month swapped, when that is also a date
    birth_year     integer: the dob's year, else a birth-year column's, else a dob column
                   holding only a year ("1985"); the one birth fact a voter file like North
                   Carolina's publishes
    zip            five digits, leading zeros restored
    address        lowercase, punctuation dropped, USPS abbreviations for street types,
                   directions and units (Street -> st, Ridge -> rdg, Apartment -> apt), the
                   same on both sides whichever was standardised before; a separate house
                   number column is put in front
    city           lowercase letters and spaces
    phone          ten digits (a leading country code 1 dropped)
    email          lowercase, null unless it looks like an address
    personal_id    letters and digits of an identifier both lists carry (soc_sec_id, ...)
    x_...          any other column both sources share, lowercase, punctuation as spaces
    source_row     the row's position in the source, from 1, for messages
"""

from functools import cache

import duckdb
import pyarrow as pa
from nicknames import NickNamer
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

from powerbase.identity.linkage.columns import FIELDS, ColumnMap
from powerbase.identity.linkage.errors import DuplicateId, LinkageError
from powerbase.identity.linkage.sources import Source, Workspace, describe_read_error

# Fields read only to build another: the house number goes in front of the address.
COMPONENT_FIELDS = ("house_number",)
PLACEHOLDERS = ("", "na", "n/a", "null", "none", "unknown", "-", "?")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%m-%d-%Y", "%Y/%m/%d", "%m.%d.%Y")
EARLIEST_BIRTH_DATE = "1900-01-02"  # 1900-01-01 is the usual "unknown" placeholder
# USPS Publication 28 abbreviations (the tables the member import standardises with), so a
# voter's "RIDGE" meets a member's "RDG"; then a few of our own on top: a unit is an
# apartment, and "#", "number", "no" say nothing.
ADDRESS_WORDS = {
    **{
        word.lower(): short.lower()
        for table in (
            STREET_TYPE_ABBREVIATIONS,
            DIRECTIONAL_REPLACEMENTS,
            OCCUPANCY_TYPE_ABBREVIATIONS,
        )
        for word, short in table.items()
        if word.isalpha()
    },
    "str": "st",
    "av": "ave",
    "unit": "apt",
    "number": "",
    "no": "",
}
NAME_SUFFIX = r"[ ,.]+(jr|sr|ii|iii|iv)[.]?$"


@cache
def nickname_families() -> pa.Table:
    """Return (name, family) for every name the `nicknames` package knows.

    A name's family is the name, its nicknames and the names it is a nickname of (bill ->
    bill, william, willie, ...). The relation is symmetric, so two first names are
    nickname-equivalent exactly when one is in the other's family. Nicknames of nicknames are
    left out on purpose: through "bill", Robert and William would become one name.
    """
    namer = NickNamer()
    nicknames, canonicals = namer.nickname_lookup, namer.canonical_lookup
    names = sorted({*nicknames, *canonicals})
    families = [
        sorted({name, *nicknames.get(name, ()), *canonicals.get(name, ())}) for name in names
    ]
    return pa.table({"name": names, "family": families})


def create_normalised_table(
    workspace: Workspace, source: Source, columns: ColumnMap, *, families_table: str
) -> str:
    """Write *source* into a new normalised table in *workspace* and return its name.

    Raise DuplicateId if two rows share an id, and LinkageError if a row has none.
    """
    table = workspace.new_name("normalised")
    # Three passes, so that an intermediate value (a column's trimmed text, a phone's
    # digits) is computed once per row: DuckDB does not share repeated subexpressions.
    texts = ", ".join(
        [
            f"{_field_text_sql(columns, field)} AS {field}"
            for field in FIELDS
            if field not in ("id", *COMPONENT_FIELDS)
        ]
        + [f"{_text_sql(header)} AS {name}" for name, header in columns.extras.items()]
    )
    extras = "".join(f", {name}" for name in columns.extras)
    # Without an id column (explaining a pair needs none) a row is known by its position.
    id_text = (
        "CAST(source_row AS VARCHAR)"
        if columns.column("id") is None
        else f"nullif(trim(CAST(\"{columns.column('id')}\" AS VARCHAR)), '')"
    )
    fields = [field for field in FIELDS if field not in COMPONENT_FIELDS]
    prepared = ", ".join(
        [f"{_prepare_sql(field)} AS {field}" for field in fields]
        + [f"{extra_sql(name)} AS {name}" for name in columns.extras]
    )
    finished = ", ".join(f"{_finish_sql(field)} AS {field}" for field in fields) + extras
    try:
        _create(
            workspace,
            table,
            source,
            texts=texts,
            id_text=id_text,
            prepared=prepared,
            finished=finished,
            families_table=families_table,
            extras=extras,
        )
    except duckdb.Error as error:
        if isinstance(error, duckdb.InterruptException):
            raise
        raise LinkageError(describe_read_error(source, error)) from error
    _check_ids(workspace, table, source, columns)
    return table


def _create(
    workspace: Workspace,
    table: str,
    source: Source,
    *,
    texts: str,
    id_text: str,
    prepared: str,
    finished: str,
    families_table: str,
    extras: str,
) -> None:
    workspace.con.execute(f"""
        CREATE TABLE {table} AS
        WITH raw AS (
            SELECT row_number() OVER () AS source_row, * FROM {source.relation}
        ), texts AS MATERIALIZED (
            SELECT source_row, {id_text} AS id, {texts} FROM raw
        ), prepared AS MATERIALIZED (
            SELECT source_row, {prepared} FROM texts
        ), fields AS (
            SELECT source_row, {finished} FROM prepared
        )
        SELECT id AS unique_id, first_name,
               coalesce(families.family, list_value(first_name)) AS first_family,
               last_name, dob,
               CASE WHEN day(CAST(dob AS DATE)) <= 12
                         AND day(CAST(dob AS DATE)) <> month(CAST(dob AS DATE))
                    THEN CAST(make_date(year(CAST(dob AS DATE)), day(CAST(dob AS DATE)),
                                        month(CAST(dob AS DATE))) AS VARCHAR)
               END AS dob_swapped,
               coalesce(CAST(left(dob, 4) AS INTEGER), birth_year) AS birth_year,
               zip, address, city, phone, email, personal_id{extras}, source_row
        FROM fields LEFT JOIN {families_table} AS families ON families.name = fields.first_name
        ORDER BY source_row
    """)  # noqa: S608 - only our own table names


def create_families_table(workspace: Workspace) -> str:
    """Load the nickname families into *workspace* and return the table's name."""
    table = workspace.new_name("nickname_families")
    view = table + "_arrow"
    workspace.con.register(view, nickname_families())
    workspace.con.execute(f"CREATE TABLE {table} AS SELECT * FROM {view}")  # noqa: S608
    workspace.con.unregister(view)
    return table


def _check_ids(workspace: Workspace, table: str, source: Source, columns: ColumnMap) -> None:
    id_column = columns.column("id")
    missing = workspace.con.execute(
        f"SELECT min(source_row) FROM {table} WHERE unique_id IS NULL",  # noqa: S608
    ).fetchall()[0][0]
    if missing is not None:
        raise LinkageError(
            f"{source.name}, {_row_label(source, missing)}: the id column '{id_column}' is "
            "empty; every row needs an id so links can name it."
        )
    duplicate = workspace.con.execute(f"""
        SELECT unique_id, list(source_row ORDER BY source_row)[1:2] FROM {table}
        GROUP BY unique_id HAVING count(*) > 1 ORDER BY min(source_row) LIMIT 1
    """).fetchall()  # noqa: S608 - only our own table names
    if duplicate:
        value, (first, second) = duplicate[0]
        raise DuplicateId(
            f"{source.name}: the id '{value}' in column '{id_column}' is on "
            f"{_row_label(source, first)} and {_row_label(source, second)}; ids must be "
            "unique so that each link names one row."
        )


def _row_label(source: Source, row: int) -> str:
    """Name a row as a person opening the source would count it (a CSV's header is line 1)."""
    if source.relation.startswith("read_csv"):
        return f"line {row + 1}"
    return f"row {row}"


def _prepare_sql(field: str) -> str:
    """SQL for the second pass, over the field's text: usually the final value already."""
    return {
        "id": "id",  # kept as written, only trimmed
        "first_name": first_name_sql(field),
        "last_name": last_name_sql(field),
        "dob": parse_date_sql(field),
        # A spreadsheet may have turned 06511 into 6511.0: drop the decimals first.
        "zip": f"regexp_replace(split_part(regexp_replace({field}, '[.]0+$', ''), '-', 1), "
        "'[^0-9]', '', 'g')",
        "address": address_sql(field),
        "city": f"nullif({_letters_and_spaces(field)}, '')",
        "phone": f"regexp_replace({field}, '[^0-9]', '', 'g')",
        "email": email_sql(field),
        "birth_year": birth_year_sql(field),
        "personal_id": f"nullif(regexp_replace(lower({field}), '[^a-z0-9]+', '', 'g'), '')",
    }[field]


def _finish_sql(field: str) -> str:
    """SQL for the third pass, over the second pass's column of the same name."""
    return {
        "dob": plausible_birth_date_sql("dob"),
        "zip": zip_from_digits_sql("zip"),
        "phone": phone_from_digits_sql("phone"),
    }.get(field, field)


def _field_text_sql(columns: ColumnMap, field: str) -> str:
    """SQL for the text a field is read from; some fields take in another column."""
    text = _text_sql(columns.column(field))
    if field == "address" and columns.column("house_number") and columns.column("address"):
        house = _text_sql(columns.column("house_number"))
        return f"nullif(concat_ws(' ', {house}, {text}), '')"
    if field == "birth_year" and columns.column("dob"):
        # A birth-date column that holds only a year ("1985") gives that year.
        dob = _text_sql(columns.column("dob"))
        return f"coalesce({text}, CASE WHEN regexp_full_match({dob}, '[0-9]{{4}}') THEN {dob} END)"
    return text


def _text_sql(column: str | None) -> str:
    """SQL for a source column as trimmed text; null when absent, blank or like 'N/A'."""
    if column is None:
        return "CAST(NULL AS VARCHAR)"
    placeholders = ", ".join(f"'{word}'" for word in PLACEHOLDERS)
    trimmed = f'trim(CAST("{column}" AS VARCHAR))'
    return f"(CASE WHEN lower({trimmed}) IN ({placeholders}) THEN NULL ELSE {trimmed} END)"


def _letters_and_spaces(text: str) -> str:
    return f"trim(regexp_replace(lower(strip_accents({text})), '[^a-z]+', ' ', 'g'))"


def first_name_sql(text: str) -> str:
    """SQL for a first name: the first word of two or more letters, else the first word."""
    words = f"string_split({_letters_and_spaces(text)}, ' ')"
    return f"nullif(coalesce(list_filter({words}, lambda w: length(w) > 1)[1], {words}[1]), '')"


def last_name_sql(text: str) -> str:
    """SQL for a last name: suffixes dropped, then letters only."""
    without_suffix = f"regexp_replace(lower(strip_accents({text})), '{NAME_SUFFIX}', '')"
    return f"nullif(regexp_replace({without_suffix}, '[^a-z]+', '', 'g'), '')"


def parse_date_sql(text: str) -> str:
    """SQL for a DATE read from any of DATE_FORMATS (a time of day is ignored)."""
    formats = ", ".join(f"'{fmt}'" for fmt in DATE_FORMATS)
    # A timestamp ("1985-03-14 00:00:00", "1985-03-14T00:00") keeps only its date part.
    date_part = f"split_part(split_part({text}, ' ', 1), 'T', 1)"
    return f"CAST(try_strptime({date_part}, [{formats}]) AS DATE)"


def birth_year_sql(text: str) -> str:
    """SQL for a birth year (INTEGER) from text like "1985" or "1985.0"; null if implausible."""
    year = f"try_cast(regexp_extract({text}, '^[0-9]{{4}}', 0) AS INTEGER)"
    return (
        f"(CASE WHEN {year} BETWEEN {EARLIEST_BIRTH_DATE[:4]} AND year(current_date) "
        f"THEN {year} END)"
    )


def extra_sql(text: str) -> str:
    """SQL for a shared column no field claims: lowercase words, accents and punctuation off."""
    return f"nullif({_letters_digits_and_spaces(text)}, '')"


def _letters_digits_and_spaces(text: str) -> str:
    return f"trim(regexp_replace(lower(strip_accents({text})), '[^a-z0-9]+', ' ', 'g'))"


def plausible_birth_date_sql(date: str) -> str:
    """SQL for a DATE as ISO text, or null when it cannot be a voter's birth date."""
    return (
        f"(CASE WHEN {date} BETWEEN DATE '{EARLIEST_BIRTH_DATE}' AND current_date "
        f"THEN CAST({date} AS VARCHAR) END)"
    )


def zip_from_digits_sql(digits: str) -> str:
    """SQL for a five-digit zip from a zip's digits; restores dropped leading zeros."""
    return f"""nullif(CASE length({digits})
        WHEN 3 THEN lpad({digits}, 5, '0') WHEN 4 THEN lpad({digits}, 5, '0')
        WHEN 5 THEN {digits}
        WHEN 8 THEN left(lpad({digits}, 9, '0'), 5) WHEN 9 THEN left({digits}, 5)
    END, '00000')"""


def address_sql(text: str) -> str:
    """SQL for a street address: lowercase words, street types and directions abbreviated."""
    cases = " ".join(f"WHEN '{word}' THEN '{short}'" for word, short in ADDRESS_WORDS.items())
    cleaned = (
        f"trim(regexp_replace(replace(lower(strip_accents({text})), '#', ' apt '), "
        "'[^a-z0-9]+', ' ', 'g'))"
    )
    abbreviated = (
        f"list_filter(list_transform(string_split({cleaned}, ' '), "
        f"lambda w: CASE w {cases} ELSE w END), lambda w: w <> '')"
    )
    return f"nullif(array_to_string({abbreviated}, ' '), '')"


def phone_from_digits_sql(digits: str) -> str:
    """SQL for a ten-digit phone number from its digits (a leading country code 1 dropped).

    Null when the digits are not a phone number, or are all one digit (0000000000).
    """
    ten = (
        f"(CASE WHEN length({digits}) = 11 AND left({digits}, 1) = '1' "
        f"THEN substr({digits}, 2) WHEN length({digits}) = 10 THEN {digits} END)"
    )
    return f"(CASE WHEN replace({ten}, left({ten}, 1), '') <> '' THEN {ten} END)"


def email_sql(text: str) -> str:
    """SQL for an email address in lowercase; null unless it has the form a@b.c."""
    lowered = f"lower({text})"
    return (
        f"(CASE WHEN regexp_full_match({lowered}, '[^@\\s]+@[^@\\s]+\\.[^@\\s]+') "
        f"THEN {lowered} END)"
    )
