"""Pages for campaigns, actions, commitments, check-in, the structure-test report, the ladder and
one-on-ones. The public sign-up page and calendar feed are in `public_views`."""

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import bulk_rsvps, charts, ladder, queries, report, services, signup
from powerbase.actions.forms import (
    ActionForm,
    BulkRsvpForm,
    CampaignForm,
    CheckInSearchForm,
    CommitmentForm,
    LadderLevelForm,
    OneOnOneForm,
    PersonSearchForm,
    StaffRsvpForm,
    WalkInForm,
)
from powerbase.actions.models import Action
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.forms import save_or_add_errors
from powerbase.core.pickers import paced, typed_query
from powerbase.people import queries as people_queries
from powerbase.people.labels import label_of, labelled

RSVP_RESULTS = 20

# Campaigns and actions ---------------------------------------------------------------------


@org_view("actions.view")
def actions(request, actor: Actor):
    upcoming, recent = queries.upcoming_and_recent(actor)
    return render(
        request,
        "actions/actions.html",
        {
            "upcoming": upcoming,
            "recent": recent,
            "campaigns": queries.campaigns(actor),
            "may_manage": actor.can("actions.manage"),
            "follow_ups": queries.follow_ups_due(actor) if actor.can("actions.check_in") else [],
        },
    )


@org_view("actions.manage", methods=("GET", "POST"))
def action_new(request, actor: Actor):
    form = ActionForm(
        request.POST or None,
        campaigns=queries.campaigns(actor),
        initial={"campaign": request.GET.get("campaign")},
    )
    created = request.method == "POST" and save_or_add_errors(
        form, lambda: services.create_action(actor=actor, **form.cleaned_data)
    )
    if created:
        messages.success(request, f"Scheduled “{created.title}”.")
        return redirect("actions:action", org=actor.organization.slug, action_id=created.pk)
    return render(request, "actions/action_form.html", {"form": form, "action": None})


@org_view("actions.manage", methods=("GET", "POST"))
def action_edit(request, actor: Actor, action_id: int):
    action = queries.action(actor, action_id)
    form = ActionForm(request.POST or None, instance=action, campaigns=queries.campaigns(actor))
    if request.method == "POST" and save_or_add_errors(
        form,
        lambda: services.update_action(
            actor=actor,
            action=action,
            changes={name: form.cleaned_data[name] for name in services.ACTION_FIELDS},
        ),
    ):
        messages.success(request, f"Saved “{action.title}”.")
        return redirect("actions:action", org=actor.organization.slug, action_id=action.pk)
    return render(request, "actions/action_form.html", {"form": form, "action": action})


@org_view("actions.view")
def show_action(request, actor: Actor, action_id: int):
    action = queries.action(actor, action_id)
    commitments = queries.commitments(actor, action)
    labelled(actor, [commitment.leader for commitment in commitments if commitment.leader])
    affiliates = queries.committable_affiliates(actor)
    may_commit = not action.has_started and (
        actor.can("actions.manage") or bool(actor.is_affiliate_scoped and actor.affiliate_ids)
    )
    form = CommitmentForm(affiliates=affiliates) if may_commit else None
    return render(
        request,
        "actions/action.html",
        {
            "action": action,
            "commitments": commitments,
            "commitment_form": form,
            "turnout": queries.turnout(actor, action),
            "may_manage": actor.can("actions.manage"),
            "may_check_in": actor.can("actions.check_in"),
            "public_url": request.build_absolute_uri(_sign_up_path(action)),
            "recruiter_links": _recruiter_links(request, action, commitments),
        },
    )


@org_view("actions.manage")
def rsvps(request, actor: Actor, action_id: int):
    """Staff RSVPs: find someone in the base and sign them up, with who brought them.

    The search answers as you type (htmx gets just the results); each result is labelled so
    people of the same name are told apart, and "Brought by" is one type-ahead picker.
    """
    action = queries.action(actor, action_id)
    search = PersonSearchForm(request.GET or None, label="Find someone")
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    searchable = people_queries.is_searchable(query)
    limit_message = paced(actor, searchable)
    context = {
        "action": action,
        "query": query,
        "searchable": searchable,
        "limit_message": limit_message,
        "found": []
        if limit_message
        else people_queries.to_choose_from(
            actor, queries.rsvp_people(actor), query, limit=RSVP_RESULTS
        ),
    }
    if request.htmx:
        return render(request, "actions/_rsvp_results.html", context)
    return render(
        request,
        "actions/rsvps.html",
        {
            **context,
            "search": search,
            "rsvps": queries.rsvps(actor, action),
            "turnout": queries.turnout(actor, action),
        },
    )


@org_view("actions.manage", methods=("POST",))
def rsvp_add(request, actor: Actor, action_id: int):
    action = queries.action(actor, action_id)
    form = StaffRsvpForm(request.POST)
    back = redirect("actions:rsvps", org=actor.organization.slug, action_id=action.pk)
    if not form.is_valid():
        messages.error(
            request,
            "Choose someone from the search results (and, if you like, "
            "the leader who brought them).",
        )
        return back
    person = queries.rsvp_person(actor, form.cleaned_data["person"])
    leader_id = form.cleaned_data["recruited_by"]
    try:
        leader = queries.committable_leader(actor, leader_id) if leader_id else None
    except NotFound:
        messages.error(
            request, "“Brought by” must be a leader action in the list: choose them again."
        )
        return back
    before = queries.turnout(actor, action).rsvped
    services.record_rsvp(
        actor=actor, action=action, person=person, credit=services.Credit(recruited_by=leader)
    )
    if queries.turnout(actor, action).rsvped > before:
        messages.success(request, f"{person.display_name} is signed up.")
    else:
        messages.warning(request, f"{person.display_name} had already RSVP'd.")
    return back


@org_view("actions.manage", methods=("GET", "POST"))
def rsvp_bulk(request, actor: Actor, action_id: int):
    """RSVPs in bulk: choose who, read the preview, confirm. Nothing is written before."""
    action = queries.action(actor, action_id)
    form = BulkRsvpForm(
        request.POST or None,
        saved_lists=bulk_rsvps.saved_list_choices(actor),
        affiliates=queries.committable_affiliates(actor),
    )
    plan = None
    if request.method == "POST":
        plan = save_or_add_errors(form, lambda: _bulk_plan(actor, action, form.cleaned_data))
        if plan is not None and "confirm" in request.POST and not plan.problems:
            new = save_or_add_errors(form, partial(_sign_up_plan, actor, action, plan))
            if new is not None:
                messages.success(
                    request,
                    f"Signed up {new} from the {plan.how}"
                    + (f"; {plan.already} had already RSVP'd." if plan.already else "."),
                )
                return redirect("actions:rsvps", org=actor.organization.slug, action_id=action.pk)
            plan = None
        if plan is not None:
            labelled(actor, plan.shown)
    return render(request, "actions/rsvp_bulk.html", {"action": action, "form": form, "plan": plan})


def _bulk_plan(actor: Actor, action: Action, data: dict) -> bulk_rsvps.Plan:
    """Return the preview of who the form names. What is wrong with the chosen list, affiliate
    or paste (including one that is gone) is that field's error."""
    field = {"list": "saved_list", "affiliate": "affiliate"}.get(data["source"], "pasted")
    try:
        if data["source"] == "list":
            return bulk_rsvps.from_saved_list(actor, action, data["saved_list"])
        if data["source"] == "affiliate":
            return bulk_rsvps.from_affiliate(actor, action, data["affiliate"])
        return bulk_rsvps.from_paste(actor, action, data["pasted"])
    except (InvalidInput, NotFound) as error:
        raise InvalidInput(error.message, field=field) from error


def _sign_up_plan(actor: Actor, action: Action, plan: bulk_rsvps.Plan) -> int:
    return services.record_rsvps_in_bulk(
        actor=actor, action=action, how=plan.how, people=plan.people, affiliate=plan.affiliate
    )


@org_view("actions.view")
def leader_pick(request, actor: Actor):
    """The "who commits" and "brought by" pickers' answers: leaders the actor may credit."""
    query = typed_query(request)
    searchable = people_queries.is_searchable(query)
    limit_message = paced(actor, searchable)
    return render(
        request,
        "core/_person_picker_options.html",
        {
            "query": query,
            "searchable": searchable,
            "limit_message": limit_message,
            "people": []
            if limit_message
            else people_queries.to_choose_from(actor, queries.leaders(actor), query),
        },
    )


@org_view("actions.view", methods=("POST",))
def commit(request, actor: Actor, action_id: int):
    """Set an affiliate's or a leader's commitment; the service decides who may."""
    action = queries.action(actor, action_id)
    form = CommitmentForm(request.POST, affiliates=queries.committable_affiliates(actor))
    if not form.is_valid():
        messages.error(
            request,
            "Choose who commits (an affiliate, or a leader action by name) "
            "and give a number of people.",
        )
        return redirect("actions:action", org=actor.organization.slug, action_id=action.pk)
    kind, pk = form.kind_and_id()
    try:
        if kind == "leader":
            leader = queries.committable_leader(actor, pk)  # NotFound unless theirs to credit
            commitment = services.set_commitment(
                actor=actor, action=action, leader=leader, number=form.cleaned_data["number"]
            )
        else:
            affiliate = queries.committable_affiliates(actor).get(pk=pk)
            commitment = services.set_commitment(
                actor=actor, action=action, affiliate=affiliate, number=form.cleaned_data["number"]
            )
    except (Conflict, InvalidInput) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Saved: {commitment}.")
    return redirect("actions:action", org=actor.organization.slug, action_id=action.pk)


@org_view("actions.manage", methods=("GET", "POST"))
def campaign_new(request, actor: Actor):
    form = CampaignForm(request.POST or None)
    created = request.method == "POST" and save_or_add_errors(
        form, lambda: services.create_campaign(actor=actor, **form.cleaned_data)
    )
    if created:
        messages.success(request, f"Started the campaign “{created.name}”.")
        return redirect("actions:campaign", org=actor.organization.slug, campaign_id=created.pk)
    return render(request, "actions/campaign_form.html", {"form": form, "campaign": None})


@org_view("actions.manage", methods=("GET", "POST"))
def campaign_edit(request, actor: Actor, campaign_id: int):
    campaign = queries.campaign(actor, campaign_id)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and save_or_add_errors(
        form,
        lambda: services.update_campaign(actor=actor, campaign=campaign, changes=form.cleaned_data),
    ):
        messages.success(request, f"Saved “{campaign.name}”.")
        return redirect("actions:campaign", org=actor.organization.slug, campaign_id=campaign.pk)
    return render(request, "actions/campaign_form.html", {"form": form, "campaign": campaign})


@org_view("actions.view")
def show_campaign(request, actor: Actor, campaign_id: int):
    """The campaign, its actions, and whether turnout is ratcheting up: a chart and a table."""
    campaign = queries.campaign(actor, campaign_id)
    trend = report.campaign_trend(actor, campaign)
    return render(
        request,
        "actions/campaign.html",
        {
            "campaign": campaign,
            "trend": trend,
            "chart": charts.trend_svg(trend),
            "rows": _trend_rows(trend),
            "may_manage": actor.can("actions.manage"),
        },
    )


# The structure-test report -------------------------------------------------------------------


@org_view("actions.view")
def structure_test(request, actor: Actor, action_id: int):
    action = queries.action(actor, action_id)
    return render(
        request,
        "actions/report.html",
        {"action": action, "report": report.structure_test(actor, action)},
    )


@org_view("actions.view")
def structure_test_csv(request, actor: Actor, action_id: int):
    action = queries.action(actor, action_id)
    response = HttpResponse(report.export_csv(actor, action), content_type="text/csv")
    name = f"structure-test-{action.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Check-in ------------------------------------------------------------------------------------


@org_view("actions.check_in")
def check_in(request, actor: Actor, action_id: int):
    """The door: search, tap to check in, add a walk-in, undo. htmx gets just the results."""
    action = queries.action(actor, action_id)
    search = CheckInSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    searchable = queries.is_searchable(query)
    limit_message = paced(actor, searchable)
    candidates = [] if limit_message else queries.check_in_search(actor, action, query)
    labelled(actor, [candidate.person for candidate in candidates])
    context = {
        "action": action,
        "search": search,
        "query": query,
        "candidates": candidates,
        "searchable": searchable,
        "limit_message": limit_message,
    }
    if request.htmx:
        return render(request, "actions/_check_in_results.html", context)
    return render(
        request,
        "actions/check_in.html",
        {
            **context,
            "walk_in": WalkInForm(),
            "checked_in": queries.checked_in(actor, action),
            "turnout": queries.turnout(actor, action),
        },
    )


@org_view("actions.check_in", methods=("POST",))
def check_in_person(request, actor: Actor, action_id: int):
    action = queries.action(actor, action_id)
    person_id = _int(request.POST.get("person"))
    if not person_id:
        messages.error(request, "Choose someone from the search results.")
        return _back_to_door(actor, action)
    person = queries.checkable_person(actor, person_id)
    _, created = services.check_in(actor=actor, action=action, person=person)
    if created:
        messages.success(request, f"Checked in {person.display_name}.")
    else:
        messages.warning(request, f"{person.display_name} was already checked in.")
    return _back_to_door(actor, action)


@org_view("actions.check_in", methods=("POST",))
def check_in_walk_in(request, actor: Actor, action_id: int):
    action = queries.action(actor, action_id)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"The walk-in was not added: {errors}")
        return _back_to_door(actor, action)
    walk_in = services.WalkIn(**form.cleaned_data)
    try:
        attendance, created = services.check_in_walk_in(actor=actor, action=action, walk_in=walk_in)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        name = attendance.person.display_name
        if created:
            messages.success(request, f"Checked in {name}.")
        else:
            messages.warning(request, f"{name} was already checked in.")
    return _back_to_door(actor, action)


@org_view("actions.check_in", methods=("POST",))
def undo_check_in(request, actor: Actor, action_id: int, attendance_id: int):
    action = queries.action(actor, action_id)
    attendance = queries.attendance(actor, action, attendance_id)
    services.undo_check_in(actor=actor, attendance=attendance)
    messages.success(request, f"Undid the check-in of {attendance.person.display_name}.")
    return _back_to_door(actor, action)


# Ladder ----------------------------------------------------------------------------------


@org_view("actions.view")
def ladder_page(request, actor: Actor):
    funnels = ladder.funnels(actor)
    return render(
        request,
        "actions/ladder.html",
        {
            "rungs": funnels.rungs,
            "by_affiliate": funnels.by_affiliate,
            "by_district": funnels.by_district,
            "delivered": report.leader_delivery(actor),
            "moves": ladder.recent_moves(actor),
            "may_manage": actor.can("actions.manage"),
        },
    )


@org_view("actions.manage", methods=("GET", "POST"))
def ladder_level(request, actor: Actor, level_id: int | None = None):
    level = queries.ladder_level(actor, level_id) if level_id else None
    form = LadderLevelForm(request.POST or None, instance=level)
    saved = request.method == "POST" and save_or_add_errors(
        form, lambda: ladder.save_level(actor=actor, level=level, values=form.values())
    )
    if saved:
        messages.success(
            request,
            f"Saved the rung “{saved.name}”. Recompute the ladder "
            "to place everyone by the new rule.",
        )
        return redirect("actions:ladder", org=actor.organization.slug)
    return render(request, "actions/ladder_level.html", {"form": form, "level": level})


@org_view("actions.manage", methods=("POST",))
def ladder_recompute(request, actor: Actor):
    job = ladder.start_recompute(actor=actor)
    return redirect("core:job", org=actor.organization.slug, job_id=job.pk)


# One-on-ones ---------------------------------------------------------------------------------


@org_view("actions.check_in")
def one_on_ones(request, actor: Actor):
    return render(
        request,
        "actions/one_on_ones.html",
        {
            "follow_ups": queries.follow_ups_due(actor),
            "meetings": queries.one_on_ones(actor)[:100],
            "search": PersonSearchForm(request.GET or None),
            "found": labelled(actor, queries.people_matching(actor, request.GET.get("q", "")))
            if actor.can("people.view")
            else [],
        },
    )


def _held_by(request, actor: Actor):
    """Who held the one-on-one: the picker's choice (checked again here, like every picked
    id), or on a fresh form the user's own record in the base, if they have one."""
    if request.method != "POST":
        return queries.own_person(actor)
    posted = request.POST.get("held_by_person", "")
    return queries.person_for_one_on_one(actor, int(posted)) if posted.isdigit() else None


@org_view("actions.check_in", methods=("GET", "POST"))
def one_on_one_new(request, actor: Actor, person_id: int):
    person = queries.person_for_one_on_one(actor, person_id)
    form = OneOnOneForm(request.POST or None)
    held_by = _held_by(request, actor)
    if request.method == "POST" and save_or_add_errors(
        form,
        lambda: services.log_one_on_one(
            actor=actor, person=person, held_by_person=held_by, **form.cleaned_data
        ),
    ):
        messages.success(request, f"Logged your one-on-one with {person.display_name}.")
        return redirect("actions:one_on_ones", org=actor.organization.slug)
    held_by_label = label_of(actor, held_by) if held_by is not None else None
    return render(
        request,
        "actions/one_on_one_form.html",
        {"form": form, "person": person, "held_by": held_by_label},
    )


@org_view("actions.check_in", methods=("POST",))
def follow_up_done(request, actor: Actor, one_on_one_id: int):
    meeting = queries.one_on_one(actor, one_on_one_id)
    services.finish_follow_up(actor=actor, meeting=meeting)
    messages.success(request, f"Marked the follow-up with {meeting.person.display_name} done.")
    return redirect("actions:one_on_ones", org=actor.organization.slug)


# Shared pieces -------------------------------------------------------------------------------


def _back_to_door(actor: Actor, action: Action):
    return redirect("actions:check_in", org=actor.organization.slug, action_id=action.pk)


def _sign_up_path(action: Action) -> str:
    return reverse(
        "actions:sign_up", kwargs={"org_slug": action.organization.slug, "action_id": action.pk}
    )


def _recruiter_links(request, action: Action, commitments) -> list[tuple[str, str]]:
    """Return (who, link) for each commitment: their own sign-up link, to credit them."""
    if not action.is_public or action.has_started:
        return []
    base = request.build_absolute_uri(_sign_up_path(action))
    return [
        (
            str(c.leader or c.affiliate),
            f"{base}?by="
            + signup.recruiter_token(
                action, leader=c.leader, affiliate=None if c.leader else c.affiliate
            ),
        )
        for c in commitments
    ]


def _trend_rows(trend: report.Trend) -> list[dict]:
    """Return the chart's figures as table rows: one per action, then one per affiliate."""
    return [
        {
            "point": point,
            "affiliates": [
                point.by_affiliate[name] for name in trend.affiliates if name in point.by_affiliate
            ],
        }
        for point in trend.points
    ]


def _int(raw) -> int:
    """Return *raw* as an id; 0 (which matches nobody, so the page answers 404) otherwise."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0
