"""Identity pages: the overview (start a job, recent runs and merges), one run, the review
queue (one pair at a time, accepted or rejected with one key), and undoing a merge."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.identity import queries, services
from powerbase.identity.models import IdentityRun
from powerbase.people import queries as people_queries

RUN, REVIEW = services.RUN, services.REVIEW


@org_view(REVIEW)
def overview(request, actor: Actor):
    return render(
        request,
        "identity/overview.html",
        {
            "runs": queries.runs(actor)[:10],
            "waiting": queries.waiting_counts(actor),
            "merges": queries.merges(actor)[:20],
            "may_run": actor.can(RUN),
        },
    )


@org_view(RUN, methods=("POST",))
def start(request, actor: Actor, kind: str):
    starter = services.start_link if kind == "link" else services.start_dedupe
    try:
        job = starter(actor=actor)
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.message)
        return redirect("identity:overview", org=actor.organization.slug)
    return redirect("core:job", org=actor.organization.slug, job_id=job.pk)


@org_view(REVIEW)
def show_run(request, actor: Actor, run_id: int):
    run = queries.run(actor, run_id)
    return render(
        request,
        "identity/run.html",
        {"run": run, "pairs": run.pairs.select_related("left", "right")[:200]},
    )


@org_view(REVIEW)
def review(request, actor: Actor):
    """The queue: the most probable pair waiting, or the one asked for."""
    kind = request.GET.get("kind", "")
    if kind not in IdentityRun.Kind.values:
        kind = ""
    return render(
        request,
        "identity/review.html",
        _queue_context(
            actor, kind=kind, pair_id=request.GET.get("pair"), skip=request.GET.get("skip")
        ),
    )


@org_view(REVIEW, methods=("POST",))
def decide(request, actor: Actor, pair_id: int):
    pair = queries.pair(actor, pair_id)
    decision = request.POST.get("decision")
    kind = request.POST.get("kind", "")
    notice, undo = "", None
    try:
        if decision == "accept":
            pair = services.accept_pair(actor=actor, pair=pair)
            if pair.merge is not None:
                notice, undo = (
                    f"Merged {pair.merge.merged.display_name} into "
                    f"{pair.merge.survivor.display_name}.",
                    pair.merge,
                )
            else:
                notice = f"Linked {pair.left.display_name} to voter {pair.voter_id}."
        elif decision == "merge":
            pair = services.merge_with_voters_person(actor=actor, pair=pair)
            assert pair.merge is not None, "merging the two people records the merge"
            notice, undo = (
                f"Merged {pair.merge.merged.display_name} into "
                f"{pair.merge.survivor.display_name}, who keeps the link to "
                f"voter {pair.voter_id}.",
                pair.merge,
            )
        elif decision == "reject":
            services.reject_pair(actor=actor, pair=pair)
            notice = "Rejected: they stay separate, and later runs will not ask again."
        else:
            raise InvalidInput("Choose accept or reject.")
    except (InvalidInput, Conflict) as error:
        notice = error.message
        if not request.htmx:
            messages.error(request, notice)
            return _back_to_queue(actor, kind, pair=pair.pk)
        return render(
            request,
            "identity/_queue.html",
            _queue_context(actor, kind=kind, pair_id=pair.pk, error=notice),
        )
    if not request.htmx:
        messages.success(request, notice)
        return _back_to_queue(actor, kind)
    return render(
        request, "identity/_queue.html", _queue_context(actor, kind=kind, notice=notice, undo=undo)
    )


@org_view(REVIEW, methods=("POST",))
def undo(request, actor: Actor, merge_id: int):
    merge = queries.merge(actor, merge_id)
    pair = merge.pairs.first()
    try:
        services.undo_merge(actor=actor, merge=merge)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("identity:overview", org=actor.organization.slug)
    notice = (
        f"Undone: {merge.merged.display_name} and {merge.survivor.display_name} are "
        "separate records again."
    )
    if request.htmx and request.POST.get("from") == "review":
        return render(
            request,
            "identity/_queue.html",
            _queue_context(
                actor,
                kind=request.POST.get("kind", ""),
                pair_id=pair.pk if pair else None,
                notice=notice,
            ),
        )
    messages.success(request, notice)
    if request.POST.get("from") == "person":
        return redirect("people:person", org=actor.organization.slug, person_id=merge.survivor_id)
    return redirect("identity:overview", org=actor.organization.slug)


@org_view(REVIEW, methods=("POST",))
def unlink(request, actor: Actor, person_id: int):
    person = people_queries.person_page(actor, person_id).person
    services.unlink_voter(actor=actor, person=person)
    messages.success(request, f"{person.display_name} is no longer linked to the voter file.")
    return redirect("people:person", org=actor.organization.slug, person_id=person.pk)


def _queue_context(
    actor: Actor,
    *,
    kind: str = "",
    pair_id=None,
    skip=None,
    notice: str = "",
    error: str = "",
    undo=None,
) -> dict:
    waiting = queries.waiting_pairs(actor, kind=kind)
    current = None
    if pair_id:
        current = waiting.filter(pk=_int(pair_id)).first()
    if current is None and skip:
        current = _after(waiting, _int(skip))
    if current is None:
        current = waiting.first()
    counts = queries.waiting_counts(actor)
    return {
        "view": queries.pair_view(actor, current) if current else None,
        "voters_person": services.voters_person(actor, current) if current else None,
        "kind": kind,
        "counts": counts,
        "total": sum(counts.values()),
        "remaining": waiting.count(),
        "notice": notice,
        "error": error,
        "undo": undo,
    }


def _after(waiting, pair_id: int):
    """Return the pair that comes after *pair_id* in the queue's order (most probable first),
    so skipping again and again walks the whole queue."""
    skipped = waiting.filter(pk=pair_id).values_list("probability", flat=True).first()
    if skipped is None:
        return None
    return waiting.filter(
        Q(probability__lt=skipped) | Q(probability=skipped, pk__gt=pair_id)
    ).first()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _back_to_queue(actor: Actor, kind: str, pair: int | None = None):
    url = reverse("identity:review", kwargs={"org": actor.organization.slug})
    query = "&".join(
        part for part in (f"kind={kind}" if kind else "", f"pair={pair}" if pair else "") if part
    )
    return redirect(f"{url}?{query}" if query else url)
