"""Write the audit log: one append-only entry per create, update, delete, export, sign-in,
failed sign-in and refusal.

Services call `record` inside the transaction of the change they make, so an entry exists
exactly when the change does. Sensitive values never reach the log: a model lists its
sensitive fields in `SENSITIVE_FIELDS`, and for those the entry keeps only that they changed.
A person's contact details (which an affiliate may withhold) are never written here either:
their entries name the person and say "changed" (`CONTACT_ACTIONS`), and `for_display` masks
entries written before that rule.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models, transaction

from powerbase.core import audit_chain
from powerbase.core.models import AuditEntry, Organization, User

if TYPE_CHECKING:
    from powerbase.core.access import Actor

# The address of the request being served; set by ClientAddressMiddleware, empty in the CLI.
client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "client_address", default=None
)

ALWAYS_SENSITIVE = frozenset({"password"})

# Callables told of every entry as it is written (inside its transaction): the API's webhooks
# listen here, so a change made from any page, command or key is announced the same way.
_listeners: list[Callable[[AuditEntry], None]] = []


def listen(callback: Callable[[AuditEntry], None]) -> None:
    """Call *callback* with each entry appended from now on (once per callback)."""
    if callback not in _listeners:
        _listeners.append(callback)


def record(
    actor: Actor | User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    organization: Organization | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append an entry saying *actor* did *action* to *obj*, with *changes* made safe to keep."""
    # An Actor carries its user (None for the command line and the system).
    user = actor if actor is None or isinstance(actor, User) else actor.user
    if organization is None:
        organization = getattr(actor, "organization", None)
    if not actor_label:
        # An actor with no user is the install itself: the command line or the system.
        actor_label = user.email if user is not None else getattr(actor, "label", "")
    return append(
        AuditEntry(
            organization=organization,
            actor=user if user is not None and user.pk else None,
            actor_label=actor_label[:254],
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            changes=redact(type(obj) if obj is not None else None, changes or {}),
            ip_address=client_address.get(),
        )
    )


def append(entry: AuditEntry) -> AuditEntry:
    """Link *entry* to the end of its organization's hash chain and save it."""
    # Stored as JSON and read back: hash what a later reader will see, not the Python objects.
    entry.changes = json.loads(json.dumps(entry.changes))
    if entry.ip_address:
        entry.ip_address = entry._meta.get_field("ip_address").get_prep_value(entry.ip_address)
    # No savepoint: an entry that cannot be written must undo the change it records.
    with transaction.atomic(savepoint=False):
        audit_chain.lock_chain(entry.organization_id)
        values = {name: getattr(entry, name) for name in audit_chain.CHAINED_FIELDS}
        entry.chain_hash = audit_chain.link(audit_chain.last_hash(entry.organization_id), values)
        entry.save(force_insert=True)
        for listener in _listeners:
            listener(entry)
    return entry


def record_denial(*, user: User, organization_slug: str, reason: str) -> AuditEntry:
    """Log that *user* tried to reach an organization they hold no role in."""
    organization = Organization.objects.filter(slug=organization_slug).first()
    return record(user, "access.denied", organization=organization, changes={"reason": reason})


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose value differs between two snapshots."""
    return {
        name: [plain(before.get(name)), plain(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def redact(model: type[models.Model] | None, changes: dict[str, Any]) -> dict[str, Any]:
    """Replace the values of sensitive fields with the word 'changed'."""
    sensitive = ALWAYS_SENSITIVE | frozenset(getattr(model, "SENSITIVE_FIELDS", ()))
    return {
        name: "changed" if name in sensitive else plain(value) for name, value in changes.items()
    }


def plain(value: Any) -> Any:
    """Make *value* storable as JSON without losing what a reader needs."""
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


# Affiliate sovereignty: what the log keeps and shows about members' contact details and
# about which affiliates' members an action touched.

CONTACT_ACTIONS = frozenset({"email.created", "phone.created", "address.created"})
CONTACT_OBJECT_TYPES = frozenset(
    {"people.EmailAddress", "people.PhoneNumber", "people.PostalAddress"}
)
MEMBERS_OF = "members_of:"


def members_by_affiliate(people: models.QuerySet) -> dict[str, int]:
    """Return {"members_of:<affiliate id>": count} for the people in *people* (a pk queryset).

    Stored with an export or a search, so an affiliate can find the entries that touched its
    members (`changes__has_key`) without the log holding every person's id.
    """
    memberships = apps.get_model("coalition", "AffiliateMembership").objects
    counts = (
        memberships.filter(person_id__in=people)
        .order_by()
        .values("affiliate_id")
        .annotate(n=models.Count("id"))
    )
    return {f"{MEMBERS_OF}{row['affiliate_id']}": row["n"] for row in counts}


def for_display(entry: AuditEntry) -> AuditEntry:
    """Set `shown_repr` and `shown_changes` on *entry*: what the audit page may print.

    Contact values are masked even in entries written before they stopped being stored.
    """
    contact = entry.action in CONTACT_ACTIONS or entry.object_type in CONTACT_OBJECT_TYPES
    entry.shown_repr = (
        "a person's contact detail"
        if entry.object_type in CONTACT_OBJECT_TYPES
        else entry.object_repr
    )
    entry.shown_changes = [
        (name, "changed" if contact or value == "changed" else _shown(value))
        for name, value in (entry.changes or {}).items()
    ]
    return entry


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return " → ".join("—" if v is None else str(v) for v in value)
    return str(value)
