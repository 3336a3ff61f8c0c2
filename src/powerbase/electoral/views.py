"""Electoral pages: elections and races with their results, the candidate pipeline, and
endorsements. Each parses, reads through `queries`, calls a service and renders."""

from collections.abc import Callable

from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import redirect, render

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.core.forms import flash_errors, save_or_add_errors
from powerbase.democracy import queries as democracy_queries
from powerbase.electoral import forms, queries, services
from powerbase.electoral.models import EndorsementProcess

VIEW, MANAGE = "electoral.view", "electoral.manage"


def _to(actor: Actor, name: str, **kwargs):
    return redirect(f"electoral:{name}", org=actor.organization.slug, **kwargs)


def _form_page(request, form, title: str, button: str, intro: str = "", multipart=False):
    return render(
        request,
        "electoral/form_page.html",
        {"form": form, "title": title, "button": button, "intro": intro, "multipart": multipart},
    )


def _person(actor: Actor, form, field: str):
    """Look up the person named in *field*, or None if it is empty; not finding them is an
    error of that field, so the form shows it there."""
    text = (form.cleaned_data.get(field) or "").strip()
    if not text:
        return None
    try:
        return democracy_queries.find_person(actor, text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from error


# Elections and races -----------------------------------------------------------------------


@org_view(VIEW)
def overview(request, actor: Actor):
    return render(
        request,
        "electoral/overview.html",
        {
            "elections": queries.elections(actor).prefetch_related("races"),
            "may_manage": actor.can(MANAGE),
        },
    )


@org_view(MANAGE, methods=("GET", "POST"))
def election_new(request, actor: Actor):
    form = forms.ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = save_or_add_errors(
            form, lambda: services.create_election(actor=actor, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, f"Added {created}.")
            return _to(actor, "election", election_id=created.pk)
    return _form_page(request, form, "New election", "Add the election")


@org_view(VIEW)
def show_election(request, actor: Actor, election_id: int):
    election = queries.election(actor, election_id)
    races = list(queries.races(actor, election))
    summaries = queries.race_summaries(races)
    lines = queries.ballot_lines(races)
    line = _chosen_line(request, lines, actor.organization.ballot_line)
    return render(
        request,
        "electoral/election.html",
        {
            "election": election,
            "summaries": summaries,
            "lines": lines,
            "line": line,
            "deliveries": queries.election_line_deliveries(summaries, line) if line else [],
            "may_manage": actor.can(MANAGE),
        },
    )


def _chosen_line(request, lines: list[str], own_line: str) -> str:
    """The ballot line asked for, else the organization's own (a setting), else the first
    fusion line: the one a coalition runs."""
    for wanted in (request.GET.get("line", "").strip().upper(), own_line):
        if wanted and wanted in lines:
            return wanted
    return lines[0] if lines else ""


@org_view(MANAGE, methods=("GET", "POST"))
def race_new(request, actor: Actor, election_id: int):
    election = queries.election(actor, election_id)
    form = forms.RaceForm(request.POST or None, districts=queries.race_districts(actor))
    if request.method == "POST" and form.is_valid():
        created = save_or_add_errors(
            form, lambda: services.create_race(actor=actor, election=election, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, f"Added the race for {created.office}.")
            return _to(actor, "race", race_id=created.pk)
    return _form_page(request, form, f"New race in {election}", "Add the race")


@org_view(VIEW)
def show_race(request, actor: Actor, race_id: int):
    race = queries.race(actor, race_id)
    may_manage = actor.can(MANAGE)
    summary = queries.race_summary(race)
    lines = queries.ballot_lines([race])
    line = _chosen_line(request, lines, actor.organization.ballot_line)
    return render(
        request,
        "electoral/race.html",
        {
            "race": race,
            "summary": summary,
            "may_manage": may_manage,
            "lines": lines,
            "delivery": queries.line_delivery(summary, line) if line else None,
            "precincts": queries.precinct_results(summary),
            "endorsement": getattr(race, "endorsement", None),
            "candidate_form": forms.CandidateForm() if may_manage else None,
            "ballots_form": forms.FileForm() if may_manage and race.ranked_choice else None,
        },
    )


@org_view(MANAGE, methods=("POST",))
def candidate_add(request, actor: Actor, race_id: int):
    race = queries.race(actor, race_id)
    form = forms.CandidateForm(request.POST)
    save_or_add_errors(
        form,
        lambda: services.add_candidate(
            actor=actor,
            race=race,
            name=form.cleaned_data["name"],
            person=_person(actor, form, "person"),
            incumbent=form.cleaned_data["incumbent"],
            party=form.cleaned_data["party"],
            fusion_lines=form.cleaned_data["fusion_lines"].split(","),
        ),
    )
    if not flash_errors(request, form):
        messages.success(request, f"Added {form.cleaned_data['name']}.")
    return _to(actor, "race", race_id=race.pk)


@org_view(MANAGE, methods=("POST",))
def race_ballots(request, actor: Actor, race_id: int):
    race = queries.race(actor, race_id)
    form = forms.FileForm(request.POST, request.FILES)
    record = save_or_add_errors(
        form,
        lambda: services.count_ranked_ballots(
            actor=actor,
            race=race,
            file_name=form.cleaned_data["file"].name,
            content=form.cleaned_data["file"].read(),
        ),
    )
    if not flash_errors(request, form) and record is not None:
        messages.success(
            request, f"Counted {record['ballots']} ballots: {', '.join(record['winners'])} won."
        )
    return _to(actor, "race", race_id=race.pk)


@org_view(MANAGE, methods=("GET", "POST"))
def results_import(request, actor: Actor):
    form = forms.ResultsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        done = save_or_add_errors(
            form,
            lambda: services.import_results(
                actor=actor,
                file_name=upload.name,
                content=upload.read(),
                election=form.cleaned_data["election"],
            ),
        )
        if done is not None:
            skipped = (
                f" Skipped {done.skipped} rows of totals, registered voters or over "
                "and under votes."
                if done.skipped
                else ""
            )
            messages.success(
                request,
                f"Imported {done.rows} rows for {done.races} "
                f"race{'s' if done.races != 1 else ''}.{skipped}",
            )
            return _to(actor, "overview")
    return _form_page(
        request,
        form,
        "Import results",
        "Import",
        multipart=True,
        intro="A CSV or XLSX with the columns election, race, candidate, votes and optionally "
        "precinct, party and incumbent, or an OpenElections file as published (county, "
        "precinct, office, district, party, candidate, votes and any per-method vote "
        "columns). The election must exist; races and candidates are added as needed. "
        "A candidate on several ballot lines (fusion) has a row per line. A race's rows "
        "replace its earlier results. A bad row stops the import and nothing is written.",
    )


# The candidate pipeline --------------------------------------------------------------------


@org_view(VIEW)
def pipeline(request, actor: Actor):
    return render(
        request,
        "electoral/pipeline.html",
        {
            "stages": queries.pipeline_by_stage(actor),
            "graduates": queries.graduates_from_the_base(actor),
            "may_manage": actor.can(MANAGE),
        },
    )


@org_view(MANAGE, methods=("GET", "POST"))
def pipeline_add(request, actor: Actor):
    form = forms.PipelineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = save_or_add_errors(
            form,
            lambda: services.add_to_pipeline(
                actor=actor,
                person=_person(actor, form, "person"),
                target_office=data["target_office"],
                stage=data["stage"],
                on=data["on"],
                notes=data["notes"],
            ),
        )
        if entry is not None:
            messages.success(request, f"Added {entry.person} to the pipeline.")
            return _to(actor, "pipeline_entry", entry_id=entry.pk)
    return _form_page(request, form, "Add to the candidate pipeline", "Add")


@org_view(VIEW)
def pipeline_entry(request, actor: Actor, entry_id: int):
    entry = queries.pipeline_entry(actor, entry_id)
    return render(
        request,
        "electoral/pipeline_entry.html",
        {
            "entry": entry,
            "steps": entry.steps.select_related("recorded_by"),
            "development": queries.development(actor, entry),
            "may_manage": actor.can(MANAGE),
            "move_form": forms.MoveForm(initial={"stage": entry.stage}),
        },
    )


@org_view(MANAGE, methods=("POST",))
def pipeline_move(request, actor: Actor, entry_id: int):
    entry = queries.pipeline_entry(actor, entry_id)
    form = forms.MoveForm(request.POST)
    save_or_add_errors(
        form, lambda: services.move_in_pipeline(actor=actor, entry=entry, **form.cleaned_data)
    )
    if not flash_errors(request, form):
        messages.success(request, "Moved.")
    return _to(actor, "pipeline_entry", entry_id=entry.pk)


# Endorsements ------------------------------------------------------------------------------


@org_view(VIEW)
def endorsements(request, actor: Actor):
    return render(
        request, "electoral/endorsements.html", {"processes": queries.endorsement_processes(actor)}
    )


@org_view(MANAGE, methods=("POST",))
def endorsement_new(request, actor: Actor, race_id: int):
    race = queries.race(actor, race_id)
    try:
        process = services.open_endorsement(actor=actor, race=race)
    except Conflict as error:
        messages.error(request, error.message)
        return _to(actor, "race", race_id=race.pk)
    return _to(actor, "endorsement", process_id=process.pk)


@org_view(VIEW)
def endorsement(request, actor: Actor, process_id: int):
    process = queries.endorsement_process(actor, process_id)
    may_manage = actor.can(MANAGE)
    candidates = process.race.candidates.all()
    context = {
        "process": process,
        "may_manage": may_manage,
        "candidates": candidates,
        "summary": queries.race_summary(process.race),
    }
    if may_manage:
        context.update(
            {
                "question_form": forms.QuestionForm(demands=queries.platform_demands(actor)),
                "response_form": forms.ResponseForm(
                    candidates=candidates, questions=process.questions.all()
                ),
                "interview_form": forms.InterviewForm(candidates=candidates),
                "recommend_form": forms.RecommendForm(candidates=candidates),
                "vote_form": forms.EndorsementVoteForm(
                    electorates=democracy_queries.electorate_list(actor)
                )
                if actor.can("democracy.view")
                else None,
                "pledges_form": forms.PledgesForm(
                    demands=queries.questionnaire_demands(process),
                    initial={
                        "pledges": process.pledges,
                        "demands": list(process.pledged_demands.all()),
                    },
                ),
                "may_carry": actor.can(services.LEGISLATURE_MANAGE),
            }
        )
    context["legislature"] = queries.pledges_in_office(actor, process)
    return render(request, "electoral/endorsement.html", context)


def _endorsement_step(
    request,
    actor: Actor,
    process_id: int,
    form_class,
    act: Callable[[EndorsementProcess, dict], str],
    **form_kwargs,
):
    """Run one step of an endorsement from a posted form; report the outcome; go back."""
    process = queries.endorsement_process(actor, process_id)
    candidates = process.race.candidates.all()
    extra: dict[str, QuerySet] = {"candidates": candidates} if "candidates" in form_kwargs else {}
    if "questions" in form_kwargs:
        extra["questions"] = process.questions.all()
    if "electorates" in form_kwargs:
        extra["electorates"] = democracy_queries.electorate_list(actor)
    if form_kwargs.get("demands") == "platform":
        extra["demands"] = queries.platform_demands(actor)
    elif form_kwargs.get("demands") == "questionnaire":
        extra["demands"] = queries.questionnaire_demands(process)
    form = form_class(request.POST, **extra)
    message = save_or_add_errors(form, lambda: act(process, form.cleaned_data))
    if not flash_errors(request, form) and message is not None:
        messages.success(request, message)
    return _to(actor, "endorsement", process_id=process.pk)


@org_view(MANAGE, methods=("POST",))
def endorsement_question(request, actor: Actor, process_id: int):
    def add(process, data):
        services.add_question(actor=actor, process=process, **data)
        return "Added the question."

    return _endorsement_step(
        request, actor, process_id, forms.QuestionForm, add, demands="platform"
    )


@org_view(MANAGE, methods=("POST",))
def endorsement_response(request, actor: Actor, process_id: int):
    def record(process, data):
        services.record_response(actor=actor, **data)
        return "Recorded the answer."

    return _endorsement_step(
        request, actor, process_id, forms.ResponseForm, record, candidates=True, questions=True
    )


@org_view(MANAGE, methods=("POST",))
def endorsement_interview(request, actor: Actor, process_id: int):
    def record(process, data):
        services.record_interview(actor=actor, process=process, **data)
        return "Kept the interview notes."

    return _endorsement_step(
        request, actor, process_id, forms.InterviewForm, record, candidates=True
    )


@org_view(MANAGE, methods=("POST",))
def endorsement_recommend(request, actor: Actor, process_id: int):
    def recommend(process, data):
        services.recommend(actor=actor, process=process, **data)
        return "Recorded the recommendation."

    return _endorsement_step(
        request, actor, process_id, forms.RecommendForm, recommend, candidates=True
    )


@org_view(MANAGE, methods=("POST",))
def endorsement_vote(request, actor: Actor, process_id: int):
    def put_to_vote(process, data):
        services.put_endorsement_to_vote(actor=actor, process=process, **data)
        return "Set up the members' vote; open it on its democracy page."

    return _endorsement_step(
        request, actor, process_id, forms.EndorsementVoteForm, put_to_vote, electorates=True
    )


@org_view(MANAGE, methods=("POST",))
def endorsement_pledges(request, actor: Actor, process_id: int):
    def record(process, data):
        services.record_pledges(
            actor=actor, process=process, pledges=data["pledges"], demands=list(data["demands"])
        )
        official = services.endorsed_official(process)
        if official is not None and actor.can(services.LEGISLATURE_MANAGE):
            return f"Recorded the pledges, also as {official}'s pledges in the legislature."
        return "Recorded the pledges."

    return _endorsement_step(
        request, actor, process_id, forms.PledgesForm, record, demands="questionnaire"
    )


@org_view(MANAGE, methods=("POST",))
def endorsement_carry(request, actor: Actor, process_id: int):
    """Record the pledged demands as the official's pledges, now the candidate holds office."""
    process = queries.endorsement_process(actor, process_id)
    try:
        added = services.carry_pledges(actor=actor, process=process)
        messages.success(
            request,
            f"Recorded {len(added)} pledge(s) in the legislature."
            if added
            else "Nothing new to record in the legislature.",
        )
    except PermissionDenied:
        messages.error(
            request,
            "Recording pledges in the legislature needs someone who manages the legislature.",
        )
    return _to(actor, "endorsement", process_id=process.pk)
