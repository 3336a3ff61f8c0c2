"""Read queries of the money app, always through `access` for what a person asks to see.

not_in_good_standing(org)        affiliate id -> reason, for democracy's electorates (no actor:
                                 the voting rule applies to everyone alike)
dues_overview(actor)             every affiliate's dues position, for the dues page
affiliate_dues(actor, id)        one affiliate's schedules, invoices, payments and waivers
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.money.models import DuesSchedule, Invoice, MoneySettings, Payment, StandingWaiver
from powerbase.money.standing import Standing, not_in_good_standing, settings_for, standings

__all__ = ["not_in_good_standing", "settings_for", "standings"]

VIEW = "resources.view"


def settings(actor: Actor) -> MoneySettings:
    access.require(actor, VIEW)
    return settings_for(actor.organization)


def affiliates(actor: Actor) -> QuerySet[Affiliate]:
    access.require(actor, VIEW)
    return access.scoped(actor, Affiliate.objects.all())


def dues_overview(actor: Actor) -> list[Standing]:
    """Return each affiliate's dues position today, those with schedules or invoices first."""
    access.require(actor, VIEW)
    visible = set(affiliates(actor).values_list("id", flat=True))
    found = standings(actor.organization)
    return sorted(
        (s for s in found.values() if s.affiliate_id in visible),
        key=lambda s: (s.invoiced_cents == 0, s.affiliate_name),
    )


@dataclass(frozen=True)
class AffiliateDues:
    affiliate: Affiliate
    standing: Standing
    schedules: list[DuesSchedule]
    invoices: list[Invoice]
    payments: list[Payment]
    waivers: list[StandingWaiver]


def affiliate_dues(actor: Actor, affiliate_id: int) -> AffiliateDues:
    access.require(actor, VIEW)
    affiliate = access.get(actor, Affiliate, pk=affiliate_id)
    return AffiliateDues(
        affiliate=affiliate,
        standing=standings(actor.organization)[affiliate.pk],
        schedules=list(access.scoped(actor, DuesSchedule.objects.filter(affiliate=affiliate))),
        invoices=list(
            access.scoped(actor, Invoice.objects.filter(affiliate=affiliate)).order_by("-due_on")
        ),
        payments=list(access.scoped(actor, Payment.objects.filter(affiliate=affiliate))),
        waivers=list(access.scoped(actor, StandingWaiver.objects.filter(affiliate=affiliate))),
    )
