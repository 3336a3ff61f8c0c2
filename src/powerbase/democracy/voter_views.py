"""The voters' pages: public, reached with a voting code or a published vote's unguessable id.

A wrong code gets the same plain page whatever it was, naming no organization and no vote, and
counts against the address (see `throttle`). Pages that show a ballot or a receipt are never
cached.
"""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from powerbase.core.decorators import public_view
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.democracy import ballot_sets, codes, forms, queries, services, throttle
from powerbase.democracy.models import Participation, Vote

CODE, RECEIPT = "code", "receipt"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _too_many(request) -> HttpResponse:
    return _private(render(request, "democracy/voter/too_many.html", status=429))


def _not_valid(request) -> HttpResponse:
    throttle.count_wrong_try(request, CODE)
    return _private(render(request, "democracy/voter/not_valid.html", status=404))


@public_view
@require_http_methods(["GET", "POST"])
def ballot_entry(request):
    """Type the code printed on a slip handed out at an assembly."""
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.blocked(request, CODE):
            return _too_many(request)
        code = codes.normalize(form.cleaned_data["code"])
        try:
            services.find_code(code)
        except NotFound:
            throttle.count_wrong_try(request, CODE)
            form.add_error(
                "code",
                "That code is not valid. Check each character, or ask the "
                "organizers for a new slip.",
            )
        else:
            return redirect("democracy:ballot", code=code)
    return _private(render(request, "democracy/voter/entry.html", {"form": form}))


@public_view
@require_http_methods(["GET", "POST"])
def ballot(request, code: str):
    """Show the ballot for a voting code, and cast it."""
    if throttle.blocked(request, CODE):
        return _too_many(request)
    try:
        voting_code = services.find_code(code)
    except NotFound:
        return _not_valid(request)
    vote = voting_code.vote
    if (
        voting_code.eligibility_id is not None
        and Participation.objects.filter(eligibility_id=voting_code.eligibility_id).exists()
    ):
        return _private(render(request, "democracy/voter/already_voted.html", {"vote": vote}))
    if vote.status != Vote.Status.OPEN:
        return _private(render(request, "democracy/voter/closed.html", {"vote": vote}))
    form = forms.BallotForm(
        request.POST or None,
        vote=vote,
        names=ballot_sets.candidate_names(vote),
        max_rankings=ballot_sets.options(vote)["max_rankings"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.cast_ballot(code=code, marks=form.marks())
        except Conflict:
            return _private(render(request, "democracy/voter/already_voted.html", {"vote": vote}))
        except InvalidInput as error:
            # Not save_or_add_errors: a Conflict (already voted) has its own page, and what is
            # wrong with the marks spans every choice, so it is said at the top of the ballot.
            form.add_error(None, error.message)
        else:
            return _private(
                render(request, "democracy/voter/receipt.html", {"vote": vote, "receipt": receipt})
            )
    return _private(
        render(
            request,
            "democracy/voter/ballot.html",
            {"vote": vote, "form": form, "right": voting_code.eligibility},
        )
    )


@public_view
@require_http_methods(["GET", "POST"])
def published(request, public_id: str):
    """The published results, with a form to find one's ballot by its receipt code.

    The receipt is sent by POST so that it never lands in a server's access log next to the
    address it came from.
    """
    vote = queries.published_vote(public_id)
    form = forms.ReceiptForm(request.POST or None)
    matching_ballot, checked = None, False
    if request.method == "POST" and form.is_valid():
        if throttle.blocked(request, RECEIPT):
            return _too_many(request)
        checked = True
        matching_ballot = queries.ballot_with_receipt(vote, form.cleaned_data["receipt"])
        if matching_ballot is None:
            throttle.count_wrong_try(request, RECEIPT)
    return _private(
        render(
            request,
            "democracy/voter/published.html",
            {
                "vote": vote,
                "form": form,
                "checked": checked,
                "found": matching_ballot,
                **queries.results_context(vote),
            },
        )
    )


@public_view
@require_http_methods(["GET"])
def published_ballots(request, public_id: str):
    """The published ballot set, byte for byte the file that was counted."""
    return ballot_file_response(queries.published_vote(public_id))


def ballot_file_response(vote: Vote) -> HttpResponse:
    """Return the counted ballot file of *vote* as a download."""
    response = HttpResponse(vote.result.ballots_csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ballot_sets.file_name(vote)}"'
    return response
