"""The person picker's request side (the widget is core/_person_picker.html).

A picker's text box is usually named "q"; where a form already posts the typed text under
another name (assembly check-in's "person"), the picker asks with ?field=<that name>.

Every search for a person counts toward the role's pace (core.limits); past it the picker
shows `paced`'s message in place of results.
"""

from powerbase.core import limits
from powerbase.core.access import Actor
from powerbase.core.exceptions import LimitReached

MAX_QUERY = 100


def typed_query(request) -> str:
    """Return the text typed into the picker that sent *request*."""
    field = request.GET.get("field", "q")
    return request.GET.get(field, "").strip()[:MAX_QUERY]


def paced(actor: Actor, searchable: bool) -> str:
    """Count a search that will run toward *actor*'s pace; return the message to show in
    place of its results once past the pace, else ""."""
    if not searchable:
        return ""
    try:
        limits.count_search(actor)
    except LimitReached as error:
        return error.message
    return ""
