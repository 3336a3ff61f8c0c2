"""`{{ amount_cents|money:currency }}`: an amount in cents shown per locale."""

from django import template

from powerbase.money.amounts import format_cents

register = template.Library()


@register.filter(name="money")
def money(cents: int | None, currency: str = "USD") -> str:
    return format_cents(cents, currency)
