"""The legislature pages: officials and the bloc, the platform, bills, roll calls, scorecards,
accountability, whip boards and the inside/outside calendar. The public scorecard page is in
`public_views`."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.forms import flash_errors, save_or_add_errors
from powerbase.legislature import calendar_feed, forms, queries, services
from powerbase.legislature.models import Chamber, RollCall, Stance, VoteOption

VIEW, MANAGE = "legislature.view", "legislature.manage"


def _back(actor: Actor, name: str, **kwargs):
    return redirect(f"legislature:{name}", org=actor.organization.slug, **kwargs)


def _form_page(request, form, title: str, button: str, intro: str = "", multipart=False):
    return render(
        request,
        "legislature/form_page.html",
        {"form": form, "title": title, "button": button, "intro": intro, "multipart": multipart},
    )


def _actions(actor: Actor):
    from powerbase.actions.models import Action

    if not actor.can("actions.view"):
        return Action.objects.none()
    return access.scoped(actor, Action.objects.all()).order_by("-starts_at")


# Officials and the bloc ---------------------------------------------------------------------


@org_view(VIEW)
def show_officials(request, actor: Actor):
    search = forms.OfficialSearchForm(request.GET or None)
    data = search.cleaned_data if search.is_valid() else {}
    officials = queries.officials(actor, chamber=data.get("chamber", ""), search=data.get("q", ""))
    in_bloc = queries.bloc_ids(actor.organization)
    if data.get("bloc"):
        officials = officials.filter(pk__in=in_bloc)
    return render(
        request,
        "legislature/officials.html",
        {
            "search": search,
            "officials": officials[:400],
            "count": officials.count(),
            "in_bloc": in_bloc,
            "bloc_size": len(in_bloc),
            "may_manage": actor.can(MANAGE),
            "boards": queries.whip_boards(actor).filter(is_live=True)[:5],
        },
    )


@org_view(MANAGE, methods=("GET", "POST"))
def official_new(request, actor: Actor):
    form = forms.OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        created = save_or_add_errors(form, lambda: services.create_official(actor=actor, **data))
        if created is not None:
            messages.success(request, f"Added {created}.")
            return _back(actor, "official", official_id=created.pk)
    return _form_page(
        request,
        form,
        "Add an official",
        "Add the official",
        "For a council member, a mayor, or anyone Open States does not list.",
    )


@org_view(MANAGE, methods=("GET", "POST"))
def official_edit(request, actor: Actor, official_id: int):
    official = queries.official(actor, official_id)
    form = forms.OfficialForm(request.POST or None, instance=official)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        official.refresh_from_db()  # the form wrote its values onto the instance
        save_or_add_errors(
            form, lambda: services.update_official(actor=actor, official=official, changes=changes)
        )
        if not form.errors:
            messages.success(request, f"Saved {official}.")
            return _back(actor, "official", official_id=official.pk)
    return _form_page(request, form, f"Edit {official}", "Save")


@org_view(MANAGE, methods=("GET", "POST"))
def official_import(request, actor: Actor):
    form = forms.PeopleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [
            (upload.name, upload.read().decode("utf-8", errors="replace"))
            for upload in form.cleaned_data["files"]
        ]
        summary = save_or_add_errors(form, lambda: services.import_people(actor=actor, files=files))
        if summary is not None:
            messages.success(
                request,
                f"Read {summary.total} officials: "
                f"{len(summary.created)} new, {len(summary.updated)} "
                f"updated, {summary.unchanged} unchanged.",
            )
            return _back(actor, "officials")
    return _form_page(
        request,
        form,
        "Import officials from Open States",
        "Import",
        "Re-importing updates officials in place. From the shell: "
        "powerbase officials import DIR --org " + actor.organization.slug,
        multipart=True,
    )


@org_view(VIEW)
def show_official(request, actor: Actor, official_id: int):
    official = queries.official(actor, official_id)
    may_manage = actor.can(MANAGE)
    return render(
        request,
        "legislature/official.html",
        {
            "official": official,
            "base": queries.district_base(actor, official),
            "bloc_history": queries.bloc_history(actor, official),
            "in_bloc": official.pk in queries.bloc_ids(actor.organization),
            "reports": queries.accountability(actor, official),
            "votes": queries.official_votes(actor, official),
            "scores": queries.scores_of(actor, official),
            "fights": queries.stances_of(actor, official),
            "targets": [t.action for t in official.action_targets.select_related("action")]
            if actor.can("actions.view")
            else [],
            "may_manage": may_manage,
            "bloc_form": forms.BlocJoinForm(initial={"joined_on": timezone.localdate()}),
            "pledge_form": forms.PledgeForm(
                demands=queries.demands(actor), initial={"pledged_on": timezone.localdate()}
            ),
            "target_form": forms.TargetForm(actions=_actions(actor)[:200]),
        },
    )


@org_view(MANAGE, methods=("POST",))
def bloc_join(request, actor: Actor, official_id: int):
    official = queries.official(actor, official_id)
    form = forms.BlocJoinForm(request.POST)
    if form.is_valid():
        try:
            services.join_bloc(actor=actor, official=official, **form.cleaned_data)
            messages.success(request, f"{official} is in the bloc.")
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Give the date they joined the bloc.")
    return _back(actor, "official", official_id=official.pk)


@org_view(MANAGE, methods=("POST",))
def bloc_leave(request, actor: Actor, membership_id: int):
    membership = queries.bloc_membership(actor, membership_id)
    try:
        services.leave_bloc(actor=actor, membership=membership)
        messages.success(request, f"{membership.official} left the bloc today.")
    except InvalidInput as error:
        messages.error(request, error.message)
    return _back(actor, "official", official_id=membership.official_id)


@org_view(MANAGE, methods=("POST",))
def pledge_new(request, actor: Actor, official_id: int):
    official = queries.official(actor, official_id)
    form = forms.PledgeForm(request.POST, demands=queries.demands(actor))
    if form.is_valid():
        try:
            services.record_pledge(actor=actor, official=official, **form.cleaned_data)
            messages.success(request, "Recorded the pledge.")
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Choose the demand and the date of the pledge.")
    return _back(actor, "official", official_id=official.pk)


@org_view(MANAGE, methods=("POST",))
def target_new(request, actor: Actor, official_id: int):
    official = queries.official(actor, official_id)
    form = forms.TargetForm(request.POST, actions=_actions(actor))
    if form.is_valid():
        services.target_official(actor=actor, action=form.cleaned_data["action"], official=official)
        messages.success(request, f"“{form.cleaned_data['action']}” is aimed at {official}.")
    else:
        messages.error(request, "Choose one of the organization's actions.")
    return _back(actor, "official", official_id=official.pk)


# Platform -----------------------------------------------------------------------------------


@org_view(VIEW)
def platforms(request, actor: Actor):
    rows = [(p, queries.version_in_force(p), p.versions.all()) for p in queries.platforms(actor)]
    return render(
        request,
        "legislature/platforms.html",
        {"rows": rows, "may_manage": actor.can(MANAGE), "form": forms.TitleForm()},
    )


@org_view(MANAGE, methods=("POST",))
def platform_new(request, actor: Actor):
    form = forms.TitleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A platform needs a title.")
        return _back(actor, "platforms")
    version = services.create_platform(actor=actor, title=form.cleaned_data["title"])
    return _back(actor, "platform_version", version_id=version.pk)


@org_view(VIEW)
def platform_version(request, actor: Actor, version_id: int):
    version = queries.platform_version(actor, version_id)
    return render(
        request,
        "legislature/platform_version.html",
        {
            "version": version,
            "may_manage": actor.can(MANAGE),
            "draft": version.adopted_on is None,
            "plank_form": forms.TitleForm(),
            "demand_form": forms.DemandForm(),
            "adopt_form": forms.AdoptForm(decisions=queries.adopting_decisions(actor)),
        },
    )


@org_view(MANAGE, methods=("POST",))
def plank_new(request, actor: Actor, version_id: int):
    version = queries.platform_version(actor, version_id)
    form = forms.TitleForm(request.POST)
    save_or_add_errors(
        form, lambda: services.add_plank(actor=actor, version=version, **form.cleaned_data)
    )
    flash_errors(request, form)
    return _back(actor, "platform_version", version_id=version.pk)


@org_view(MANAGE, methods=("POST",))
def demand_new(request, actor: Actor, plank_id: int):
    plank = queries.plank(actor, plank_id)
    form = forms.DemandForm(request.POST)
    save_or_add_errors(
        form, lambda: services.add_demand(actor=actor, plank=plank, **form.cleaned_data)
    )
    flash_errors(request, form)
    return _back(actor, "platform_version", version_id=plank.version_id)


@org_view(MANAGE, methods=("POST",))
def version_adopt(request, actor: Actor, version_id: int):
    version = queries.platform_version(actor, version_id)
    form = forms.AdoptForm(request.POST, decisions=queries.adopting_decisions(actor))
    save_or_add_errors(
        form, lambda: services.adopt_version(actor=actor, version=version, **form.cleaned_data)
    )
    if not flash_errors(request, form):
        messages.success(request, f"{version} is in force.")
    return _back(actor, "platform_version", version_id=version.pk)


@org_view(MANAGE, methods=("POST",))
def version_next(request, actor: Actor, platform_id: int):
    platform = queries.platform(actor, platform_id)
    version = services.new_version(actor=actor, platform=platform)
    messages.success(request, f"Started version {version.number}, a copy of the last one.")
    return _back(actor, "platform_version", version_id=version.pk)


# Bills --------------------------------------------------------------------------------------


@org_view(VIEW)
def bills(request, actor: Actor):
    return render(
        request,
        "legislature/bills.html",
        {
            "bills": queries.bills(actor).prefetch_related("demands")[:300],
            "may_manage": actor.can(MANAGE),
            "upload": forms.BillsUploadForm(),
        },
    )


@org_view(MANAGE, methods=("GET", "POST"))
def bill_new(request, actor: Actor):
    form = forms.BillForm(
        request.POST or None,
        initial={
            "jurisdiction": actor.organization.get_state_display(),
            "session": str(timezone.localdate().year),
        },
    )
    if request.method == "POST" and form.is_valid():
        created = save_or_add_errors(
            form, lambda: services.create_bill(actor=actor, **form.cleaned_data)
        )
        if created is not None:
            return _back(actor, "bill", bill_id=created.pk)
    return _form_page(request, form, "Add a bill", "Add the bill")


@org_view(MANAGE, methods=("POST",))
def bills_import(request, actor: Actor):
    form = forms.BillsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a .json file of Open States bills.")
        return _back(actor, "bills")
    upload = form.cleaned_data["file"]
    try:
        summary = services.import_bills(
            actor=actor,
            file_name=upload.name,
            text=upload.read().decode("utf-8-sig", errors="replace"),
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Bills: {len(summary.created)} new, "
            f"{len(summary.updated)} updated, {summary.actions} new "
            f"actions, {summary.votes.created} new roll calls.",
        )
    return _back(actor, "bills")


@org_view(VIEW)
def show_bill(request, actor: Actor, bill_id: int):
    bill = queries.bill(actor, bill_id)
    return render(
        request,
        "legislature/bill.html",
        {
            "bill": bill,
            "may_manage": actor.can(MANAGE),
            "position_form": forms.PositionForm(
                initial={"position": bill.position, "reason": bill.position_reason}
            ),
            "action_form": forms.BillActionForm(initial={"on": timezone.localdate()}),
            "demand_form": forms.DemandLinkForm(demands=queries.demands(actor)),
        },
    )


@org_view(MANAGE, methods=("POST",))
def bill_position(request, actor: Actor, bill_id: int):
    bill = queries.bill(actor, bill_id)
    form = forms.PositionForm(request.POST)
    if form.is_valid():
        services.set_position(actor=actor, bill=bill, **form.cleaned_data)
        messages.success(request, "Saved our position.")
    return _back(actor, "bill", bill_id=bill.pk)


@org_view(MANAGE, methods=("POST",))
def bill_action(request, actor: Actor, bill_id: int):
    bill = queries.bill(actor, bill_id)
    form = forms.BillActionForm(request.POST)
    save_or_add_errors(
        form, lambda: services.add_bill_action(actor=actor, bill=bill, **form.cleaned_data)
    )
    flash_errors(request, form)
    return _back(actor, "bill", bill_id=bill.pk)


@org_view(MANAGE, methods=("POST",))
def bill_demand(request, actor: Actor, bill_id: int):
    bill = queries.bill(actor, bill_id)
    form = forms.DemandLinkForm(request.POST, demands=queries.demands(actor))
    if form.is_valid():
        services.link_bill(actor=actor, demand=form.cleaned_data["demand"], bill=bill)
    else:
        messages.error(request, "Choose one of the platform's demands.")
    return _back(actor, "bill", bill_id=bill.pk)


# Roll calls ---------------------------------------------------------------------------------


@org_view(VIEW)
def roll_calls(request, actor: Actor):
    return render(
        request,
        "legislature/roll_calls.html",
        {
            "roll_calls": queries.roll_calls(actor)[:300],
            "may_manage": actor.can(MANAGE),
            "upload": forms.VotesUploadForm(),
            "chambers": queries.chambers_with_districts(),
        },
    )


@org_view(VIEW)
def show_roll_call(request, actor: Actor, roll_call_id: int):
    roll_call = queries.roll_call(actor, roll_call_id)
    return render(
        request,
        "legislature/roll_call.html",
        {"roll_call": roll_call, "tally": queries.tally(roll_call), "options": VoteOption.choices},
    )


@org_view(MANAGE, methods=("GET", "POST"))
def roll_call_new(request, actor: Actor):
    """The floor-session form: everyone starts at the usual vote; change the exceptions."""
    chamber = request.GET.get("chamber") or Chamber.UPPER
    if chamber not in Chamber.values:
        chamber = Chamber.UPPER
    default = request.GET.get("default", VoteOption.YES)
    default = default if default in VoteOption.values else VoteOption.YES
    form = forms.RollCallForm(
        request.POST or None,
        bills=queries.bills(actor),
        officials=queries.officials(actor, chamber=chamber).order_by("family_name", "name"),
        default=default,
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        votes = form.votes()
        result = data["result"] or _counted_result(votes)
        created = save_or_add_errors(
            form,
            lambda: services.record_roll_call(
                actor=actor,
                chamber=chamber,
                motion=data["motion"],
                on=data["on"],
                result=result,
                votes=votes,
                bill=data["bill"],
            ),
        )
        if created is not None:
            messages.success(request, f"Recorded the roll call: {created}.")
            return _back(actor, "roll_call", roll_call_id=created.pk)
    return render(
        request,
        "legislature/roll_call_form.html",
        {
            "form": form,
            "chamber": chamber,
            "chambers": queries.chambers_with_districts(),
            "default": default,
            "options": VoteOption.choices,
        },
    )


def _counted_result(votes: dict) -> str:
    options = list(votes.values())
    return (
        RollCall.Result.PASS
        if options.count(VoteOption.YES) > options.count(VoteOption.NO)
        else RollCall.Result.FAIL
    )


@org_view(MANAGE, methods=("POST",))
def votes_import(request, actor: Actor):
    form = forms.VotesUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a .json or .csv file of votes.")
        return _back(actor, "roll_calls")
    upload = form.cleaned_data["file"]
    text = upload.read().decode("utf-8-sig", errors="replace")
    importer = (
        services.import_vote_events
        if upload.name.lower().endswith(".json")
        else services.import_votes_csv
    )
    try:
        summary = importer(actor=actor, file_name=upload.name, text=text)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Imported {summary.created} new and {summary.updated} "
            f"updated roll calls ({summary.votes} votes).",
        )
    return _back(actor, "roll_calls")


# Scorecards and accountability --------------------------------------------------------------


@org_view(VIEW)
def scorecards(request, actor: Actor):
    return render(
        request,
        "legislature/scorecards.html",
        {
            "scorecards": queries.scorecards(actor),
            "may_manage": actor.can(MANAGE),
            "form": forms.ScorecardForm(initial={"session": str(timezone.localdate().year)}),
        },
    )


@org_view(MANAGE, methods=("POST",))
def scorecard_new(request, actor: Actor):
    form = forms.ScorecardForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A scorecard needs a title and a session.")
        return _back(actor, "scorecards")
    created = services.create_scorecard(actor=actor, **form.cleaned_data)
    return _back(actor, "scorecard", scorecard_id=created.pk)


@org_view(VIEW)
def show_scorecard(request, actor: Actor, scorecard_id: int):
    scorecard = queries.scorecard(actor, scorecard_id)
    results, chamber = queries.results(scorecard), request.GET.get("chamber", "")
    return render(
        request,
        "legislature/scorecard.html",
        {
            "scorecard": scorecard,
            "results": results,
            "may_manage": actor.can(MANAGE),
            "rows": results.in_chamber(chamber),
            "chamber": chamber,
            "chambers": queries.chambers_with_districts(),
            "form": forms.ScoreVoteForm(roll_calls=queries.roll_calls(actor)),
        },
    )


@org_view(MANAGE, methods=("POST",))
def scorecard_vote(request, actor: Actor, scorecard_id: int):
    scorecard = queries.scorecard(actor, scorecard_id)
    form = forms.ScoreVoteForm(request.POST, roll_calls=queries.roll_calls(actor))
    if form.is_valid():
        try:
            services.score_vote(actor=actor, scorecard=scorecard, **form.cleaned_data)
        except InvalidInput as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Choose a roll call, the right vote and a weight above 0.")
    return _back(actor, "scorecard", scorecard_id=scorecard.pk)


@org_view(MANAGE, methods=("POST",))
def scorecard_vote_remove(request, actor: Actor, scorecard_id: int, item_id: int):
    scorecard = queries.scorecard(actor, scorecard_id)
    item = queries.scorecard_item(actor, scorecard, item_id)
    services.unscore_vote(actor=actor, item=item)
    messages.success(request, f"Took “{item.roll_call}” off the scorecard.")
    return _back(actor, "scorecard", scorecard_id=scorecard.pk)


@org_view(MANAGE, methods=("POST",))
def scorecard_publish(request, actor: Actor, scorecard_id: int):
    scorecard = queries.scorecard(actor, scorecard_id)
    publish = request.POST.get("publish") == "1"
    services.publish_scorecard(actor=actor, scorecard=scorecard, publish=publish)
    messages.success(
        request,
        "Published: anyone with the link can see it."
        if publish
        else "Taken down: the public page no longer shows it.",
    )
    return _back(actor, "scorecard", scorecard_id=scorecard.pk)


@org_view(VIEW)
def accountability(request, actor: Actor):
    return render(
        request,
        "legislature/accountability.html",
        {"summary": queries.accountability_summary(actor)},
    )


# Whip boards --------------------------------------------------------------------------------


@org_view(VIEW)
def whip_boards(request, actor: Actor):
    boards = [(board, queries.whip_count(board)) for board in queries.whip_boards(actor)]
    return render(
        request, "legislature/whip_boards.html", {"boards": boards, "may_manage": actor.can(MANAGE)}
    )


@org_view(MANAGE, methods=("GET", "POST"))
def whip_board_new(request, actor: Actor):
    form = forms.WhipBoardForm(
        request.POST or None,
        demands=queries.demands(actor),
        bills=queries.bills(actor),
        campaigns=queries.campaigns(actor),
    )
    if request.method == "POST" and form.is_valid():
        board = save_or_add_errors(
            form, lambda: services.create_whip_board(actor=actor, **form.cleaned_data)
        )
        if board is not None:
            return _back(actor, "whip_board", board_id=board.pk)
    return _form_page(request, form, "New whip count", "Start the count")


@org_view(VIEW)
def whip_board(request, actor: Actor, board_id: int):
    board = queries.whip_board(actor, board_id)
    stance = request.GET.get("stance", "")
    return render(
        request,
        "legislature/whip_board.html",
        {
            "board": board,
            "count": queries.whip_count(board),
            "rows": queries.whip_rows(actor, board, stance=stance),
            "stance": stance,
            "stances": Stance.choices,
            "may_manage": actor.can(MANAGE),
        },
    )


@org_view(MANAGE, methods=("POST",))
def whip_board_live(request, actor: Actor, board_id: int):
    board = queries.whip_board(actor, board_id)
    live = request.POST.get("live") == "1"
    services.set_board_live(actor=actor, board=board, live=live)
    messages.success(
        request, "Reopened the count." if live else "Closed the count; its history stays."
    )
    return _back(actor, "whip_board", board_id=board.pk)


@org_view(MANAGE, methods=("POST",))
def whip_stance(request, actor: Actor, board_id: int, official_id: int):
    """Record a stance. htmx gets the official's row back, and the count out of band."""
    board = queries.whip_board(actor, board_id)
    official = queries.official(actor, official_id)
    form = forms.StanceForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.set_stance(actor=actor, board=board, official=official, **form.cleaned_data)
        except InvalidInput as problem:
            error = problem.message
    else:
        error = "Choose a stance."
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                f"Recorded {official} as {dict(Stance.choices)[form.cleaned_data['stance']]}.",
            )
        return _back(actor, "whip_board", board_id=board.pk)
    return render(
        request,
        "legislature/_whip_update.html",
        {
            "board": board,
            "row": queries.whip_row(actor, board, official),
            "count": queries.whip_count(board),
            "error": error,
            "stances": Stance.choices,
            "may_manage": True,
        },
    )


# The inside/outside calendar ----------------------------------------------------------------


@org_view(VIEW)
def calendar(request, actor: Actor):
    campaigns = queries.campaigns(actor)
    form = forms.CalendarFilterForm(request.GET or None, campaigns=campaigns)
    campaign = form.cleaned_data["campaign"] if form.is_valid() else None
    return render(
        request,
        "legislature/calendar.html",
        {
            "form": form,
            "campaign": campaign,
            "entries": queries.calendar(actor, campaign=campaign),
            "may_manage": actor.can(MANAGE),
        },
    )


@org_view(VIEW)
def calendar_ics(request, actor: Actor):
    campaigns = queries.campaigns(actor)
    form = forms.CalendarFilterForm(request.GET or None, campaigns=campaigns)
    campaign = form.cleaned_data["campaign"] if form.is_valid() else None
    entries = queries.calendar(actor, campaign=campaign)
    body = calendar_feed.feed(actor.organization, entries, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{actor.organization.slug}-inside-outside.ics"'
    )
    return response


@org_view(MANAGE, methods=("GET", "POST"))
def event_new(request, actor: Actor):
    form = forms.InsideEventForm(
        request.POST or None, campaigns=queries.campaigns(actor), bills=queries.bills(actor)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        save_or_add_errors(form, lambda: services.create_inside_event(actor=actor, **data))
        if not form.errors:
            messages.success(request, f"Added {data['title']} to the calendar.")
            return _back(actor, "calendar")
    return _form_page(
        request,
        form,
        "Add an inside event",
        "Add to the calendar",
        "Hearings, committee and floor votes, budget deadlines.",
    )
