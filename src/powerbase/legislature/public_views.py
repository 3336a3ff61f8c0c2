"""The public scorecard page: what an organization published on purpose, for anyone to share.

Nothing is public by default: an organization with no published scorecard has no page.
"""

from django.shortcuts import render

from powerbase.core.decorators import public_view
from powerbase.legislature import queries


@public_view
def public_scorecards(request, org_slug: str):
    organization, scorecards = queries.published_scorecards(org_slug)
    return render(
        request,
        "legislature/public/scorecards.html",
        {"organization": organization, "scorecards": scorecards},
    )


@public_view
def public_scorecard(request, org_slug: str, scorecard_id: int):
    scorecard = queries.published_scorecard(org_slug, scorecard_id)
    results, chamber = queries.results(scorecard), request.GET.get("chamber", "")
    return render(
        request,
        "legislature/public/scorecard.html",
        {
            "organization": scorecard.organization,
            "scorecard": scorecard,
            "results": results,
            "rows": results.in_chamber(chamber),
            "chamber": chamber,
            "chambers": queries.chambers_with_districts(),
        },
    )
