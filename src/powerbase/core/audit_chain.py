"""Make the audit log tamper-evident: a hash chain per organization, and a check of it.

Every entry stores `chain_hash` = SHA-256 of the previous entry's hash (in the same
organization; sign-ins without one form their own chain) and the entry's own canonical content.
Changing, inserting or removing an entry in the middle breaks every hash after it, and
`powerbase audit verify` names the first entry that does not match. Removing the newest entries
cannot be told from their never having been written; the database triggers (append-only on
SQLite and PostgreSQL) are what stop that.

The chain holds no secret: someone able to write the database could rewrite a whole chain and
recompute its hashes. `heads` (printed by `powerbase audit verify`) gives each chain's last
hash; kept somewhere else (the operator's notes, a ticket), it shows such a rewrite later.

Appending takes a lock per chain (an advisory lock on PostgreSQL, the write lock of the
IMMEDIATE transaction on SQLite) so that two writers cannot both link to the same entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.db import connection

from powerbase.core import locks

# The fields a hash covers, in order. A new AuditEntry field that should be protected must be
# added here and the existing chains re-hashed by a migration.
CHAINED_FIELDS = (
    "organization_id",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip_address",
    "created_at",
)

# SQLite has no permissions to stop a raw UPDATE; these triggers refuse it as PostgreSQL's does.
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS core_auditentry_no_{verb.lower()} BEFORE {verb} ON "
    f"core_auditentry BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: {verb} on "
    f"core_auditentry is refused'); END"
    for verb in ("UPDATE", "DELETE")
)
SQLITE_DROP_TRIGGERS = (
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
)


def canonical(values: dict) -> str:
    """The entry's content as one string that reads the same on every database."""
    created_at = values["created_at"].astimezone(UTC).isoformat(timespec="microseconds")
    content = {name: values[name] for name in CHAINED_FIELDS} | {"created_at": created_at}
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def link(previous_hash: str, values: dict) -> str:
    """The hash of an entry with *values* that follows the entry whose hash is *previous_hash*."""
    return hashlib.sha256(f"{previous_hash}\n{canonical(values)}".encode()).hexdigest()


def lock_chain(organization_id: int | None) -> None:
    """Hold the chain of *organization_id* until the current transaction ends."""
    locks.hold(f"audit-chain:{organization_id}")


def last_hash(organization_id: int | None) -> str:
    """The hash at the end of the chain of *organization_id* ("" for an empty chain)."""
    # Raw SQL: this runs on every audited write, and compiling the ORM query cost more than
    # running it (the audit_chain_end index answers it at once).
    where = "organization_id IS NULL" if organization_id is None else "organization_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT chain_hash FROM core_auditentry WHERE {where} "  # noqa: S608
            "ORDER BY id DESC LIMIT 1",
            [] if organization_id is None else [organization_id],
        )
        row = cursor.fetchone()
    return row[0] if row else ""


@dataclass(frozen=True)
class Break:
    """The first entry of a chain whose hash does not match what it should be."""

    entry_id: int
    organization_id: int | None
    action: str
    created_at: object

    def __str__(self) -> str:
        chain = (
            f"organization #{self.organization_id}"
            if self.organization_id is not None
            else "entries without an organization"
        )
        return (
            f"Audit entry #{self.entry_id} ({self.action}, {self.created_at:%Y-%m-%d %H:%M}"
            f", in the chain of {chain}) does not match its hash: it was changed, or an "
            "entry before it was removed or inserted."
        )


def verify() -> tuple[int, list[Break]]:
    """Check every chain; return how many entries were checked and the first break of each."""
    from powerbase.core.models import AuditEntry

    checked, breaks = 0, []
    chains = AuditEntry.objects.order_by().values_list("organization_id", flat=True).distinct()
    for organization_id in sorted(set(chains), key=lambda pk: (pk is not None, pk or 0)):
        count, broken = _verify_chain(organization_id)
        checked += count
        if broken is not None:
            breaks.append(broken)
    return checked, breaks


def heads() -> dict[int | None, str]:
    """The last hash of every chain, by organization id (None: entries without one)."""
    from powerbase.core.models import AuditEntry

    chains = AuditEntry.objects.order_by().values_list("organization_id", flat=True).distinct()
    return {organization_id: last_hash(organization_id) for organization_id in set(chains)}


def _verify_chain(organization_id: int | None) -> tuple[int, Break | None]:
    previous, count = "", 0
    for values in _entries(organization_id):
        count += 1
        if link(previous, values) != values["chain_hash"]:
            return count, Break(
                values["id"], organization_id, values["action"], values["created_at"]
            )
        previous = values["chain_hash"]
    return count, None


def _entries(organization_id: int | None) -> Iterator[dict]:
    from powerbase.core.models import AuditEntry

    # Sign-in events, with no organization, make a chain of their own.
    chain = (
        AuditEntry.objects.filter(organization__isnull=True)
        if organization_id is None
        else AuditEntry.objects.filter(organization_id=organization_id)
    )
    return (
        chain.order_by("id").values("id", "chain_hash", *CHAINED_FIELDS).iterator(chunk_size=2000)
    )
