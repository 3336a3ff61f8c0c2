"""Lookups over an open voter file connection, and how Python data reaches a query: the one
DuckDB concurrency rule. `voterfile.queries` wraps these for the rest of the code; they are
here, Django-free, so the benchmarks drive them directly.

Python values go into a query only as parameters; nothing is registered on a connection. A
list travels as one string joined by SEPARATOR and is split inside the query:

    con.execute(f"SELECT ... WHERE voter_id IN (SELECT unnest({split_parameter('ids')}))",
                {"ids": joined_parameter(ids)})

Why: connections of one process to one file share a DuckDB instance, and registering Python
objects there failed under a threaded web server ("Table Function with name
python_arrow_scan does not exist"); binding a 50,000-item Python list cost ~110 ms a query,
one string a few. Django-free, so the benchmarks use it directly.
"""

from collections.abc import Iterable

import duckdb

SEPARATOR = "\x1f"  # the ASCII unit separator: never inside a voter id, address or ZIP


def joined_parameter(values: Iterable) -> str:
    """Return *values* as one query parameter; None becomes ''."""
    return SEPARATOR.join("" if value is None else str(value) for value in values)


def split_parameter(name: str) -> str:
    """Return the SQL that turns parameter *name* (from `joined_parameter`) into a list.

    Joined with a table, unnest it in a `WITH ... AS MATERIALIZED` list: DuckDB then plans
    the join as it would a registered table's (an inlined unnest ran twice as slow).
    """
    return f"string_split(${name}, chr(31))"


def district_codes_in(
    con: duckdb.DuckDBPyConnection, column: str, ids: list[str]
) -> dict[str, str]:
    """Return {voter_id: district code in *column*} for *ids*; *column* is checked by the
    caller (it goes into the SQL)."""
    # A materialized list joined, not `IN (SELECT unnest(...))`: as fast as a registered table.
    return dict(
        con.execute(
            f"""
        WITH asked AS MATERIALIZED (SELECT unnest({split_parameter("ids")}) AS voter_id)
        SELECT voter_id, v.{column} FROM asked JOIN voters v USING (voter_id)
        WHERE v.{column} IS NOT NULL""",  # noqa: S608
            {"ids": joined_parameter(ids)},
        ).fetchall()
    )


def district_codes_of_columns_in(
    con: duckdb.DuckDBPyConnection, columns: list[str], ids: list[str]
) -> dict[str, dict[str, str]]:
    """Return {column: {voter_id: district code}} for *ids*, as `district_codes_in` per
    column, in one pass over the voters; *columns* are checked by the caller."""
    found: dict[str, dict[str, str]] = {column: {} for column in columns}
    if not columns:
        return found
    rows = con.execute(
        f"""
        WITH asked AS MATERIALIZED (SELECT unnest({split_parameter("ids")}) AS voter_id)
        SELECT voter_id, {", ".join(f"v.{column}" for column in columns)}
        FROM asked JOIN voters v USING (voter_id)""",  # noqa: S608
        {"ids": joined_parameter(ids)},
    ).fetchall()
    for voter_id, *codes in rows:
        for column, code in zip(columns, codes, strict=True):
            if code is not None:
                found[column][voter_id] = code
    return found


def districts_at_addresses_in(
    con: duckdb.DuckDBPyConnection, column: str, rows: list[tuple[int, str, str]]
) -> dict[int, str]:
    """Return {key: district code in *column*} for (key, ADDRESS, ZIP5) rows, already
    normalised, matching a registration's address; *column* is checked by the caller."""
    return districts_at_addresses_of_columns_in(con, [column], rows)[column]


def districts_at_addresses_of_columns_in(
    con: duckdb.DuckDBPyConnection, columns: list[str], rows: list[tuple[int, str, str]]
) -> dict[str, dict[int, str]]:
    """Return {column: {key: district code}} for (key, ADDRESS, ZIP5) rows, as
    `districts_at_addresses_in` per column (`any_value` skips nulls), in one pass."""
    found: dict[str, dict[int, str]] = {column: {} for column in columns}
    if not columns:
        return found
    matched = con.execute(
        f"""
        WITH asked AS MATERIALIZED (
            SELECT unnest({split_parameter("keys")})::BIGINT AS key,
                   unnest({split_parameter("addresses")}) AS address,
                   unnest({split_parameter("zips")}) AS zip)
        SELECT a.key, {", ".join(f"any_value(v.{column})" for column in columns)} FROM asked a
        JOIN voters v ON upper(v.address) = a.address AND left(v.zip, 5) = a.zip
        GROUP BY a.key""",  # noqa: S608 - the columns are checked
        {
            "keys": joined_parameter(key for key, _, _ in rows),
            "addresses": joined_parameter(address for _, address, _ in rows),
            "zips": joined_parameter(zip_code for _, _, zip_code in rows),
        },
    ).fetchall()
    for key, *codes in matched:
        for column, code in zip(columns, codes, strict=True):
            if code is not None:
                found[column][int(key)] = code
    return found
