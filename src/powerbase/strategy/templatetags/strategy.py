"""Strategy-table pieces other apps' pages include without importing this app:

{% load strategy %}
{% decided_by campaign %}    the decisions that started, ended or funded a campaign, or
                             adopted a demand's platform version ("Decided by ... on ...")
{% my_tasks %}               the signed-in user's open tasks (the home page)
"""

from django import template
from django.utils import timezone

from powerbase.strategy import queries

register = template.Library()


@register.inclusion_tag("strategy/_decided_by.html", takes_context=True)
def decided_by(context, subject) -> dict:
    actor = context.get("actor")
    return {
        "actor": actor,
        "authorities": queries.decided_by(actor, subject) if actor is not None else [],
    }


@register.inclusion_tag("strategy/_my_tasks.html", takes_context=True)
def my_tasks(context) -> dict:
    actor = context.get("actor")
    return {
        "actor": actor,
        "user": context.get("user"),
        "request": context.get("request"),
        "actor_permissions": context.get("actor_permissions", frozenset()),
        "today": timezone.localdate(),
        "mine": queries.my_tasks(actor) if actor is not None else None,
    }
