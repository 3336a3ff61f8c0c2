"""Encrypt sensitive text at rest: notes about a person (immigration status, health).

A database file, a backup or a SQL prompt shows these columns only as Fernet tokens. The keys
come from settings.FIELD_ENCRYPTION_KEYS (read from POWERBASE_FIELD_KEYS in config/settings.py),
newest first: the newest encrypts, every key decrypts, so a new key can be put in front and
`powerbase keys rotate` re-encrypts the rows with it before the old key is dropped.

Encrypted columns cannot be searched or sorted in SQL; only put text here that nobody filters on.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "POWERBASE_FIELD_KEYS holds a key that is not a Fernet key (32 url-safe base64 "
            "bytes). Make one with `powerbase keys new`."
        ) from error


def fernet() -> MultiFernet:
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: set POWERBASE_FIELD_KEYS.")
    return _fernet(keys)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with any key in POWERBASE_FIELD_KEYS: the key "
            "that wrote it is missing from the list."
        ) from None


def new_key() -> str:
    return Fernet.generate_key().decode()


class EncryptedTextField(models.Field):
    """Text stored as a Fernet token; Python code sees the plain text.

    Deliberately not a TextField subclass: bulk writers (core.bulk) pass TextField values to the
    driver untouched, and this value must go through `get_db_prep_save` to be encrypted.
    """

    description = "Text encrypted at rest"

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def to_python(self, value):
        return value if value is None else str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(str(value))

    def get_lookup(self, lookup_name):
        # A token differs every time it is written: only "is null" can mean anything.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"widget": forms.Textarea, **kwargs})


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted columns, and the names of those columns."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


def rotate(batch: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column with the newest key; return rows rewritten per model."""
    from django.db import connection, transaction

    counts: dict[str, int] = {}
    multi = fernet()
    for model, names in encrypted_fields():
        table = connection.ops.quote_name(model._meta.db_table)
        # Every concrete field has a column; the test says so to the type checker.
        columns = [
            field.column
            for field in model._meta.concrete_fields
            if field.name in names and field.column is not None
        ]
        counts[model._meta.label] = _rotate_table(table, columns, multi, batch, transaction)
    return counts


def _rotate_table(
    table: str, columns: list[str], multi: MultiFernet, batch: int, transaction
) -> int:
    """Rewrite the tokens of *columns* in *table* in batches, each batch in one transaction."""
    from django.db import connection

    quoted = [connection.ops.quote_name(column) for column in columns]
    assignments = ", ".join(f"{column} = %s" for column in quoted)
    last_id, rewritten = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {', '.join(quoted)} FROM {table} WHERE id > %s "  # noqa: S608
                f"ORDER BY id LIMIT %s",
                [last_id, batch],
            )
            rows = cursor.fetchall()
            for row_id, *tokens in rows:
                fresh = [
                    None if token is None else multi.rotate(token.encode()).decode()
                    for token in tokens
                ]
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*fresh, row_id],
                )
        if not rows:
            return rewritten
        rewritten += len(rows)
        last_id = rows[-1][0]
