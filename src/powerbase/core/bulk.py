"""Insert many rows fast, for imports and loaders that write tens of thousands at a time.

Django's `bulk_create` builds a model instance and compiles SQL for every value, which caps
it near 20,000 values a second: far too slow for a 100,000-row list with seven facts a row.
`insert_rows` prepares each value with its field's own `get_db_prep_save` (so dates, JSON
and booleans are stored exactly as the ORM would store them) and sends the rows with one
`executemany`. `reserve_ids` hands out primary keys up front, so rows that point at new
people can be written without reading anything back.

Callers stay inside a transaction: these helpers write nothing the ORM would not.
"""

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

BATCH = 5000


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Return *count* primary keys for new rows of *model*, never handed out before.

    On PostgreSQL the table's sequence hands them out. On SQLite the write lock of the
    current transaction (IMMEDIATE) keeps the table's largest id stable until commit, so the
    keys after it are free; inserting them moves SQLite's AUTOINCREMENT counter past them.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids must run inside a transaction on SQLite.")
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(start, (row[0] + 1) if row else 1)
    return list(range(start, start + count))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT *rows* (tuples in the order of *columns*, by attname) into *model*'s table.

    Every other concrete column gets its field's default, as `Model()` would give it.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the real wrapper: the proxy costs a lookup per use
    given = [_concrete_field(model, name) for name in columns]
    rest = [
        field
        for field in model._meta.concrete_fields
        if field not in given and not field.primary_key
    ]
    defaults = tuple(field.get_db_prep_save(field.get_default(), db) for field in rest)
    converters = [_converter(field, db) for field in given]
    table = db.ops.quote_name(model._meta.db_table)
    names = ", ".join(db.ops.quote_name(_column(field)) for field in given + rest)
    placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    prepared = (
        (
            *(
                convert(value) if convert else value
                for convert, value in zip(converters, row, strict=True)
            ),
            *defaults,
        )
        for row in rows
    )
    if db.vendor == "postgresql":
        return _copy(db, table, names, prepared)
    written = 0
    batch: list[tuple] = []
    with db.cursor() as cursor:
        for row in prepared:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def upsert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    unique: Sequence[str],
    update: Sequence[str],
) -> int:
    """INSERT *rows* (tuples in the order of *columns*, by attname) into *model*'s table; a
    row whose *unique* columns match one already there updates its *update* columns instead.

    What `bulk_create(update_conflicts=True)` does, without a model instance and a compiled
    statement per row: a voter-file import refreshes thousands of districts, and building
    them as instances took a fifth of a 200,000-row import. `INSERT ... ON CONFLICT DO
    UPDATE` is the same statement on SQLite (3.24+) and PostgreSQL.
    """
    db = connections[DEFAULT_DB_ALIAS]
    given = [_concrete_field(model, name) for name in columns]
    rest = [
        each for each in model._meta.concrete_fields if each not in given and not each.primary_key
    ]
    defaults = tuple(each.get_db_prep_save(each.get_default(), db) for each in rest)
    converters = [_converter(each, db) for each in given]
    quote = db.ops.quote_name
    names = ", ".join(quote(_column(each)) for each in given + rest)
    placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
    conflict = ", ".join(quote(_column(_concrete_field(model, name))) for name in unique)
    updated = [quote(_column(_concrete_field(model, name))) for name in update]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in updated)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608
        f"VALUES ({placeholders}) ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    if any(converters):
        prepared = [
            (
                *(
                    convert(value) if convert else value
                    for convert, value in zip(converters, row, strict=True)
                ),
                *defaults,
            )
            for row in rows
        ]
    else:  # the common case (text, numbers, keys): the driver takes the values as they are
        prepared = [(*row, *defaults) for row in rows]
    with db.cursor() as cursor:
        for start in range(0, len(prepared), BATCH):
            cursor.executemany(sql, prepared[start : start + BATCH])
    return len(prepared)


def _copy(db, table: str, names: str, rows: Iterable[tuple]) -> int:
    """Send rows with PostgreSQL's COPY: one stream instead of a statement per row."""
    written = 0
    with db.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def in_chunks(values: Sequence, db_alias: str = DEFAULT_DB_ALIAS):
    """Yield *values* in slices small enough for one `__among` (or `__in`) on this database.

    SQLite allows 999 parameters per statement on older builds. On PostgreSQL `__among` sends
    one array whatever its length, and every round trip saved counts when a list has 100,000
    emails to look up.
    """
    size = 50_000 if connections[db_alias].vendor == "postgresql" else 900
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The field of *model* stored in its table as *name* (a field name or attname)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model._meta.label}.{name} is not a column of its table.")
    return field


def _column(field: models.Field) -> str:
    if field.column is None:  # only a field with no column of its own (never concrete)
        raise ValueError(f"{field} has no column.")
    return field.column


# Values of these fields go to the database driver as they are (str, int, bool, None).
_PASS_THROUGH = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _converter(field: models.Field, db):
    """Return how to prepare a value of *field*, or None when the driver takes it as it is.

    Rows of one write often share a value (the same `now` on every row): the last value and
    its prepared form are remembered.
    """
    if isinstance(field, _PASS_THROUGH) and not isinstance(field, models.JSONField):
        return None
    last = [object(), None]

    def convert(value):
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, db)
        return last[1]

    return convert


@models.Field.register_lookup
class Among(models.lookups.In):
    """`field__among=values`: `IN (...)`, except on PostgreSQL, where it is `= ANY(%s)` with
    the values as one array parameter.

    psycopg reads a query's text for its placeholders, and with 20,000 of them in an IN list
    that reading cost more than the database's answer (a third of an import's matching).
    """

    lookup_name = "among"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [
            field.get_db_prep_value(value, connection, prepared=False)
            for value in self.rhs
            if value is not None
        ]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
