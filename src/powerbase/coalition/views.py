from django.contrib import messages
from django.shortcuts import redirect, render

from powerbase.coalition import queries, services
from powerbase.coalition.forms import LeadAffiliatesForm
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Membership, Role


@org_view("affiliates.view")
def affiliates(request, actor: Actor):
    return render(request, "coalition/affiliates.html", {
        "affiliates": queries.affiliates(actor)})


@org_view("members.manage", methods=("GET", "POST"))
def lead_affiliates(request, actor: Actor, member_id: int):
    """Choose which affiliates an affiliate lead is scoped to."""
    membership = access.get(actor, Membership.objects.select_related("user"), pk=member_id,
                            role=Role.AFFILIATE_LEAD)
    form = LeadAffiliatesForm(
        request.POST or None, queryset=queries.assignable_affiliates(actor),
        initial={"affiliates": list(membership.affiliate_grants.values_list("affiliate_id",
                                                                            flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_affiliate_grants(actor=actor, membership=membership,
                                          affiliates=list(form.cleaned_data["affiliates"]))
        except InvalidInput as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved the affiliates of {membership.user.email}.")
            return redirect("core:members", org=actor.organization.slug)
    return render(request, "coalition/lead_affiliates.html", {
        "membership": membership, "form": form})
