"""Read queries for affiliates, always through `access`."""

from django.db.models import Count, Q, QuerySet

from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor


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
    return access.get(actor, affiliates(actor).annotate(
        active_members=Count("memberships", filter=Q(memberships__status="active"))),
        pk=affiliate_id)


def affiliates_with_counts(actor: Actor) -> QuerySet[Affiliate]:
    return affiliates(actor).annotate(
        active_members=Count("memberships", filter=Q(memberships__status="active")))


def may_set_terms(actor: Actor, affiliate: Affiliate) -> bool:
    return actor.can("affiliates.manage") or affiliate.pk in actor.affiliate_ids
