"""The OSDI resources on Action Network's paths, and the settings page for keys and webhooks.

Each handler: parse, look up through `api.queries` (access decides), call a service, translate
with `api.osdi`. Handlers return (status, document); `endpoints.endpoint` does the rest.
"""

from functools import partial

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render

from powerbase.api import osdi, queries, services
from powerbase.api.endpoints import ApiError, Caller, Operation, endpoint
from powerbase.core import access
from powerbase.core.decorators import org_view, public_view
from powerbase.core.exceptions import InvalidInput, PowerbaseError
from powerbase.people import services as people_services


def _page(request, rel: str, path: str, rows, render_one) -> tuple[int, dict]:
    """Return one page of *rows* (a queryset or list) as a collection document."""
    paging = queries.paging(request.GET)
    total = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    start, end = paging.bounds
    documents = [render_one(row) for row in rows[start:end]]
    return 200, osdi.collection(
        request, rel, documents, page=paging.page, per_page=paging.per_page, total=total, path=path
    )


def _person_document(request, caller: Caller, person) -> dict:
    return osdi.person(request, person, access.person_visibility(caller.actor, person))


# Entry point ------------------------------------------------------------------------------


def entry_point(request, caller: Caller):
    links = {
        rel: {"href": osdi.url(request, path)}
        for rel, path in (
            ("osdi:people", "people"),
            ("osdi:tags", "tags"),
            ("osdi:lists", "lists"),
            ("osdi:events", "events"),
            ("osdi:person_signup_helper", "people"),
        )
    }
    return 200, {
        "motd": f"powerbase OSDI API for {caller.actor.organization.name}",
        "vendor_name": "powerbase",
        "product_name": "powerbase",
        "osdi_version": "1.1.1",
        "max_pagesize": queries.MAX_PER_PAGE,
        "_links": {"self": {"href": osdi.url(request, "")}, **links, "curies": osdi.CURIES},
    }


# People -----------------------------------------------------------------------------------


def list_people(request, caller: Caller):
    found = queries.people_matching(caller.actor, request.GET.get("filter"))
    return _page(
        request, "osdi:people", "people", found, partial(_person_document, request, caller)
    )


def signup_person(request, caller: Caller, body: dict):
    person, _ = services.signup_person(actor=caller.actor, key=caller.key, body=body)
    return 200, _person_document(request, caller, queries.person(caller.actor, str(person.pk)))


def get_person(request, caller: Caller, person_id: str):
    return 200, _person_document(request, caller, queries.person(caller.actor, person_id))


def update_person(request, caller: Caller, body: dict, person_id: str):
    person = queries.person(caller.actor, person_id)
    document = services.read_person_document(body)
    services.apply_person_document(
        actor=caller.actor, key=caller.key, person=person, document=document
    )
    return 200, _person_document(request, caller, queries.person(caller.actor, str(person.pk)))


def person_taggings(request, caller: Caller, person_id: str):
    person = queries.person(caller.actor, person_id)
    return _page(
        request,
        "osdi:taggings",
        f"people/{person.pk}/taggings",
        queries.person_taggings(caller.actor, person),
        partial(osdi.tagging, request),
    )


def person_attendances(request, caller: Caller, person_id: str):
    person = queries.person(caller.actor, person_id)
    return _page(
        request,
        "osdi:attendances",
        f"people/{person.pk}/attendances",
        queries.person_attendances(caller.actor, person),
        lambda pair: osdi.attendance(request, *pair),
    )


# Tags and taggings --------------------------------------------------------------------------


def list_tags(request, caller: Caller):
    return _page(
        request, "osdi:tags", "tags", queries.tags(caller.actor), partial(osdi.tag, request)
    )


def create_tag(request, caller: Caller, body: dict):
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("A tag needs a 'name' (text).")
    tag = people_services.create_tag(actor=caller.actor, name=name)
    return 200, osdi.tag(request, tag)


def get_tag(request, caller: Caller, tag_id: str):
    return 200, osdi.tag(request, queries.tag(caller.actor, tag_id))


def list_taggings(request, caller: Caller, tag_id: str):
    tag = queries.tag(caller.actor, tag_id)
    return _page(
        request,
        "osdi:taggings",
        f"tags/{tag.pk}/taggings",
        queries.taggings(caller.actor, tag),
        partial(osdi.tagging, request),
    )


def create_tagging(request, caller: Caller, body: dict, tag_id: str):
    tag = queries.tag(caller.actor, tag_id)
    href = (
        ((body.get("_links") or {}).get("osdi:person") or {}).get("href")
        if isinstance(body.get("_links"), dict)
        else None
    )
    if not isinstance(href, str) or "/people/" not in href:
        raise InvalidInput(
            'Say whom to tag: {"_links": {"osdi:person": {"href": ".../api/v2/people/<id>"}}}.'
        )
    person = queries.person(caller.actor, href.rstrip("/").rsplit("/", 1)[1])
    tagging = services.tag_through_api(actor=caller.actor, key=caller.key, tag=tag, person=person)
    return 200, osdi.tagging(request, tagging)


def get_tagging(request, caller: Caller, tag_id: str, tagging_id: str):
    tag = queries.tag(caller.actor, tag_id)
    return 200, osdi.tagging(request, queries.tagging(caller.actor, tag, tagging_id))


def delete_tagging(request, caller: Caller, tag_id: str, tagging_id: str):
    tag = queries.tag(caller.actor, tag_id)
    tagging = queries.tagging(caller.actor, tag, tagging_id)
    people_services.untag_person(actor=caller.actor, person=tagging.person, tag=tag)
    return 200, {"notice": "This tagging was successfully deleted."}


# Lists --------------------------------------------------------------------------------------


def list_lists(request, caller: Caller):
    return _page(
        request,
        "osdi:lists",
        "lists",
        queries.saved_lists(caller.actor),
        partial(osdi.saved_list, request),
    )


def get_list(request, caller: Caller, list_id: str):
    return 200, osdi.saved_list(request, queries.saved_list(caller.actor, list_id))


def list_items(request, caller: Caller, list_id: str):
    saved = queries.saved_list(caller.actor, list_id)
    return _page(
        request,
        "osdi:items",
        f"lists/{saved.pk}/items",
        queries.list_items(caller.actor, saved),
        partial(osdi.item, request, saved.pk),
    )


# Events and attendances ---------------------------------------------------------------------


def list_events(request, caller: Caller):
    found = queries.events(caller.actor)
    # An action is not edited in place often enough to track: both dates are its creation.
    conditions = queries.parse_filter(request.GET.get("filter"), ("modified_date", "created_date"))
    found = found.filter(
        queries.date_filter(
            conditions, {"modified_date": "created_at", "created_date": "created_at"}
        )
    )
    return _page(request, "osdi:events", "events", found, partial(osdi.event, request))


def get_event(request, caller: Caller, event_id: str):
    return 200, osdi.event(request, queries.event(caller.actor, event_id))


def list_attendances(request, caller: Caller, event_id: str):
    event = queries.event(caller.actor, event_id)
    return _page(
        request,
        "osdi:attendances",
        f"events/{event.pk}/attendances",
        queries.attendances(caller.actor, event),
        lambda pair: osdi.attendance(request, *pair),
    )


def create_attendance(request, caller: Caller, body: dict, event_id: str):
    """OSDI's record attendance helper: a person document, matched or added, then an RSVP."""
    event = queries.event(caller.actor, event_id)
    access.require(caller.actor, "actions.manage")
    person, _ = services.signup_person(actor=caller.actor, key=caller.key, body=body)
    rsvp = services.rsvp_through_api(actor=caller.actor, event=event, person=person)
    return 200, osdi.attendance(request, rsvp, False)


def get_attendance(request, caller: Caller, event_id: str, attendance_id: str):
    event = queries.event(caller.actor, event_id)
    for record, attended in queries.attendances(caller.actor, event):
        if osdi.attendance_id(record) == attendance_id:
            return 200, osdi.attendance(request, record, attended)
    raise ApiError(404, "That attendance was not found, or you do not have access to it.")


# The addresses ------------------------------------------------------------------------------

READ = (400, 403, 404)
WRITE = (400, 403, 404, 409)


def _read(summary: str, handler, response: str, *, paged=False, filters=False) -> Operation:
    """A GET answering one document, or (*paged*) a page of a collection."""
    return Operation(
        "get", summary, handler, response=response, paged=paged, filters=filters, errors=READ
    )


def _write(method: str, summary: str, handler, request: str, response: str) -> Operation:
    return Operation(method, summary, handler, request=request, response=response, errors=WRITE)


def _delete(summary: str, handler) -> Operation:
    return Operation("delete", summary, handler, response="Notice", errors=WRITE)


entry = endpoint(
    "",
    "",
    Operation("get", "The API entry point", entry_point, response="EntryPoint", errors=(403,)),
)
people = endpoint(
    "people",
    "osdi:people",
    _read("List people", list_people, "Person", paged=True, filters=True),
    _write(
        "post",
        "Add or update a person (person signup helper)",
        signup_person,
        "PersonSignup",
        "Person",
    ),
)
person = endpoint(
    "people/{person_id}",
    "",
    _read("Get a person", get_person, "Person"),
    _write("put", "Update a person", update_person, "PersonSignup", "Person"),
)
person_taggings_view = endpoint(
    "people/{person_id}/taggings",
    "osdi:taggings",
    _read("A person's taggings", person_taggings, "Tagging", paged=True),
)
person_attendances_view = endpoint(
    "people/{person_id}/attendances",
    "osdi:attendances",
    _read("A person's attendances", person_attendances, "Attendance", paged=True),
)
tags = endpoint(
    "tags",
    "osdi:tags",
    _read("List tags", list_tags, "Tag", paged=True),
    _write("post", "Add a tag", create_tag, "TagInput", "Tag"),
)
tag = endpoint("tags/{tag_id}", "", _read("Get a tag", get_tag, "Tag"))
taggings = endpoint(
    "tags/{tag_id}/taggings",
    "osdi:taggings",
    _read("A tag's taggings", list_taggings, "Tagging", paged=True),
    _write("post", "Tag a person", create_tagging, "TaggingInput", "Tagging"),
)
tagging = endpoint(
    "tags/{tag_id}/taggings/{tagging_id}",
    "",
    _read("Get a tagging", get_tagging, "Tagging"),
    _delete("Remove a tagging", delete_tagging),
)
lists = endpoint("lists", "osdi:lists", _read("List saved lists", list_lists, "List", paged=True))
saved_list = endpoint("lists/{list_id}", "", _read("Get a saved list", get_list, "List"))
items = endpoint(
    "lists/{list_id}/items",
    "osdi:items",
    _read("The people a saved list finds", list_items, "Item", paged=True),
)
events = endpoint(
    "events",
    "osdi:events",
    _read("List events (actions)", list_events, "Event", paged=True, filters=True),
)
event = endpoint("events/{event_id}", "", _read("Get an event", get_event, "Event"))
attendances = endpoint(
    "events/{event_id}/attendances",
    "osdi:attendances",
    _read("An event's RSVPs and check-ins", list_attendances, "Attendance", paged=True),
    _write(
        "post",
        "RSVP a person (record attendance helper)",
        create_attendance,
        "PersonSignup",
        "Attendance",
    ),
)
attendance = endpoint(
    "events/{event_id}/attendances/{attendance_id}",
    "",
    _read("Get an attendance", get_attendance, "Attendance"),
)


@public_view
def openapi_json(request):
    """The OpenAPI description, generated from the addresses above."""
    from powerbase.api.openapi import describe

    return JsonResponse(describe(request), json_dumps_params={"indent": 1})


# Settings page: keys and webhooks -----------------------------------------------------------


@org_view("org.view")
def api_settings(request, actor):
    can_hook = actor.can("api.manage_webhooks")
    return render(
        request,
        "api/settings.html",
        {
            "keys": list(queries.keys(actor)),
            "new_secret": request.session.pop("api_new_secret", None),
            "can_manage_webhooks": can_hook,
            "subscriptions": list(queries.subscriptions(actor)) if can_hook else [],
            "deliveries": queries.recent_deliveries(actor) if can_hook else [],
            "events": _events(),
        },
    )


def _events():
    from powerbase.api.webhooks import EVENTS

    return EVENTS


@org_view("org.view", methods=("POST",))
def key_create(request, actor):
    try:
        made = services.create_key(actor=actor, name=request.POST.get("name", ""))
    except PowerbaseError as error:
        messages.error(request, error.message)
    else:
        # Shown once, on the next page; only its hash is kept.
        request.session["api_new_secret"] = made.secret
    return redirect("api:settings", org=actor.organization.slug)


@org_view("org.view", methods=("POST",))
def key_revoke(request, actor, key_id: int):
    services.revoke_key(actor=actor, key=queries.key(actor, key_id))
    messages.success(request, "The key was revoked: it no longer works.")
    return redirect("api:settings", org=actor.organization.slug)


@org_view("api.manage_webhooks", methods=("POST",))
def webhook_create(request, actor):
    try:
        services.subscribe(
            actor=actor, url=request.POST.get("url", ""), events=request.POST.getlist("events")
        )
    except PowerbaseError as error:
        messages.error(request, error.message)
    return redirect("api:settings", org=actor.organization.slug)


@org_view("api.manage_webhooks", methods=("POST",))
def webhook_remove(request, actor, webhook_id: int):
    services.unsubscribe(actor=actor, subscription=queries.subscription(actor, webhook_id))
    return redirect("api:settings", org=actor.organization.slug)
