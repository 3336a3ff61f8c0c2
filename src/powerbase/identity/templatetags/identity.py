"""Sections other apps' pages include: a person's voter match and merged records, and the
people of a district. They read through `identity.queries`, as the actor of the request.

    {% load identity %}{% voter_match person %}        on the person page
    {% load identity %}{% district_people district %}  on the district page
    {% load identity %}{% base_definition %}           what "the base" and "a leader" mean
"""

from django import template

from powerbase.core import access
from powerbase.identity import base, queries

register = template.Library()


@register.inclusion_tag("identity/_person_section.html", takes_context=True)
def voter_match(context, person) -> dict:
    actor = context.get("actor")
    if actor is None:
        return {"shown": False}
    return {
        "shown": actor.can("voterfile.view") or actor.can("identity.review"),
        "actor": actor,
        "person": person,
        "match": queries.voter_match(actor, person),
        # The registered address is a home address: it follows the sharing terms.
        "home_address": access.person_visibility(actor, person).home_address,
        "merges": queries.merged_into(actor, person),
        "may_review": actor.can("identity.review"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("identity/_district_section.html", takes_context=True)
def district_people(context, district) -> dict:
    actor = context.get("actor")
    found = queries.district_people(actor, district) if actor is not None else None
    return {"actor": actor, "district": district, "found": found}


@register.simple_tag
def base_definition() -> str:
    """Say what the base, a leader and placing people in districts mean (identity.base)."""
    return base.DEFINITION
