"""Bargaining pages: the units and campaigns, a unit (edit its dates), a contract campaign
(demands and outcomes, partners, public actions, targets and stances, settling), the calendar
of expirations and the demands-won report. Each parses, reads through `queries`, calls a
service and renders."""

from django.shortcuts import redirect, render
from django.utils import timezone

from powerbase.bargaining import forms, queries, services
from powerbase.bargaining.models import ContractCampaign
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.forms import post_and_redirect
from powerbase.strategy import queries as strategy_queries

VIEW, MANAGE = "bargaining.view", "bargaining.manage"


def _unit_form(actor: Actor, data=None) -> forms.UnitForm:
    return forms.UnitForm(data, choices={"affiliate": queries.affiliates(actor)})


def _campaign_form(actor: Actor, data=None) -> forms.CampaignForm:
    return forms.CampaignForm(data, choices={"authorised_by": queries.decisions(actor)})


def _campaign_page(actor: Actor, campaign_id: int):
    return redirect("bargaining:campaign", org=actor.organization.slug, campaign_id=campaign_id)


def _unit_page(actor: Actor, unit_id: int):
    return redirect("bargaining:unit", org=actor.organization.slug, unit_id=unit_id)


# Units ---------------------------------------------------------------------------------------


@org_view(VIEW)
def overview(request, actor: Actor):
    return render(
        request,
        "bargaining/overview.html",
        {
            "units": queries.units(actor),
            "may_manage": actor.can(MANAGE),
            "form": _unit_form(actor),
        },
    )


@org_view(MANAGE, methods=("POST",))
def unit_new(request, actor: Actor):
    form = _unit_form(actor, request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.create_unit(actor=actor, **form.cleaned_data),
        success=lambda created: f"Added the unit {created}.",
        back=lambda: redirect("bargaining:overview", org=actor.organization.slug),
        onward=lambda created: _unit_page(actor, created.pk),
    )


@org_view(VIEW)
def unit(request, actor: Actor, unit_id: int):
    found = queries.unit(actor, unit_id)
    initial = {
        key: getattr(found, key)
        for key in (
            "employer",
            "name",
            "unit_size",
            "contract_expires_on",
            "bargaining_starts_on",
            "notes",
        )
    }
    return render(
        request,
        "bargaining/unit.html",
        {
            "unit": found,
            "may_manage": actor.can(MANAGE),
            "edit_form": forms.UnitEditForm(initial=initial),
            "campaign_form": _campaign_form(actor),
        },
    )


@org_view(MANAGE, methods=("POST",))
def unit_edit(request, actor: Actor, unit_id: int):
    found = queries.unit(actor, unit_id)
    form = forms.UnitEditForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.update_unit(actor=actor, unit=found, **form.cleaned_data),
        success=lambda saved: f"Saved {saved}.",
        back=lambda: _unit_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def campaign_new(request, actor: Actor, unit_id: int):
    found = queries.unit(actor, unit_id)
    form = _campaign_form(actor, request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.start_campaign(actor=actor, unit=found, **form.cleaned_data),
        success=lambda created: f"Started the campaign {created}.",
        back=lambda: _unit_page(actor, found.pk),
        onward=lambda created: _campaign_page(actor, created.pk),
    )


# A contract campaign -------------------------------------------------------------------------


@org_view(VIEW)
def campaign(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    may_manage = actor.can(MANAGE)
    settled = found.status == ContractCampaign.Status.SETTLED
    return render(
        request,
        "bargaining/campaign.html",
        {
            "campaign": found,
            "unit": found.unit,
            "demands": queries.demands(actor, found),
            "partners": queries.partners(actor, found),
            "sessions": queries.sessions(actor, found),
            "today": timezone.localdate(),
            "session_form": forms.SessionForm(),
            "public_actions": queries.public_actions(actor, found),
            "targets": [
                (row, forms.StanceForm(auto_id=f"id_stance_{row.target.pk}_%s"))
                for row in queries.targets(actor, found)
            ],
            "may_manage": may_manage,
            "may_open_decision": strategy_queries.may_open(actor, found.authorised_by),
            "settled": settled,
            "status_form": forms.StatusForm(initial={"status": found.status}),
            "settle_form": forms.SettleForm(),
            "demand_form": forms.DemandForm(
                choices={"platform_demand": queries.platform_demands(actor)}
            ),
            "outcome_form": forms.OutcomeForm(),
            "partner_form": forms.PartnerForm(
                choices={"affiliate": queries.affiliates(actor).exclude(pk=found.unit.affiliate_id)}
            ),
            "action_form": forms.ActionForm(choices={"action": queries.linkable_actions(actor)}),
            "target_form": forms.TargetForm(choices={"official": queries.officials(actor)}),
        },
    )


@org_view(MANAGE, methods=("POST",))
def campaign_status(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    form = forms.StatusForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.set_status(actor=actor, campaign=found, **form.cleaned_data),
        success=lambda saved: f"{saved.name} is now {saved.get_status_display().lower()}.",
        back=lambda: _campaign_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def settle(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    form = forms.SettleForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.settle(actor=actor, campaign=found, **form.cleaned_data),
        success=lambda saved: f"The contract settled on {saved.settled_on}.",
        back=lambda: _campaign_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def session_new(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    form = forms.SessionForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.add_session(actor=actor, campaign=found, **form.cleaned_data),
        success=lambda created: f"Added the bargaining session of {created.meets_on}.",
        back=lambda: _campaign_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def demand_new(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    form = forms.DemandForm(
        request.POST, choices={"platform_demand": queries.platform_demands(actor)}
    )
    return post_and_redirect(
        request,
        form,
        lambda: services.add_demand(actor=actor, campaign=found, **form.cleaned_data),
        success=lambda created: f"Added the {created.get_source_display().lower()} “{created}”.",
        back=lambda: _campaign_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def demand_outcome(request, actor: Actor, demand_id: int):
    found = queries.demand(actor, demand_id)
    form = forms.OutcomeForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.record_outcome(actor=actor, demand=found, **form.cleaned_data),
        success=lambda saved: f"“{saved}”: {saved.get_outcome_display().lower()}.",
        back=lambda: _campaign_page(actor, found.campaign_id),
    )


@org_view(MANAGE, methods=("POST",))
def partner_new(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    form = forms.PartnerForm(request.POST, choices={"affiliate": queries.affiliates(actor)})
    return post_and_redirect(
        request,
        form,
        lambda: services.add_partner(actor=actor, campaign=found, **form.cleaned_data),
        success=lambda created: f"{created.affiliate.name} stands with the campaign.",
        back=lambda: _campaign_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def action_link(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    form = forms.ActionForm(request.POST, choices={"action": queries.linkable_actions(actor)})
    return post_and_redirect(
        request,
        form,
        lambda: services.link_action(actor=actor, campaign=found, **form.cleaned_data),
        success=lambda saved: f"Added {form.cleaned_data['action']} to the campaign.",
        back=lambda: _campaign_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def target_new(request, actor: Actor, campaign_id: int):
    found = queries.campaign(actor, campaign_id)
    form = forms.TargetForm(request.POST, choices={"official": queries.officials(actor)})
    return post_and_redirect(
        request,
        form,
        lambda: services.add_target(actor=actor, campaign=found, **form.cleaned_data),
        success=lambda created: f"Added the target {created}.",
        back=lambda: _campaign_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def stance_new(request, actor: Actor, target_id: int):
    found = queries.target(actor, target_id)
    form = forms.StanceForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.record_stance(actor=actor, target=found, **form.cleaned_data),
        success=lambda created: f"{found.name}: {created.get_stance_display().lower()}.",
        back=lambda: _campaign_page(actor, found.campaign_id),
    )


# Across the coalition -------------------------------------------------------------------------


@org_view(VIEW)
def calendar(request, actor: Actor):
    return render(
        request,
        "bargaining/calendar.html",
        {"quarters": queries.calendar(actor), "years": queries.CALENDAR_YEARS},
    )


@org_view(VIEW)
def wins(request, actor: Actor):
    return render(request, "bargaining/wins.html", {"report": queries.wins(actor)})
