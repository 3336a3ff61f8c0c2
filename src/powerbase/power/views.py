from django.shortcuts import render

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.power import queries


@org_view("org.view")
def dashboard(request, actor: Actor):
    return render(request, "power/dashboard.html", {"figures": queries.dashboard(actor)})
