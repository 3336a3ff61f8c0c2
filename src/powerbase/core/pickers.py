"""The person picker's request side (the widget is core/_person_picker.html).

A picker's text box is usually named "q"; where a form already posts the typed text under
another name (assembly check-in's "person"), the picker asks with ?field=<that name>.
"""

MAX_QUERY = 100


def typed_query(request) -> str:
    """Return the text typed into the picker that sent *request*."""
    field = request.GET.get("field", "q")
    return request.GET.get(field, "").strip()[:MAX_QUERY]
