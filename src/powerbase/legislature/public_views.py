"""The public scorecard page: what an organization published on purpose, for anyone to share.

Nothing is public by default: an organization with no published scorecard has no page.
"""

from django.shortcuts import render

from powerbase.core.decorators import public_view
from powerbase.legislature import queries


@public_view
def public_scorecards(request, org_slug: str):
    organization, found = queries.published_scorecards(org_slug)
    return render(request, "legislature/public/scorecards.html", {
        "organization": organization, "scorecards": found})


@public_view
def public_scorecard(request, org_slug: str, scorecard_id: int):
    found = queries.published_scorecard(org_slug, scorecard_id)
    results, chamber = queries.results(found), request.GET.get("chamber", "")
    return render(request, "legislature/public/scorecard.html", {
        "organization": found.organization, "scorecard": found, "results": results,
        "rows": results.in_chamber(chamber), "chamber": chamber,
        "chambers": queries.chambers_with_districts()})
