"""A volunteer's canvassing pages, opened with a link instead of an account.

The link's token names one organization and one turf (through its `CanvassLink` row): the
volunteer sees that turf's doors and nothing else. A wrong, expired or revoked token gets the
same plain page, naming no organization. Pages are never cached.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from powerbase.core.decorators import public_view
from powerbase.core.exceptions import NotFound
from powerbase.field import queries, services
from powerbase.field.views import canvass_context, record_door


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


def _closed(request) -> HttpResponse:
    return _private(render(request, "field/volunteer_closed.html", status=404))


@public_view
@require_http_methods(["GET"])
def volunteer(request, link_token: str):
    try:
        link = services.open_link(link_token)
    except NotFound:
        return _closed(request)
    turf = link.turf

    def door_url(door):
        return reverse(
            "field:volunteer_door", kwargs={"link_token": link_token, "door_id": door.pk}
        )

    rows = queries.walk_list(turf)
    return _private(
        render(
            request,
            "field/canvass.html",
            {
                **canvass_context(turf, rows, door_url),
                "directions": queries.directions(rows),
                "link": link,
                "organization": link.organization,
            },
        )
    )


@public_view
@require_http_methods(["POST"])
def volunteer_door(request, link_token: str, door_id: int):
    try:
        link = services.open_link(link_token)
        door = queries.door(link.turf, door_id)
    except NotFound:
        return _closed(request)
    return _private(
        record_door(
            request,
            door,
            door_url=request.path,
            link=link,
            back=reverse("field:volunteer", kwargs={"link_token": link_token}),
        )
    )
