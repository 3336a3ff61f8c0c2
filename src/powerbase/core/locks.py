"""Named locks held until the current transaction ends, to serialize one kind of write.

On PostgreSQL an advisory transaction lock; on SQLite nothing is needed, because every
transaction is IMMEDIATE (config/settings.py): it takes the database's write lock up front,
so writers already run one at a time. Call inside `transaction.atomic()`.
"""

import zlib

from django.db import connection


def hold(name: str) -> None:
    """Wait for, then hold until commit or rollback, the lock called *name*."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(f"powerbase:{name}".encode())]
            )
