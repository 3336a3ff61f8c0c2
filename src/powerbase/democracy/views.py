"""The organization's democracy pages: votes, electorates, delegates, governing bodies,
assemblies and proposals. The voters' own pages are in `voter_views`."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from powerbase.coalition import queries as coalition_queries
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.forms import flash_errors, save_or_add_errors
from powerbase.democracy import ballot_sets, electorates, fingerprints, forms, queries, services
from powerbase.democracy.models import Amendment, BallotCandidate, Delegate, Vote
from powerbase.democracy.voter_views import ballot_file_response

VIEW, MANAGE = "democracy.view", "democracy.manage"
ROLL_PAGE_SIZE = 50


def _back(actor: Actor, name: str, **kwargs):
    return redirect(f"democracy:{name}", org=actor.organization.slug, **kwargs)


def _person(actor: Actor, form, field: str):
    """Look up the person named in *field*, or None if it is empty; not finding them is an
    error of that field, so the form shows it there."""
    text = form.cleaned_data.get(field) or ""
    if not text.strip():
        return None
    try:
        return queries.find_person(actor, text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from error


def _affiliates(actor: Actor):
    return (
        coalition_queries.affiliates(actor)
        if actor.can("affiliates.view")
        else Affiliate.objects.none()
    )


# Overview ----------------------------------------------------------------------------------


@org_view(VIEW)
def overview(request, actor: Actor):
    return render(
        request,
        "democracy/overview.html",
        {
            "votes": queries.votes(actor)[:50],
            "assemblies": queries.assemblies(actor)[:20],
            "proposals": queries.proposals(actor)[:20],
            "decisions": queries.decisions(actor)[:20],
            "may_manage": actor.can(MANAGE),
        },
    )


# Electorates -------------------------------------------------------------------------------


@org_view(VIEW)
def electorate_list(request, actor: Actor):
    return render(
        request,
        "democracy/electorates.html",
        {"electorates": queries.electorate_list(actor), "may_manage": actor.can(MANAGE)},
    )


@org_view(MANAGE, methods=("GET", "POST"))
def electorate_new(request, actor: Actor):
    form = forms.ElectorateForm(
        request.POST or None, affiliates=_affiliates(actor), bodies=queries.bodies(actor)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = save_or_add_errors(
            form,
            lambda: services.create_electorate(
                actor=actor,
                name=data["name"],
                kind=data["kind"],
                affiliates=list(data["affiliates"]),
                governing_body=data["governing_body"],
            ),
        )
        if created is not None:
            messages.success(request, f"Added the electorate “{created}”.")
            return _back(actor, "electorate", electorate_id=created.pk)
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": "New electorate", "button": "Add the electorate"},
    )


@org_view(VIEW)
def show_electorate(request, actor: Actor, electorate_id: int):
    electorate = queries.electorate(actor, electorate_id)
    size, problem, suspended = queries.electorate_today(electorate)
    weights_form = None
    if electorate.is_weighted:
        weights_form = forms.BlocWeightsForm(
            affiliates=list(electorates.chosen_affiliates(electorate)),
            weights={w.affiliate_id: w.weight for w in electorate.weights.all()},
        )
    return render(
        request,
        "democracy/electorate.html",
        {
            "electorate": electorate,
            "size": size,
            "problem": problem,
            "weights_form": weights_form,
            "suspensions": suspended,
            "may_manage": actor.can(MANAGE),
        },
    )


@org_view(MANAGE, methods=("POST",))
def electorate_weights(request, actor: Actor, electorate_id: int):
    electorate = queries.electorate(actor, electorate_id)
    if "from_membership" in request.POST:
        try:
            services.weights_from_membership(actor=actor, electorate=electorate)
            messages.success(
                request, "Set each affiliate's weight to its members in good standing."
            )
        except InvalidInput as error:
            messages.error(request, error.message)
    else:
        form = forms.BlocWeightsForm(
            request.POST, affiliates=list(electorates.chosen_affiliates(electorate)), weights={}
        )
        save_or_add_errors(
            form,
            lambda: services.set_bloc_weights(
                actor=actor, electorate=electorate, weights=form.weights()
            ),
        )
        if not flash_errors(request, form):
            messages.success(request, "Saved the weights.")
    return _back(actor, "electorate", electorate_id=electorate.pk)


# Delegates and governing bodies ------------------------------------------------------------


@org_view(VIEW)
def delegate_list(request, actor: Actor):
    return render(
        request,
        "democracy/delegates.html",
        {
            "delegates": queries.delegates(actor),
            "may_manage": actor.can(MANAGE),
            "form": forms.DelegateForm(affiliates=_affiliates(actor))
            if actor.can(MANAGE)
            else None,
        },
    )


@org_view(MANAGE, methods=("GET", "POST"))
def delegate_new(request, actor: Actor):
    form = forms.DelegateForm(request.POST or None, affiliates=_affiliates(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        save_or_add_errors(
            form,
            lambda: services.appoint_delegate(
                actor=actor,
                affiliate=data["affiliate"],
                person=_person(actor, form, "person"),
                role=data["role"],
                order=data["order"],
            ),
        )
        if not form.errors:
            messages.success(request, "Recorded the appointment.")
            return _back(actor, "delegates")
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": "Appoint a delegate", "button": "Appoint"},
    )


@org_view(MANAGE, methods=("POST",))
def delegate_remove(request, actor: Actor, delegate_id: int):
    get = access.get(actor, queries.delegates(actor), pk=delegate_id)
    services.remove_delegate(actor=actor, delegate=get)
    messages.success(request, f"{get.person} is no longer appointed by {get.affiliate}.")
    return _back(actor, "delegates")


@org_view(VIEW)
def body_list(request, actor: Actor):
    return render(
        request,
        "democracy/bodies.html",
        {
            "bodies": queries.bodies(actor),
            "may_manage": actor.can(MANAGE),
            "form": forms.BodyForm(),
        },
    )


@org_view(MANAGE, methods=("POST",))
def body_new(request, actor: Actor):
    form = forms.BodyForm(request.POST)
    if form.is_valid():
        try:
            services.create_body(actor=actor, **form.cleaned_data)
            messages.success(request, f"Added {form.cleaned_data['name']}.")
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "A governing body needs a name.")
    return _back(actor, "bodies")


@org_view(MANAGE, methods=("GET", "POST"))
def seat_new(request, actor: Actor, body_id: int):
    body = queries.body(actor, body_id)
    form = forms.SeatForm(request.POST or None, affiliates=_affiliates(actor))
    if request.method == "POST" and form.is_valid():
        save_or_add_errors(
            form,
            lambda: services.add_seat(
                actor=actor,
                body=body,
                title=form.cleaned_data["title"],
                affiliate=form.cleaned_data["affiliate"],
                holder=_person(actor, form, "holder"),
            ),
        )
        if not form.errors:
            messages.success(request, f"Added a seat to {body}.")
            return _back(actor, "bodies")
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": f"Add a seat to {body}", "button": "Add the seat"},
    )


@org_view(MANAGE, methods=("GET", "POST"))
def seat_holder(request, actor: Actor, seat_id: int):
    seat = queries.seat(actor, seat_id)
    form = forms.SeatHolderForm(
        request.POST or None, initial={"holder": f"#{seat.holder_id}" if seat.holder_id else ""}
    )
    if request.method == "POST" and form.is_valid():
        save_or_add_errors(
            form,
            lambda: services.set_seat_holder(
                actor=actor, seat=seat, holder=_person(actor, form, "holder")
            ),
        )
        if not form.errors:
            messages.success(request, f"Saved who holds {seat.title}.")
            return _back(actor, "bodies")
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": f"Who holds {seat}", "button": "Save"},
    )


# Votes -------------------------------------------------------------------------------------


def _vote_form(actor: Actor, data=None, initial=None) -> forms.VoteForm:
    return forms.VoteForm(
        data,
        initial=initial,
        electorates=queries.electorate_list(actor),
        assemblies=queries.assemblies(actor),
    )


@org_view(MANAGE, methods=("GET", "POST"))
def vote_new(request, actor: Actor):
    form = _vote_form(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = save_or_add_errors(
            form, lambda: services.create_vote(actor=actor, **form.setup())
        )
        if created is not None:
            messages.success(
                request,
                "Saved the vote as a draft. Add the candidates next."
                if not created.is_question
                else "Saved the vote as a draft.",
            )
            return _back(actor, "vote", vote_id=created.pk)
    return render(
        request,
        "democracy/form_page.html",
        {
            "form": form,
            "title": "New vote",
            "button": "Save as a draft",
            "intro": "Nothing is frozen until voting opens: you can change the setup until then.",
        },
    )


@org_view(MANAGE, methods=("GET", "POST"))
def vote_edit(request, actor: Actor, vote_id: int):
    vote = queries.vote(actor, vote_id)
    form = _vote_form(actor, request.POST or None, initial=forms.VoteForm.initial_for(vote))
    if request.method == "POST" and form.is_valid():
        save_or_add_errors(
            form, lambda: services.update_vote(actor=actor, vote=vote, changes=form.setup())
        )
        if not form.errors:
            messages.success(request, "Saved the setup.")
            return _back(actor, "vote", vote_id=vote.pk)
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": f"Set up {vote}", "button": "Save"},
    )


@org_view(VIEW)
def show_vote(request, actor: Actor, vote_id: int):
    vote = queries.vote(actor, vote_id)
    context = {
        "vote": vote,
        "candidates": vote.candidates.all(),
        "turnout": queries.turnout(actor, vote),
        "may_manage": actor.can(MANAGE),
        "options": ballot_sets.options(vote),
        "candidate_form": forms.CandidateForm(),
        "proxy_form": forms.ProxyForm(),
        "proxies": vote.proxies.select_related("grantor", "holder"),
        "endorsement": getattr(vote, "endorsement", None),
    }
    if vote.electorate.kind == "delegates" and actor.can(MANAGE):
        context["alternate_form"] = forms.SeatAlternateForm(
            delegates=queries.delegates(actor).filter(role=Delegate.Role.DELEGATE)
        )
    if vote.status in (Vote.Status.COUNTED, Vote.Status.PUBLISHED) and hasattr(vote, "result"):
        context.update(queries.results_context(vote))
    if vote.assembly is not None and vote.status in (Vote.Status.DRAFT, Vote.Status.OPEN):
        context["quorum"] = electorates.quorum(vote.assembly)
    if vote.status != Vote.Status.DRAFT:
        context["fingerprint_holds"] = fingerprints.holds(vote)
    return render(request, "democracy/vote.html", context)


@org_view(MANAGE, methods=("POST",))
def candidate_add(request, actor: Actor, vote_id: int):
    vote = queries.vote(actor, vote_id)
    form = forms.CandidateForm(request.POST)
    save_or_add_errors(
        form,
        lambda: services.add_candidate(
            actor=actor,
            vote=vote,
            name=form.cleaned_data["name"],
            person=_person(actor, form, "person"),
        ),
    )
    if not flash_errors(request, form):
        messages.success(request, f"Added {form.cleaned_data['name']} to the ballot.")
    return _back(actor, "vote", vote_id=vote.pk)


@org_view(MANAGE, methods=("POST",))
def candidate_remove(request, actor: Actor, vote_id: int, candidate_id: int):
    vote = queries.vote(actor, vote_id)
    candidate = access.get(actor, BallotCandidate.objects.filter(vote=vote), pk=candidate_id)
    try:
        services.remove_candidate(actor=actor, candidate=candidate)
        messages.success(request, f"Took {candidate} off the ballot.")
    except Conflict as error:
        messages.error(request, error.message)
    return _back(actor, "vote", vote_id=vote.pk)


@org_view(MANAGE, methods=("POST",))
def proxy_add(request, actor: Actor, vote_id: int):
    vote = queries.vote(actor, vote_id)
    form: forms.SeatAlternateForm | forms.ProxyForm
    if "delegate" in request.POST:
        form = forms.SeatAlternateForm(request.POST, delegates=queries.delegates(actor))
        proxy = save_or_add_errors(
            form,
            lambda: services.seat_alternate(
                actor=actor, vote=vote, delegate=form.cleaned_data["delegate"]
            ),
        )
    else:
        form = forms.ProxyForm(request.POST)
        proxy = save_or_add_errors(
            form,
            lambda: services.give_proxy(
                actor=actor,
                vote=vote,
                grantor=_person(actor, form, "grantor"),
                holder=_person(actor, form, "holder"),
            ),
        )
    if not flash_errors(request, form) and proxy is not None:
        messages.success(request, f"{proxy.holder} will cast {proxy.grantor}'s vote.")
    return _back(actor, "vote", vote_id=vote.pk)


VOTE_STEPS = {
    "open": (services.open_vote, "Voting is open. The voter roll and the setup are frozen."),
    "close": (services.close_vote, "Voting is closed."),
    "count": (services.count_vote, "Counted. Check the result, then publish it."),
    "publish": (services.publish_results, "Published the results and the ballot set."),
}


@org_view(MANAGE, methods=("POST",))
def vote_step(request, actor: Actor, vote_id: int):
    """Open, close, count or publish a vote (the button says which)."""
    vote = queries.vote(actor, vote_id)
    step = VOTE_STEPS.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, "Choose open, close, count or publish.")
        return _back(actor, "vote", vote_id=vote.pk)
    service, done = step
    try:
        service(actor=actor, vote=vote)
        messages.success(request, done)
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.message)
    return _back(actor, "vote", vote_id=vote.pk)


@org_view(MANAGE, methods=("POST",))
def vote_links(request, actor: Actor, vote_id: int):
    vote = queries.vote(actor, vote_id)
    try:
        job = services.send_voting_links(
            actor=actor, vote=vote, base_url=request.build_absolute_uri("/")
        )
    except Conflict as error:
        messages.error(request, error.message)
        return _back(actor, "vote", vote_id=vote.pk)
    messages.success(request, "Sending voting links to everyone with an email who has none yet.")
    return redirect("core:job", org=actor.organization.slug, job_id=job.pk)


@org_view(MANAGE, methods=("POST",))
def vote_codes(request, actor: Actor, vote_id: int):
    """Print anonymous slips for the voters present (or one of them) and show them once."""
    vote = queries.vote(actor, vote_id)
    only = request.POST.get("eligibility")
    try:
        chosen = [queries.eligibility(actor, vote, int(only))] if only and only.isdigit() else None
        slips = services.issue_printed_codes(actor=actor, vote=vote, eligibilities=chosen)
    except (Conflict, InvalidInput) as error:
        messages.error(request, error.message)
        return _back(actor, "vote_roll" if only else "vote", vote_id=vote.pk)
    response = render(
        request,
        "democracy/codes.html",
        {
            "vote": vote,
            "slips": slips,
            "entry_url": request.build_absolute_uri(reverse("democracy:ballot_entry")),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@org_view(MANAGE)
def vote_roll(request, actor: Actor, vote_id: int):
    vote = queries.vote(actor, vote_id)
    search = forms.RollSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(queries.roll(actor, vote, text), ROLL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "democracy/roll.html",
        {
            "vote": vote,
            "page": page,
            "search": search,
            "query": urlencode({"q": text}) if text else "",
            "turnout": queries.turnout(actor, vote),
        },
    )


@org_view(MANAGE, methods=("POST",))
def vote_paper_handout(request, actor: Actor, vote_id: int, eligibility_id: int):
    vote = queries.vote(actor, vote_id)
    right = queries.eligibility(actor, vote, eligibility_id)
    try:
        services.hand_out_paper_ballot(actor=actor, vote=vote, eligibility=right)
        messages.success(
            request,
            f"Recorded a paper ballot for {right.person or right.affiliate}"
            "; their online code no longer works.",
        )
    except Conflict as error:
        messages.error(request, error.message)
    return _back(actor, "vote_roll", vote_id=vote.pk)


@org_view(MANAGE, methods=("GET", "POST"))
def vote_paper(request, actor: Actor, vote_id: int):
    """A teller enters paper ballots; two tellers' entries of a sheet must match."""
    vote = queries.vote(actor, vote_id)
    form = forms.BallotForm(
        request.POST or None, vote=vote, names=ballot_sets.candidate_names(vote), paper=True
    )
    if request.method == "POST" and form.is_valid():
        outcome = save_or_add_errors(
            form,
            lambda: services.enter_paper_ballot(
                actor=actor,
                vote=vote,
                sheet=form.cleaned_data["sheet"],
                marks=form.marks(),
                weight=form.cleaned_data.get("weight") or Decimal(1),
            ),
        )
        if outcome is not None:
            messages.success(request, PAPER_OUTCOMES[outcome.status].format(sheet=outcome.sheet))
            return _back(actor, "vote_paper", vote_id=vote.pk)
    entries = vote.paper_entries.select_related("teller").order_by("sheet", "id")
    return render(request, "democracy/paper.html", {"vote": vote, "form": form, "entries": entries})


PAPER_OUTCOMES = {
    "waiting": "Sheet {sheet} entered; it waits for the second teller.",
    "confirmed": "Sheet {sheet} confirmed by two tellers: it is now a ballot.",
    "differs": "Sheet {sheet}: the two tellers' entries differ. Both look at the sheet again "
    "and re-enter it.",
}


@org_view(VIEW)
def vote_ballots_csv(request, actor: Actor, vote_id: int):
    vote = queries.vote(actor, vote_id)
    if not hasattr(vote, "result"):
        raise NotFound("The ballot set")
    return ballot_file_response(vote)


@org_view(MANAGE, methods=("GET", "POST"))
def endorsement_new(request, actor: Actor):
    form = forms.EndorsementForm(
        request.POST or None,
        electorates=queries.electorate_list(actor),
        assemblies=queries.assemblies(actor),
    )
    if request.method == "POST" and form.is_valid():
        endorsement = save_or_add_errors(
            form, lambda: services.create_endorsement_vote(actor=actor, **form.cleaned_data)
        )
        if endorsement is not None:
            messages.success(request, "Saved the endorsement vote as a draft.")
            return _back(actor, "vote", vote_id=endorsement.vote_id)
    return render(
        request,
        "democracy/form_page.html",
        {
            "form": form,
            "title": "New endorsement vote",
            "button": "Save as a draft",
            "intro": "A yes/no question with a threshold, such as 60% of the delegates. Its "
            "result is recorded as the organization's decision.",
        },
    )


# Assemblies --------------------------------------------------------------------------------


@org_view(MANAGE, methods=("GET", "POST"))
def assembly_new(request, actor: Actor):
    form = forms.AssemblyForm(request.POST or None, electorates=queries.electorate_list(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = save_or_add_errors(
            form,
            lambda: services.create_assembly(
                actor=actor,
                title=data["title"],
                starts_at=data["starts_at"],
                location=data["location"],
                electorate=data["electorate"],
                quorum=services.QuorumRule(
                    data["quorum_count"], data["quorum_percent"], data["quorum_min_affiliates"]
                ),
            ),
        )
        if created is not None:
            messages.success(request, f"Called {created}.")
            return _back(actor, "assembly", assembly_id=created.pk)
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": "Call an assembly", "button": "Save"},
    )


@org_view(VIEW)
def show_assembly(request, actor: Actor, assembly_id: int):
    assembly = queries.assembly(actor, assembly_id)
    may_manage = actor.can(MANAGE)
    return render(
        request,
        "democracy/assembly.html",
        {
            "assembly": assembly,
            "quorum": electorates.quorum(assembly),
            "suspensions": electorates.suspensions(assembly.electorate),
            "may_manage": may_manage,
            "may_see_people": actor.can("people.view"),
            "agenda": assembly.agenda.select_related("proposal"),
            "attendances": queries.attendance(assembly),
            "votes": assembly.votes.all(),
            "decisions": assembly.decisions.select_related("vote"),
            "attendance_form": forms.AttendanceForm(),
            "agenda_form": forms.AgendaItemForm(proposals=queries.proposals(actor)),
            "status_form": forms.AssemblyStatusForm(initial={"status": assembly.status}),
            "decision_form": forms.DecisionForm(),
        },
    )


@org_view(MANAGE, methods=("POST",))
def assembly_attendance(request, actor: Actor, assembly_id: int):
    assembly = queries.assembly(actor, assembly_id)
    form = forms.AttendanceForm(request.POST)
    chosen = request.POST.get("person_id", "")  # the picker's choice, else the typed text
    attendance = save_or_add_errors(
        form,
        lambda: services.check_in(
            actor=actor,
            assembly=assembly,
            guest=form.cleaned_data["guest"],
            person=queries.find_attendee(
                actor, assembly, f"#{chosen}" if chosen.isdigit() else form.cleaned_data["person"]
            ),
        ),
    )
    if not flash_errors(request, form) and attendance is not None:
        messages.success(request, f"Checked in {queries.attendee_line(assembly, attendance)}.")
    return _back(actor, "assembly", assembly_id=assembly.pk)


@org_view(MANAGE, methods=("POST",))
def assembly_agenda(request, actor: Actor, assembly_id: int):
    assembly = queries.assembly(actor, assembly_id)
    form = forms.AgendaItemForm(request.POST, proposals=queries.proposals(actor))
    if form.is_valid():
        services.add_agenda_item(actor=actor, assembly=assembly, **form.cleaned_data)
        messages.success(request, "Added to the agenda.")
    else:
        messages.error(request, "An agenda item needs a title.")
    return _back(actor, "assembly", assembly_id=assembly.pk)


@org_view(MANAGE, methods=("POST",))
def assembly_status(request, actor: Actor, assembly_id: int):
    assembly = queries.assembly(actor, assembly_id)
    form = forms.AssemblyStatusForm(request.POST)
    if form.is_valid():
        services.set_assembly_status(
            actor=actor, assembly=assembly, status=form.cleaned_data["status"]
        )
        messages.success(request, f"{assembly} is {assembly.get_status_display().lower()}.")
    return _back(actor, "assembly", assembly_id=assembly.pk)


@org_view(MANAGE, methods=("POST",))
def assembly_decision(request, actor: Actor, assembly_id: int):
    assembly = queries.assembly(actor, assembly_id)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        services.record_decision(actor=actor, assembly=assembly, **form.cleaned_data)
        messages.success(request, "Recorded the decision.")
    else:
        messages.error(request, "Say what was decided.")
    return _back(actor, "assembly", assembly_id=assembly.pk)


@org_view(MANAGE, methods=("GET", "POST"))
def assembly_minutes(request, actor: Actor, assembly_id: int):
    assembly = queries.assembly(actor, assembly_id)
    form = forms.MinutesForm(request.POST or None, initial={"minutes": assembly.minutes})
    if request.method == "POST" and form.is_valid():
        services.save_minutes(actor=actor, assembly=assembly, minutes=form.cleaned_data["minutes"])
        messages.success(request, "Saved the minutes.")
        return _back(actor, "assembly", assembly_id=assembly.pk)
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": f"Minutes of {assembly}", "button": "Save the minutes"},
    )


# Proposals ---------------------------------------------------------------------------------


@org_view(MANAGE, methods=("GET", "POST"))
def proposal_new(request, actor: Actor):
    form = forms.ProposalForm(request.POST or None, assemblies=queries.assemblies(actor))
    if request.method == "POST" and form.is_valid():
        created = services.create_proposal(actor=actor, **form.cleaned_data)
        messages.success(request, "Saved the draft proposal.")
        return _back(actor, "proposal", proposal_id=created.pk)
    return render(
        request,
        "democracy/form_page.html",
        {"form": form, "title": "New proposal", "button": "Save the draft"},
    )


@org_view(VIEW)
def show_proposal(request, actor: Actor, proposal_id: int):
    proposal = queries.proposal(actor, proposal_id)
    return render(
        request,
        "democracy/proposal.html",
        {
            "proposal": proposal,
            "may_manage": actor.can(MANAGE),
            "comments": proposal.comments.all(),
            "amendments": proposal.amendments.all(),
            "votes": proposal.votes.all(),
            "decisions": proposal.decisions.all(),
            "comment_form": forms.CommentForm(),
            "amendment_form": forms.AmendmentForm(initial={"text": proposal.text}),
            "status_form": forms.ProposalStatusForm(),
            "vote_form": forms.ProposalVoteForm(
                electorates=queries.electorate_list(actor),
                assemblies=queries.assemblies(actor),
                initial={"assembly": proposal.assembly_id},
            ),
        },
    )


@org_view(VIEW, methods=("POST",))
def proposal_comment(request, actor: Actor, proposal_id: int):
    proposal = queries.proposal(actor, proposal_id)
    form = forms.CommentForm(request.POST)
    save_or_add_errors(
        form,
        lambda: services.add_comment(
            actor=actor, proposal=proposal, body=form.cleaned_data["body"]
        ),
    )
    if not flash_errors(request, form):
        messages.success(request, "Added your comment.")
    return _back(actor, "proposal", proposal_id=proposal.pk)


@org_view(VIEW, methods=("POST",))
def proposal_amend(request, actor: Actor, proposal_id: int):
    proposal = queries.proposal(actor, proposal_id)
    form = forms.AmendmentForm(request.POST)
    save_or_add_errors(
        form, lambda: services.move_amendment(actor=actor, proposal=proposal, **form.cleaned_data)
    )
    if not flash_errors(request, form):
        messages.success(request, "Moved your amendment.")
    return _back(actor, "proposal", proposal_id=proposal.pk)


@org_view(MANAGE, methods=("POST",))
def amendment_decide(request, actor: Actor, proposal_id: int, amendment_id: int):
    proposal = queries.proposal(actor, proposal_id)
    amendment = access.get(actor, Amendment.objects.filter(proposal=proposal), pk=amendment_id)
    try:
        services.decide_amendment(
            actor=actor, amendment=amendment, accept=request.POST.get("accept") == "yes"
        )
        messages.success(request, f"The amendment is {amendment.get_status_display().lower()}.")
    except Conflict as error:
        messages.error(request, error.message)
    return _back(actor, "proposal", proposal_id=proposal.pk)


@org_view(MANAGE, methods=("POST",))
def proposal_status(request, actor: Actor, proposal_id: int):
    proposal = queries.proposal(actor, proposal_id)
    form = forms.ProposalStatusForm(request.POST)
    save_or_add_errors(
        form,
        lambda: services.move_proposal(
            actor=actor, proposal=proposal, status=form.cleaned_data["status"]
        ),
    )
    if not flash_errors(request, form):
        messages.success(request, f"The proposal is {proposal.get_status_display().lower()}.")
    return _back(actor, "proposal", proposal_id=proposal.pk)


@org_view(MANAGE, methods=("POST",))
def proposal_vote(request, actor: Actor, proposal_id: int):
    proposal = queries.proposal(actor, proposal_id)
    form = forms.ProposalVoteForm(
        request.POST,
        electorates=queries.electorate_list(actor),
        assemblies=queries.assemblies(actor),
    )
    created = save_or_add_errors(
        form, lambda: services.put_to_vote(actor=actor, proposal=proposal, **form.cleaned_data)
    )
    if flash_errors(request, form):
        return _back(actor, "proposal", proposal_id=proposal.pk)
    assert created is not None, "a form without errors was saved"
    messages.success(request, "Made the vote on the proposal. Open it when the time comes.")
    return _back(actor, "vote", vote_id=created.pk)
