"""Turn a layout's field specs into DuckDB SQL that cleans raw text into voter fields.

Every source column is read as text, so ID-like values keep their leading zeros. The cleaning
is what real files need: trailing spaces trimmed, blanks made NULL, codes written as floats by
spreadsheet round-trips (`23.0`) put back to `23`, four-digit ZIP codes that lost their
leading zero padded again, dates that do not parse (`##/##/####`) made NULL rather than
failing the import. Regular expressions are slow over millions of rows, so each macro runs
one only on the rare value that needs it (a dot in a code, a short ZIP, a phone with dashes).
The macros are temporary: they live on the import connection only.

SQL in the voter file app is assembled from names a layout declares, always quoted with
`ident` and `literal` below, and from names checked against fixed lists (district kinds) or
integers; values a person types go in as query parameters. That is why the linter's
SQL-injection warning (S608) is silenced where SQL is assembled.
"""

from powerbase.voterfile.layout import DistrictSpec, FieldSpec, Layout

MACROS = r"""
CREATE OR REPLACE TEMP MACRO pb_text(x) AS nullif(trim(x), '');
CREATE OR REPLACE TEMP MACRO pb_code(x) AS nullif(CASE WHEN contains(x, '.')
    THEN regexp_replace(trim(x), '\.0+$', '') ELSE trim(x) END, '');
CREATE OR REPLACE TEMP MACRO pb_number(x) AS nullif(ltrim(pb_code(x), '0'), '');
CREATE OR REPLACE TEMP MACRO pb_zip(x) AS CASE
    WHEN length(pb_code(x)) IN (3, 4) AND regexp_full_match(pb_code(x), '[0-9]+')
    THEN lpad(pb_code(x), 5, '0')
    ELSE nullif(left(pb_code(x), 5), '') END;
CREATE OR REPLACE TEMP MACRO pb_phone(x) AS CASE WHEN try_cast(x AS UBIGINT) IS NOT NULL THEN x
    ELSE nullif(regexp_replace(x, '[^0-9]', '', 'g'), '') END;
"""


# What a yes/no column says when it means yes; anything else (N, blank) is no.
FLAG_TRUE = ("Y", "YES", "T", "TRUE", "1", "X")


def ident(name: str) -> str:
    """Quote *name* as a SQL identifier (source headers hold spaces, dashes and slashes)."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """Quote *value* as a SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def field_sql(spec: FieldSpec, layout: Layout, columns: tuple[str, ...] | None = None) -> str:
    """Return the SQL expression for one field, reading *columns* (default: the spec's)."""
    columns = spec.columns if columns is None else columns
    if not columns:
        return "NULL"
    text = _combined_text(columns, spec)
    if spec.type == "text":
        return text
    if spec.type == "id":
        return _code(columns, spec)
    if spec.type == "date":
        formats = spec.date_format.split("|")
        if len(formats) == 1:
            return f"try_strptime({text}, {literal(formats[0])})::DATE"
        listed = ", ".join(literal(f) for f in formats)
        return f"try_strptime({text}, [{listed}])::DATE"
    if spec.type == "integer":
        return f"try_cast({_code(columns, spec)} AS INTEGER)"
    if spec.type == "decimal":
        return f"try_cast({text} AS DOUBLE)"
    if spec.type == "zip":
        return f"pb_zip({text})"
    if spec.type == "phone":
        return f"pb_phone({text})"
    if spec.type == "flag":
        # A MAP lookup: `IN (...)` (and list_contains) with six values is planned as a join
        # of every row against the list.
        yes = "MAP {" + ", ".join(f"{literal(value)}: true" for value in FLAG_TRUE) + "}"
        return f"coalesce({yes}[upper({text})], false)"
    return code_sql(_code(columns, spec), spec, layout)


def code_sql(value: str, spec: FieldSpec, layout: Layout) -> str:
    """Map the cleaned code *value* through the spec's code table or patterns.

    A code the table does not list is kept as it came, so nothing is lost when a state adds a
    party; a value no pattern matches becomes NULL (patterns read free text). Tables are
    DuckDB MAP constants: a lookup evaluates *value* once, where a CASE with one arm per code
    would repeat it for every arm.
    """
    if spec.patterns:
        arms = " ".join(
            f"WHEN contains(upper({value}), {literal(needle)}) THEN {literal(result)}"
            for needle, result in layout.patterns[spec.patterns]
        )
        return f"CASE {arms} ELSE NULL END"
    if spec.codes:
        table = {code.upper(): result for code, result in layout.codes[spec.codes].items()}
        return f"coalesce({map_sql(table)}[upper({value})], {value})"
    return value


def map_sql(table: dict[str, str]) -> str:
    """Return *table* as a DuckDB MAP constant."""
    return (
        "MAP {"
        + ", ".join(f"{literal(key)}: {literal(value)}" for key, value in table.items())
        + "}"
    )


def district_sql(
    spec: DistrictSpec, layout: Layout, resolved: dict[str, tuple[str, ...]]
) -> tuple[str, str]:
    """Return SQL for (code, name) of one district kind, the code as the file writes it.

    *resolved* maps district kinds to the source columns found for them. A district `within`
    another (a precinct within a county) gets the parent's code in front afterwards, from
    the values already computed (`within_sql`).
    """
    columns = resolved.get(spec.kind, spec.code.columns)
    code = _code(columns, spec.code)
    if spec.numbered:  # as pb_number() does, on the code already cleaned
        code = f"nullif(ltrim({code}, '0'), '')"
    name = "NULL"
    if spec.name is not None:
        name = _combined_text(spec.name.columns, spec.name)
    elif spec.names:
        table = {
            (_number(key) if spec.numbered else key): value
            for key, value in layout.codes[spec.names].items()
        }
        name = f"{map_sql(table)}[{code}]"
    return code, name


def within_sql(parent: str, own: str) -> str:
    """Return SQL for a code prefixed with its parent's: precinct 01-07 of county 32 is
    "32/01-07". *parent* and *own* name columns already computed, not expressions: each is
    cleaned once per row, however many districts lie within the county."""
    return f"CASE WHEN {parent} IS NULL THEN {own} ELSE {parent} || '/' || {own} END"


def _combined_text(columns: tuple[str, ...], spec: FieldSpec) -> str:
    cleaned = [f"pb_text({ident(column)})" for column in columns]
    if len(cleaned) == 1:
        return cleaned[0]
    if spec.combine == "first":
        return f"coalesce({', '.join(cleaned)})"
    return f"nullif(concat_ws({literal(spec.separator)}, {', '.join(cleaned)}), '')"


def _code(columns: tuple[str, ...], spec: FieldSpec) -> str:
    """Return SQL for a code read from *columns*: trimmed, "23.0" read as "23", blank NULL.

    pb_code trims and blanks a single column itself, so it reads the column as it came
    rather than pb_text's copy: one trim per value instead of two, on every code column.
    """
    if len(columns) == 1:
        return f"pb_code({ident(columns[0])})"
    return f"pb_code({_combined_text(columns, spec)})"


def _number(code: str) -> str:
    """Write a code the way pb_number() cleans one: "007" -> "7"."""
    return code.strip().lstrip("0")
