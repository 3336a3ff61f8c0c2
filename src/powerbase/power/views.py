"""The dashboard and the power map: the table, the chart, one district, census figures."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.forms import save_or_add_errors
from powerbase.power import queries, services
from powerbase.voterfile.models import District


@org_view("org.view")
def dashboard(request, actor: Actor):
    return render(request, "power/dashboard.html", {"figures": queries.dashboard(actor)})


SORT_LABELS = [
    ("share", "Base's share of the win number"),
    ("district", "District"),
    ("members", "Members"),
    ("leaders", "Leaders"),
    ("registered", "Registered"),
    ("in_party", "In the party"),
    ("voted", "Voted in last primaries"),
    ("turnout", "Last primary turnout"),
    ("margin", "Last margin (closest first)"),
    ("win_number", "Win number"),
]


def _choice(request, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


@org_view("power.view")
def show_power_map(request, actor: Actor):
    kind = _choice(request, "kind", queries.CHAMBERS, "state_house")
    sort = _choice(request, "sort", queries.SORTS, "share")
    party = request.GET.get("party") or None
    power_map = queries.power_map(actor, kind=kind, party=party, sort=sort)
    if party and party not in dict(power_map.parties):
        power_map = queries.power_map(actor, kind=kind, sort=sort)
    kinds = dict(District.Kind.choices)
    return render(
        request,
        "power/map.html",
        {
            "power": power_map,
            "kind": kind,
            "sort": sort,
            "chart": queries.chart(power_map),
            "drawn": queries.drawn_map(actor, power_map) if power_map.version else None,
            "chambers": [(value, kinds[value]) for value in queries.CHAMBERS],
            "close_count": len(power_map.close()),
            "rows": [
                (
                    row,
                    power_map.districts.get(row.code),
                    row.is_close_to_decisive(power_map.assumptions),
                )
                for row in power_map.rows
            ],
            "sort_query": f"kind={kind}&party={power_map.assumptions.party}",
            "sort_labels": SORT_LABELS,
        },
    )


@org_view("power.view")
def district(request, actor: Actor, district_id: int):
    page = queries.district_page(actor, district_id, party=request.GET.get("party") or None)
    return render(
        request,
        "power/district.html",
        {
            "page": page,
            "close": page.power is not None and page.power.is_close_to_decisive(page.assumptions),
            "exact": actor.can("people.view_sensitive"),
            "may_cut": actor.can("electoral.manage"),
        },
    )


@org_view("power.view")
def census(request, actor: Actor):
    return render(
        request,
        "power/census.html",
        {"districts": queries.census_districts(actor), "may_import": actor.can("voterfile.import")},
    )


class CensusForm(forms.Form):
    file = forms.FileField(
        help_text="CSV with the columns district_kind, district, category, "
        "group, count (e.g. state_house,94,race,Black,4120)."
    )


@org_view("voterfile.import", methods=("GET", "POST"))
def census_import(request, actor: Actor):
    form = CensusForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        count = save_or_add_errors(
            form,
            lambda: services.import_census(
                actor=actor, file_name=upload.name, content=upload.read()
            ),
        )
        if count is not None:
            messages.success(request, f"Imported {count} census figures.")
            return redirect("power:census", org=actor.organization.slug)
    return render(request, "power/census_import.html", {"form": form})
