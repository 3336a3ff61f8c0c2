"""Read queries for affiliates, always through `access`."""

from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.models import AuditEntry


def affiliates(actor: Actor) -> QuerySet[Affiliate]:
    """Return the affiliates the actor may see: all of them, or an affiliate lead's own."""
    access.require(actor, "affiliates.view")
    return access.scoped(actor, Affiliate.objects.all())


def assignable_affiliates(actor: Actor) -> QuerySet[Affiliate]:
    """Return the affiliates an admin may scope an affiliate lead to."""
    access.require(actor, "members.manage")
    return access.scoped(actor, Affiliate.objects.all())


def affiliate_page(actor: Actor, affiliate_id: int) -> Affiliate:
    """Return one affiliate the actor may see, with its member counts."""
    return access.get(
        actor,
        affiliates(actor).annotate(
            active_members=Count("memberships", filter=Q(memberships__status="active"))
        ),
        pk=affiliate_id,
    )


def affiliates_with_counts(actor: Actor) -> QuerySet[Affiliate]:
    return affiliates(actor).annotate(
        active_members=Count("memberships", filter=Q(memberships__status="active"))
    )


def may_set_terms(actor: Actor, affiliate: Affiliate) -> bool:
    """The sharing-terms rule: an affiliate's own lead decides, or an owner or admin records
    terms agreed with an affiliate that has no lead in powerbase."""
    return actor.can("affiliates.manage") or access.leads_affiliate(actor, affiliate)


# Who looked at an affiliate's members --------------------------------------------------------

LOOK_KINDS = {
    "person.viewed": "viewed",
    "people.searched": "searched",
    "people.exported": "exported",
}


def member_access_log(actor: Actor, affiliate_id: int) -> tuple[Affiliate, QuerySet[AuditEntry]]:
    """Return one affiliate and the audit entries of anyone looking at or changing its members.

    Read from the audit log: views of a member's page, changes to a member (entries naming the
    person or a membership of this affiliate), and searches and exports that showed any of its
    members (they carry `members_of:<affiliate id>` with a count). Newest first.
    """
    access.require(actor, "affiliates.view_access")
    affiliate = access.get(actor, affiliates(actor), pk=affiliate_id)
    memberships = AffiliateMembership.objects.filter(affiliate=affiliate)
    members = memberships.annotate(key=Cast("person_id", CharField())).values("key")
    membership_keys = memberships.annotate(key=Cast("pk", CharField())).values("key")
    # The affiliate was reached through `access`, so its organization is the actor's own.
    entries = AuditEntry.objects.filter(organization=affiliate.organization).filter(
        Q(object_type="people.Person", object_id__in=members)
        | Q(object_type="coalition.AffiliateMembership", object_id__in=membership_keys)
        | Q(changes__has_key=f"{audit.MEMBERS_OF}{affiliate.pk}")
    )
    return affiliate, entries.order_by("-created_at", "-id")


def describe_look(entry: AuditEntry, affiliate: Affiliate) -> dict:
    """Return one access-log line as the affiliate's lead reads it."""
    kind = LOOK_KINDS.get(entry.action, "changed")
    count = (entry.changes or {}).get(f"{audit.MEMBERS_OF}{affiliate.pk}")
    if count is not None:
        what = f"{count} of your members"
    elif entry.object_type == "people.Person":
        what = entry.object_repr
    else:
        what = "a membership"
    return {
        "when": entry.created_at,
        "who": entry.actor_label or "—",
        "kind": kind,
        "action": entry.action,
        "what": what,
        "address": entry.ip_address or "",
    }
