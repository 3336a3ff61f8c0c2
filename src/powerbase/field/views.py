"""The field program's pages: universes, turfs, walk and phone lists, and canvassing.

Organizers and data directors build universes and cut turfs (electoral.manage); anyone who may
canvass (field.canvass) opens a turf on their phone; a volunteer without an account canvasses
through a link (see `volunteer_views`).
"""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from powerbase.actions.models import LadderLevel
from powerbase.coalition import visibility
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.forms import flash_errors, save_or_add_errors
from powerbase.field import forms, lists, queries, services
from powerbase.field.models import Attempt
from powerbase.field.universes import UniverseFilter
from powerbase.people.models import Tag

VIEW, MANAGE, CANVASS = "electoral.view", "electoral.manage", "field.canvass"
VOTERS = "voterfile.view"
LIST_FIELDS = ("ladder_levels", "tags")


def _universe_form(actor: Actor, data=None, initial=None) -> forms.UniverseForm:
    return forms.UniverseForm(
        data,
        initial=initial,
        levels=access.scoped(actor, LadderLevel.objects.order_by("rank")),
        tags=access.scoped(actor, Tag.objects.all()),
    )


@org_view(VIEW)
def overview(request, actor: Actor):
    return render(
        request,
        "field/overview.html",
        {
            "universes": queries.universes(actor),
            "may_manage": actor.can(MANAGE),
            "may_canvass": actor.can(CANVASS),
        },
    )


@org_view(VIEW)
def universe_count(request, actor: Actor):
    """The live count under the universe form (htmx), from the filter as typed so far."""
    data = {key: request.GET.get(key) for key in request.GET}
    for key in LIST_FIELDS:
        data[key] = request.GET.getlist(key)
    counts, error = None, ""
    try:
        counts = services.count_universe(actor.organization, UniverseFilter.from_dict(data))
    except InvalidInput as problem:
        error = problem.message
    return render(request, "field/_counts.html", {"counts": counts, "error": error})


@org_view(MANAGE, methods=("GET", "POST"))
def universe_new(request, actor: Actor):
    # A district page links here with its district filled in (?district_kind=&districts=).
    prefill = {
        key: request.GET[key]
        for key in ("name", "district_kind", "districts")
        if key in request.GET
    }
    form = _universe_form(actor, request.POST or None, initial=prefill)
    if request.method == "POST" and form.is_valid():
        universe = save_or_add_errors(
            form,
            lambda: services.save_universe(
                actor=actor, name=form.cleaned_data["name"], filters=form.filters(), **form.extras()
            ),
        )
        if universe is not None:
            return redirect("field:universe", org=actor.organization.slug, universe_id=universe.pk)
    return render(request, "field/universe_form.html", {"form": form, "universe": None})


@org_view(MANAGE, methods=("GET", "POST"))
def universe_edit(request, actor: Actor, universe_id: int):
    universe = queries.universe(actor, universe_id)
    form = _universe_form(
        actor, request.POST or None, initial=forms.UniverseForm.initial_from(universe)
    )
    if request.method == "POST" and form.is_valid():
        save_or_add_errors(
            form,
            lambda: services.save_universe(
                actor=actor,
                universe=universe,
                name=form.cleaned_data["name"],
                filters=form.filters(),
                **form.extras(),
            ),
        )
        if not form.errors:
            return redirect("field:universe", org=actor.organization.slug, universe_id=universe.pk)
    return render(request, "field/universe_form.html", {"form": form, "universe": universe})


@org_view(VIEW)
def universe(request, actor: Actor, universe_id: int):
    universe = queries.universe(actor, universe_id)
    return render(
        request,
        "field/universe.html",
        {
            "universe": universe,
            "turfs": queries.turfs(actor, universe),
            "described": UniverseFilter.from_dict(universe.filters).describe(),
            "progress": queries.universe_progress(actor, universe),
            "districts": queries.progress_by_district(actor, universe),
            "days": queries.progress_by_day(actor, universe),
            "cut_form": forms.CutForm(),
            "may_manage": actor.can(MANAGE),
        },
    )


@org_view(MANAGE, methods=("POST",))
def universe_cut(request, actor: Actor, universe_id: int):
    universe = queries.universe(actor, universe_id)
    form = forms.CutForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Choose how many doors each turf should hold "
            f"({services.MIN_DOORS} to {services.MAX_DOORS}).",
        )
    elif universe.door_count > services.INLINE_CUT_DOORS:
        job = services.start_cut(
            actor=actor, universe=universe, doors_per_turf=form.cleaned_data["doors_per_turf"]
        )
        return redirect("core:job", org=actor.organization.slug, job_id=job.pk)
    else:
        try:
            turfs = services.cut_turfs(
                actor=actor, universe=universe, doors_per_turf=form.cleaned_data["doors_per_turf"]
            )
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Cut into {len(turfs)} turfs.")
    return redirect("field:universe", org=actor.organization.slug, universe_id=universe.pk)


@org_view(VIEW)
def turf(request, actor: Actor, turf_id: int):
    # The doors list voters by name: a role that may not read the voter file sees progress
    # on the universe page, not who lives where.
    access.require(actor, VOTERS)
    turf = queries.turf(actor, turf_id)
    rows = queries.walk_list(turf)
    may_manage = actor.can(MANAGE)
    return render(
        request,
        "field/turf.html",
        {
            "turf": turf,
            "rows": rows,
            "directions": queries.directions(rows),
            "progress": queries.turf_progress(turf),
            "goal_form": forms.GoalForm(initial={"goal": turf.goal}),
            "link_form": forms.LinkForm(),
            "links": queries.links(actor, turf) if may_manage else [],
            "assignment": queries.assignable(actor, turf) if may_manage else ([], []),
            "may_manage": may_manage,
            "may_canvass": actor.can(CANVASS),
        },
    )


@org_view(MANAGE, methods=("POST",))
def turf_goal(request, actor: Actor, turf_id: int):
    turf = queries.turf(actor, turf_id)
    form = forms.GoalForm(request.POST)
    save_or_add_errors(
        form, lambda: services.set_goal(actor=actor, turf=turf, goal=form.cleaned_data["goal"])
    )
    flash_errors(request, form)
    return redirect("field:turf", org=actor.organization.slug, turf_id=turf.pk)


@org_view(VIEW)
def turf_walk_list(request, actor: Actor, turf_id: int):
    """The printable walk list (PDF). Names and addresses leave the system: audited."""
    access.require(actor, VOTERS)
    turf = queries.turf(actor, turf_id)
    withheld = visibility.withheld_contact_people(actor, lists.member_ids(turf))
    pdf = lists.walk_list_pdf(turf, queries.walk_list(turf), withheld)
    audit.record(actor, "turf.walk_list_exported", turf)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="walk-list-turf-{turf.number}.pdf"'
    return response


@org_view(MANAGE)
def turf_phone_list(request, actor: Actor, turf_id: int):
    """The phone list (CSV) of a turf's voters. Phone numbers leave the system: audited."""
    turf = queries.turf(actor, turf_id)
    text = lists.phone_list_csv(
        turf, visibility.withheld_contact_people(actor, lists.member_ids(turf))
    )
    audit.record(actor, "turf.phone_list_exported", turf)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="phone-list-turf-{turf.number}.csv"'
    return response


@org_view(MANAGE, methods=("POST",))
def link_new(request, actor: Actor, turf_id: int):
    """Make a volunteer's link and show it once: only its hash is kept."""
    turf = queries.turf(actor, turf_id, permission=MANAGE)
    form = forms.LinkForm(request.POST)
    if form.is_valid():
        try:
            link, token = services.create_link(actor=actor, turf=turf, **form.cleaned_data)
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            url = request.build_absolute_uri(
                reverse("field:volunteer", kwargs={"link_token": token})
            )
            return render(request, "field/link_made.html", {"turf": turf, "link": link, "url": url})
    else:
        messages.error(request, "Say who the link is for, and for how many days (1 to 90).")
    return redirect("field:turf", org=actor.organization.slug, turf_id=turf.pk)


@org_view(MANAGE, methods=("POST",))
def turf_assign(request, actor: Actor, turf_id: int):
    """Give the turf to a canvasser (`user`), or take it back (`remove`)."""
    turf = queries.turf(actor, turf_id, permission=MANAGE)
    remove = request.POST.get("remove", "")
    try:
        user_id = int(request.POST.get("user") or remove)
        services.assign(actor=actor, turf=turf, user_id=user_id, assigned=not remove)
    except ValueError:
        messages.error(request, "Choose a canvasser.")
    except (InvalidInput, NotFound) as error:
        messages.error(request, error.message)
    return redirect("field:turf", org=actor.organization.slug, turf_id=turf.pk)


@org_view(MANAGE, methods=("POST",))
def link_revoke(request, actor: Actor, link_id: int):
    link = queries.link(actor, link_id)
    services.revoke_link(actor=actor, link=link)
    messages.success(request, f"The link for {link.label} no longer opens the turf.")
    return redirect("field:turf", org=actor.organization.slug, turf_id=link.turf_id)


# Canvassing (signed in) -------------------------------------------------------------------


@org_view(CANVASS)
def canvass_turfs(request, actor: Actor):
    return render(
        request,
        "field/canvass_turfs.html",
        {"mine": queries.my_turfs(actor), "turfs": queries.canvass_turfs(actor)},
    )


def canvass_context(turf, rows, door_url) -> dict:
    """What the phone page needs: doors in order, each with its form address and a fresh key
    that makes a retried submission count once."""
    for row in rows:
        row.post_url = door_url(row.door)
        row.client_key = uuid.uuid4().hex
    return {
        "turf": turf,
        "rows": rows,
        "progress": queries.turf_progress(turf),
        "survey": turf.universe.survey,
        "results": Attempt.Result.choices,
        "scale": turf.universe.support_scale,
        "script": turf.universe.script,
    }


@org_view(CANVASS)
def canvass(request, actor: Actor, turf_id: int):
    turf = queries.turf(actor, turf_id, permission=CANVASS)

    def door_url(door):
        return reverse(
            "field:canvass_door",
            kwargs={"org": actor.organization.slug, "turf_id": turf.pk, "door_id": door.pk},
        )

    rows = queries.walk_list(turf)
    return render(
        request,
        "field/canvass.html",
        {**canvass_context(turf, rows, door_url), "directions": queries.directions(rows)},
    )


@org_view(CANVASS, methods=("POST",))
def canvass_door(request, actor: Actor, turf_id: int, door_id: int):
    turf = queries.turf(actor, turf_id, permission=CANVASS)
    door = queries.door(turf, door_id)
    return record_door(
        request,
        door,
        door_url=request.path,
        back=reverse("field:canvass", kwargs={"org": actor.organization.slug, "turf_id": turf.pk}),
        actor=actor,
    )


def record_door(request, door, *, door_url: str, back: str, actor=None, link=None):
    """Record the posted result at *door*; answer htmx with the door and the progress, a plain
    form post with a redirect back to the list."""
    answers = {
        question["key"]: request.POST.get(question["key"], "")
        for question in door.turf.universe.survey
    }
    error = ""
    try:
        services.record_attempt(
            actor=actor,
            link=link,
            door=door,
            result=request.POST.get("result", ""),
            support=request.POST.get("support") or None,
            answers=answers,
            voter_id=request.POST.get("voter_id", ""),
            note=request.POST.get("note", ""),
            client_key=request.POST.get("client_key", ""),
        )
    except InvalidInput as problem:
        error = problem.message
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(f"{back}#door-{door.pk}")
    row = queries.door_row(door)
    context = canvass_context(door.turf, [row], lambda _: door_url)
    return render(
        request,
        "field/_door_saved.html",
        {**context, "row": row, "error": error, "open": bool(error)},
    )
