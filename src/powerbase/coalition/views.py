from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render

from powerbase.coalition import exports, queries, services
from powerbase.coalition.forms import AffiliateForm, LeadAffiliatesForm, SharingTermsForm
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view, require_recent_auth
from powerbase.core.forms import save_or_add_errors
from powerbase.core.models import Job, Membership, Role


@org_view("affiliates.view")
def affiliates(request, actor: Actor):
    return render(
        request,
        "coalition/affiliates.html",
        {
            "affiliates": queries.affiliates_with_counts(actor),
            "may_manage": actor.can("affiliates.manage"),
        },
    )


@org_view("affiliates.view")
def show_affiliate(request, actor: Actor, affiliate_id: int):
    affiliate = queries.affiliate_page(actor, affiliate_id)
    return render(
        request,
        "coalition/affiliate.html",
        {
            "affiliate": affiliate,
            "may_manage": actor.can("affiliates.manage"),
            "may_set_terms": queries.may_set_terms(actor, affiliate),
            "may_see_people": actor.can("people.view"),
            "may_see_access": actor.can("affiliates.view_access"),
        },
    )


@org_view("affiliates.view_access")
def member_access(request, actor: Actor, affiliate_id: int):
    """Who in the coalition viewed, searched for, exported or changed this affiliate's members."""
    affiliate, entries = queries.member_access_log(actor, affiliate_id)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "coalition/member_access.html",
        {
            "affiliate": affiliate,
            "page": page,
            "lines": [queries.describe_look(entry, affiliate) for entry in page.object_list],
        },
    )


@org_view("affiliates.view_access")
def member_access_csv(request, actor: Actor, affiliate_id: int):
    """The same log as a CSV file, every line; a long one is written by a background job."""
    affiliate, made = exports.who_looked_csv(actor, affiliate_id)
    if isinstance(made, Job):
        return redirect("core:export", org=actor.organization.slug, export_id=made.pk)
    response = StreamingHttpResponse(made, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(affiliate)}"'
    return response


@org_view("affiliates.manage", methods=("GET", "POST"))
def affiliate_new(request, actor: Actor):
    form = AffiliateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        created = save_or_add_errors(
            form,
            lambda: services.create_affiliate(
                actor=actor, name=data.pop("name"), kind=data.pop("kind"), **data
            ),
        )
        if created is not None:
            messages.success(request, f"Added {created.name}.")
            return redirect(
                "coalition:affiliate", org=actor.organization.slug, affiliate_id=created.pk
            )
    return render(request, "coalition/affiliate_form.html", {"form": form, "affiliate": None})


@org_view("affiliates.manage", methods=("GET", "POST"))
def affiliate_edit(request, actor: Actor, affiliate_id: int):
    affiliate = queries.affiliate_page(actor, affiliate_id)
    form = AffiliateForm(request.POST or None, instance=affiliate)
    if request.method == "POST" and form.is_valid():
        services.update_affiliate(
            actor=actor,
            affiliate=affiliate,
            changes={name: form.cleaned_data[name] for name in services.AFFILIATE_FIELDS},
        )
        messages.success(request, f"Saved {affiliate.name}.")
        return redirect(
            "coalition:affiliate", org=actor.organization.slug, affiliate_id=affiliate.pk
        )
    return render(request, "coalition/affiliate_form.html", {"form": form, "affiliate": affiliate})


@org_view("affiliates.view", methods=("GET", "POST"))
def sharing_terms(request, actor: Actor, affiliate_id: int):
    """The affiliate's lead (or an owner/admin) decides what the IPO may see of its members."""
    affiliate = queries.affiliate_page(actor, affiliate_id)
    if not queries.may_set_terms(actor, affiliate):
        access.require(actor, "affiliates.manage", affiliate)
    form = SharingTermsForm(
        request.POST or None,
        initial={
            "share_contact": affiliate.share_contact,
            "share_demographics": affiliate.share_demographics,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.set_sharing_terms(actor=actor, affiliate=affiliate, **form.cleaned_data)
        messages.success(request, f"Saved what {affiliate.name} shares with the IPO.")
        return redirect(
            "coalition:affiliate", org=actor.organization.slug, affiliate_id=affiliate.pk
        )
    return render(request, "coalition/sharing_terms.html", {"form": form, "affiliate": affiliate})


@org_view("members.manage", methods=("GET", "POST"))
@require_recent_auth  # which affiliates' members a lead may read is a grant, like a role
def lead_affiliates(request, actor: Actor, member_id: int):
    """Choose which affiliates an affiliate lead is scoped to."""
    membership = access.get(
        actor, Membership.objects.select_related("user"), pk=member_id, role=Role.AFFILIATE_LEAD
    )
    form = LeadAffiliatesForm(
        request.POST or None,
        queryset=queries.assignable_affiliates(actor),
        initial={
            "affiliates": list(membership.affiliate_grants.values_list("affiliate_id", flat=True))
        },
    )
    if request.method == "POST" and form.is_valid():
        save_or_add_errors(
            form,
            lambda: services.set_affiliate_grants(
                actor=actor, membership=membership, affiliates=list(form.cleaned_data["affiliates"])
            ),
        )
        if not form.errors:
            messages.success(request, f"Saved the affiliates of {membership.user.email}.")
            return redirect("core:members", org=actor.organization.slug)
    return render(
        request, "coalition/lead_affiliates.html", {"membership": membership, "form": form}
    )
