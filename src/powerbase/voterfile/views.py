"""Voter file pages: the overview with its import history, one version's report, putting a
version in use, the import form, the districts and one district. Each parses, reads through
`queries`, calls a service and renders."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.forms import save_or_add_errors
from powerbase.voterfile import gates, queries, services
from powerbase.voterfile.diff import CHANGE_KINDS, CHANGE_LABELS
from powerbase.voterfile.forms import ImportForm
from powerbase.voterfile.layout import DISTRICT_KINDS
from powerbase.voterfile.models import District

DISTRICTS_PER_PAGE = 100


@org_view("voterfile.view")
def overview(request, actor: Actor):
    versions = list(queries.versions(actor)[:20])
    current = queries.current_version(actor)
    return render(
        request,
        "voterfile/overview.html",
        {
            "current": current,
            "held": [
                version
                for version in versions
                if version.status == version.Status.HELD
                and (current is None or version.number > current.number)
            ],
            "current_changes": _changes(current),
            "versions": [(version, _changes(version)) for version in versions],
            "jobs": queries.import_jobs(actor),
            "may_import": actor.can("voterfile.import"),
            "kind_counts": _kind_counts(actor) if current else [],
        },
    )


@org_view("voterfile.view")
def show_version(request, actor: Actor, number: int):
    version = queries.version(actor, number)
    current = queries.current_version(actor)
    return render(
        request,
        "voterfile/version.html",
        {
            "version": version,
            "changes": _changes(version),
            "in_use": current is not None and current.pk == version.pk,
            "failed_gates": gates.failed(version.gates),
            "may_use": actor.can("voterfile.import"),
            "may_follow_job": queries.may_follow_import_job(actor, version),
        },
    )


@org_view("voterfile.import", methods=("GET", "POST"))
def use_version(request, actor: Actor, number: int):
    """Confirm, then put an earlier or held version in use; the page shows its numbers."""
    version = queries.version(actor, number)
    if request.method == "POST":
        try:
            services.use_version(
                actor=actor, number=number, accept_large_change=request.POST.get("accept") == "yes"
            )
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Version {number} is now the voter file in use.")
            return redirect("voterfile:overview", org=actor.organization.slug)
    current = queries.current_version(actor)
    return render(
        request,
        "voterfile/use.html",
        {
            "version": version,
            "current": current,
            "in_use": current is not None and current.pk == version.pk,
            "failed_gates": gates.failed(version.gates),
        },
    )


@org_view("voterfile.import", methods=("GET", "POST"))
def start_import(request, actor: Actor):
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"layout": _layout_for_state(actor.organization.state)},
    )
    if request.method == "POST" and form.is_valid():
        job = save_or_add_errors(
            form,
            lambda: services.start_upload_import(
                actor=actor,
                files=form.cleaned_data["files"],
                layout=form.cleaned_data["layout"],
                mapping=form.cleaned_data["mapping"],
                accept_large_change=form.cleaned_data["accept_large_change"],
            ),
        )
        if job is not None:
            messages.success(
                request,
                "The import has started. The new version takes over "
                "when it finishes and passes its checks; until then the "
                "current one stays in use.",
            )
            return redirect("core:job", org=actor.organization.slug, job_id=job.pk)
    return render(request, "voterfile/import.html", {"form": form, "layouts": queries.layouts()})


@org_view("voterfile.view")
def districts(request, actor: Actor):
    kind = request.GET.get("kind", "")
    if kind not in DISTRICT_KINDS:
        kind = ""
    order = request.GET.get("sort", "code")
    if order not in queries.DISTRICT_ORDERS:
        order = "code"
    page = Paginator(queries.districts(actor, kind=kind, order=order), DISTRICTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "voterfile/districts.html",
        {
            "page": page,
            "kind": kind,
            "sort": order,
            "kind_label": dict(District.Kind.choices).get(kind, "All districts"),
            "kind_counts": _kind_counts(actor),
            "query": _query(kind=kind, sort=order),
            "sort_links": _sort_links(kind, order),
        },
    )


@org_view("voterfile.view")
def show_district(request, actor: Actor, district_id: int):
    district = queries.district(actor, district_id)
    profile = queries.district_profile(actor, district)
    registered = district.voter_count or 1
    return render(
        request,
        "voterfile/district.html",
        {
            "district": district,
            "profile": profile,
            "is_current": district.version_id
            == getattr(queries.current_version(actor), "pk", None),
            "parties": [
                (party, count, round(100 * count / registered))
                for party, count in profile["parties"]
            ],
            "turnout": _turnout_rows(profile, registered),
            "districts_url": reverse("voterfile:districts", kwargs={"org": actor.organization.slug})
            + f"?kind={district.kind}",
        },
    )


def _layout_for_state(state: str) -> str:
    """Return the layout of the organization's state, if powerbase ships one."""
    names = {layout.state: layout.name for layout in queries.layouts() if layout.state}
    return names.get(state, "generic")


def _changes(version) -> list[dict]:
    if version is None or not version.changes:
        return []
    return [
        {"kind": kind, "label": CHANGE_LABELS[kind], **version.changes[kind]}
        for kind in CHANGE_KINDS
        if kind in version.changes
    ]


PLURALS = {
    "congressional": "congressional districts",
    "state_senate": "state senate districts",
    "state_house": "state house districts",
    "county": "counties",
    "municipality": "municipalities",
    "ward": "wards",
    "precinct": "precincts",
    "county_commission": "county commission districts",
    "school_board": "school board districts",
    "township": "townships",
    "judicial": "judicial districts",
    "superior_court": "superior court districts",
    "appeals_court": "court of appeals districts",
    "municipal_court": "municipal court districts",
    "municipal_district": "municipal service districts",
    "fire": "fire districts",
    "water": "water districts",
    "sewer": "sewer districts",
    "sanitation": "sanitation districts",
    "rescue": "rescue districts",
    "library": "library districts",
    "other_1": "other local districts (1)",
    "other_2": "other local districts (2)",
    "vtd": "voting tabulation districts",
}


def _kind_counts(actor: Actor) -> list[tuple[str, str, int, str]]:
    counts = queries.district_kind_counts(actor)
    labels = dict(District.Kind.choices)
    return [
        (kind, labels[kind], counts[kind], PLURALS[kind]) for kind in DISTRICT_KINDS if counts[kind]
    ]


def _turnout_rows(profile: dict, registered: int) -> list[dict]:
    """Return one row per "voted in n of the last elections", for primaries and generals."""
    return [
        {
            "times": times,
            "primaries": profile["primaries"][times],
            "primaries_percent": round(100 * profile["primaries"][times] / registered),
            "generals": profile["generals"][times],
            "generals_percent": round(100 * profile["generals"][times] / registered),
        }
        for times in sorted(profile["primaries"])
    ]


def _sort_links(kind: str, current: str) -> dict[str, str]:
    """Return the link of each column header; a second click on a count reverses it."""
    toggles = {
        "name": "name",
        "code": "code",
        "voters": "-voters" if current == "voters" else "voters",
        "active": "-active" if current == "active" else "active",
    }
    return {column: "?" + _query(kind=kind, sort=value) for column, value in toggles.items()}


def _query(**values: str) -> str:
    return urlencode({key: value for key, value in values.items() if value})
