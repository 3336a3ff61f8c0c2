"""Read queries for affiliates, always through `access`."""

from django.db.models import QuerySet

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
