"""`{{ amount_cents|money:currency }}`: an amount in cents shown per locale.

`{% load money %}{% member_dues person %}`: the person page's dues section, showing only the
dues the sharing terms let the request's actor see (`queries.member_dues_of`).
"""

from django import template

from powerbase.money import queries, services
from powerbase.money.amounts import format_cents
from powerbase.money.forms import MemberDuesForm

register = template.Library()


@register.filter(name="money")
def money(cents: int | None, currency: str = "USD") -> str:
    return format_cents(cents, currency)


@register.inclusion_tag("money/_member_dues.html", takes_context=True)
def member_dues(context, person) -> dict:
    actor = context.get("actor")
    if actor is None:
        return {"shown": False}
    rows = queries.member_dues_of(actor, person)
    affiliates = queries.member_dues_affiliates(actor, person)
    to_the_ipo = actor.can(services.MANAGE)
    may_record = services.may_record_member_dues(actor) and bool(affiliates or to_the_ipo)
    return {
        "shown": bool(rows) or may_record,
        "actor": actor,
        "person": person,
        "rows": rows,
        "currency": queries.settings_for(actor.organization).currency,
        "form": MemberDuesForm(affiliates=affiliates, to_the_ipo=to_the_ipo)
        if may_record
        else None,
        "csrf_token": context.get("csrf_token"),
    }
