"""Strategy table pages: the bodies, one body (seats and terms, meetings, decision log, open
tasks), recording a decision with its commitments and tasks, one decision, and marking a task
done. Each parses, reads through `queries`, calls a service and renders."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import InvalidInput
from powerbase.core.forms import post_and_redirect, save_or_add_errors
from powerbase.democracy import services as democracy
from powerbase.democracy.models import Decision
from powerbase.strategy import forms, queries, services
from powerbase.strategy.models import Commitment
from powerbase.strategy.services import CommitmentSpec

VIEW, RECORD = queries.VIEW, queries.RECORD


def _body_page(actor: Actor, body_id: int):
    return redirect("strategy:body", org=actor.organization.slug, body_id=body_id)


def _decision_page(actor: Actor, decision_id: int):
    return redirect("strategy:decision", org=actor.organization.slug, decision_id=decision_id)


@org_view(VIEW)
def bodies(request, actor: Actor):
    return render(
        request,
        "strategy/bodies.html",
        {
            "bodies": queries.bodies(actor),
            "may_record": actor.can(RECORD),
            "form": forms.BodyForm(initial={"kind": "strategy_table"}),
        },
    )


@org_view(RECORD, methods=("POST",))
def body_new(request, actor: Actor):
    form = forms.BodyForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: democracy.create_body(actor=actor, **form.cleaned_data),
        success=lambda created: f"Added {created}.",
        back=lambda: redirect("strategy:bodies", org=actor.organization.slug),
        onward=lambda created: _body_page(actor, created.pk),
    )


@org_view(VIEW)
def body(request, actor: Actor, body_id: int):
    found = queries.body(actor, body_id)
    may_record = actor.can(RECORD)
    return render(
        request,
        "strategy/body.html",
        {
            "body": found,
            "meetings": queries.meetings(actor, found),
            "decisions": queries.decision_log(actor, found),
            "sees_tasks": queries.sees_tasks(actor, found),
            "open_tasks": queries.open_tasks(actor, found),
            "today": timezone.localdate(),
            "may_record": may_record,
            "meeting_form": forms.MeetingForm() if may_record else None,
            "term_form": forms.SeatTermForm() if may_record else None,
        },
    )


@org_view(RECORD, methods=("POST",))
def seat_term(request, actor: Actor, seat_id: int):
    seat = queries.seat(actor, seat_id)
    form = forms.SeatTermForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.set_seat_term(actor=actor, seat=seat, **form.cleaned_data),
        success=lambda saved: f"Saved the term of {seat.title}.",
        back=lambda: _body_page(actor, seat.body_id),
    )


@org_view(RECORD, methods=("POST",))
def meeting_new(request, actor: Actor, body_id: int):
    found = queries.body(actor, body_id)
    form = forms.MeetingForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.schedule_meeting(actor=actor, body=found, **form.cleaned_data),
        success=lambda created: f"Called the meeting {created}; add its agenda on its page.",
        back=lambda: _body_page(actor, found.pk),
    )


@org_view(RECORD, methods=("GET", "POST"))
def decision_new(request, actor: Actor, body_id: int):
    found = queries.body(actor, body_id)
    form = forms.DecisionForm(
        request.POST or None,
        actor=actor,
        body=found,
        initial={"decided_on": timezone.localdate(), "meeting": request.GET.get("meeting")},
    )
    if request.method == "POST":
        created = save_or_add_errors(
            form,
            lambda: services.record_decision(
                actor=actor,
                body=found,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                outcome=form.cleaned_data["outcome"],
                decided_on=form.cleaned_data["decided_on"],
                meeting=form.cleaned_data["meeting"],
                vote=form.cleaned_data["vote"],
                commitments=form.commitments(),
                tasks=form.tasks(),
            ),
        )
        if created is not None:
            messages.success(request, f"Logged the decision “{created}”.")
            return _decision_page(actor, created.pk)
    return render(request, "strategy/decision_form.html", {"body": found, "form": form})


@org_view(VIEW)
def decision(request, actor: Actor, decision_id: int):
    found = queries.decision(actor, decision_id)
    may_record = actor.can(RECORD)
    return render(
        request,
        "strategy/decision.html",
        {
            "decision": found,
            "sees_tasks": queries.sees_tasks(actor, found.body),
            "today": timezone.localdate(),
            "may_record": may_record,
            "commitments_form": forms.CommitmentsForm(actor=actor) if may_record else None,
            "task_form": forms.TaskForm(actor=actor) if may_record else None,
        },
    )


@org_view(RECORD, methods=("POST",))
def commitment_new(request, actor: Actor, decision_id: int):
    found = queries.decision(actor, decision_id)
    form = forms.CommitmentsForm(request.POST, actor=actor)
    return post_and_redirect(
        request,
        form,
        lambda: _add_commitments(actor, found, form.commitments()),
        success=lambda saved: f"Recorded {len(saved)} commitment{'s' if len(saved) > 1 else ''}.",
        back=lambda: _decision_page(actor, found.pk),
    )


def _add_commitments(
    actor: Actor, decision: Decision, specs: list[CommitmentSpec]
) -> list[Commitment]:
    if not specs:  # the form's fields are each optional; one of them is needed here
        raise InvalidInput("Choose what the decision commits to.")
    return [
        services.add_commitment(actor=actor, decision=decision, kind=spec.kind, target=spec.target)
        for spec in specs
    ]


@org_view(RECORD, methods=("POST",))
def task_new(request, actor: Actor, decision_id: int):
    found = queries.decision(actor, decision_id)
    form = forms.TaskForm(request.POST, actor=actor)
    return post_and_redirect(
        request,
        form,
        lambda: services.add_task(actor=actor, decision=found, **form.cleaned_data),
        success=lambda created: (
            f"Gave “{created}” to {created.owner}, due {created.due_on:%d %b %Y}."
        ),
        back=lambda: _decision_page(actor, found.pk),
    )


@org_view("org.view", methods=("POST",))
def task_done(request, actor: Actor, task_id: int):
    task = queries.task_to_complete(actor, task_id)
    services.complete_task(actor=actor, task=task)
    messages.success(request, f"Marked “{task}” done.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("power:dashboard", org=actor.organization.slug)
