"""Money pages: the dues of every affiliate and their good standing, one affiliate's dues, and
the money settings. Each parses, reads through `queries`, calls a service and renders."""

from django.contrib import messages
from django.shortcuts import redirect, render

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.forms import flash_errors, save_or_add_errors
from powerbase.money import forms, queries, services

VIEW, MANAGE = "resources.view", "resources.manage"


@org_view(VIEW)
def overview(request, actor: Actor):
    return render(
        request,
        "money/overview.html",
        {
            "standings": queries.dues_overview(actor),
            "settings": queries.settings(actor),
            "issue_form": forms.IssueForm(),
            "may_manage": actor.can(MANAGE),
        },
    )


@org_view(MANAGE, methods=("GET", "POST"))
def money_settings(request, actor: Actor):
    current = queries.settings(actor)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "currency": current.currency,
            "max_days_in_arrears": current.max_days_in_arrears,
            "small_donor_threshold": current.small_donor_threshold_cents / 100,
        },
    )
    saved = request.method == "POST" and save_or_add_errors(
        form,
        lambda: services.save_settings(
            actor=actor,
            currency=form.cleaned_data["currency"],
            max_days_in_arrears=form.cleaned_data["max_days_in_arrears"],
            small_donor_threshold_cents=forms.cents(form.cleaned_data["small_donor_threshold"]),
        ),
    )
    if saved:
        messages.success(request, "Saved the money settings.")
        return redirect("money:overview", org=actor.organization.slug)
    return render(
        request,
        "money/form_page.html",
        {"form": form, "title": "Money settings", "button": "Save the settings"},
    )


@org_view(MANAGE, methods=("POST",))
def invoices_issue(request, actor: Actor):
    form = forms.IssueForm(request.POST)
    issued = save_or_add_errors(
        form, lambda: services.issue_invoices(actor=actor, through=form.cleaned_data["through"])
    )
    if not flash_errors(request, form):
        messages.success(request, f"Issued {len(issued or [])} invoices.")
    return redirect("money:overview", org=actor.organization.slug)


@org_view(VIEW)
def affiliate(request, actor: Actor, affiliate_id: int):
    return render(
        request,
        "money/affiliate.html",
        {
            "dues": queries.affiliate_dues(actor, affiliate_id),
            "settings": queries.settings(actor),
            "may_manage": actor.can(MANAGE),
            "schedule_form": forms.ScheduleForm(),
            "payment_form": forms.PaymentForm(),
            "waiver_form": forms.WaiverForm(),
        },
    )


def _back(actor: Actor, affiliate_id: int):
    return redirect("money:affiliate", org=actor.organization.slug, affiliate_id=affiliate_id)


@org_view(MANAGE, methods=("POST",))
def schedule_new(request, actor: Actor, affiliate_id: int):
    found = queries.affiliate_dues(actor, affiliate_id).affiliate
    form = forms.ScheduleForm(request.POST)
    created = save_or_add_errors(
        form,
        lambda: services.create_schedule(
            actor=actor,
            affiliate=found,
            kind=form.cleaned_data["kind"],
            period=form.cleaned_data["period"],
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            tiers=form.cleaned_data["tiers"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
        ),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Added the dues schedule: {created}.")
    return _back(actor, affiliate_id)


@org_view(MANAGE, methods=("POST",))
def payment_new(request, actor: Actor, affiliate_id: int):
    found = queries.affiliate_dues(actor, affiliate_id).affiliate
    form = forms.PaymentForm(request.POST)
    created = save_or_add_errors(
        form,
        lambda: services.record_payment(
            actor=actor,
            affiliate=found,
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            received_on=form.cleaned_data["received_on"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
        ),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Recorded the payment from {found}.")
    return _back(actor, affiliate_id)


@org_view(MANAGE, methods=("POST",))
def waiver_new(request, actor: Actor, affiliate_id: int):
    found = queries.affiliate_dues(actor, affiliate_id).affiliate
    form = forms.WaiverForm(request.POST)
    created = save_or_add_errors(
        form,
        lambda: services.record_waiver(actor=actor, affiliate=found, **form.cleaned_data),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Recorded the waiver: {found} keeps its votes.")
    return _back(actor, affiliate_id)
