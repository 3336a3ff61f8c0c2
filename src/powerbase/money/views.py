"""Money pages: the dues of every affiliate and their good standing, one affiliate's dues, the
year's income by source with gifts, grants and imports, and the money settings. Each parses,
reads through `queries`, calls a service and renders."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from powerbase.core import access, pickers
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.forms import flash_errors, post_and_redirect, save_or_add_errors
from powerbase.imports.formulas import escape_formula
from powerbase.money import capacity, charts, forms, queries, services
from powerbase.people import queries as people_queries

VIEW, MANAGE = "resources.view", "resources.manage"


@org_view(VIEW)
def overview(request, actor: Actor):
    books = queries.dues_books(actor, request.GET.get("entity"))
    return render(
        request,
        "money/overview.html",
        {
            "books": books,
            "dues_entity": queries.dues_entity(actor.organization),
            "standings": queries.dues_overview(actor, books),
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
            "dues_entity": current.dues_entity,
        },
        entities=queries.entities(actor),
    )
    saved = request.method == "POST" and save_or_add_errors(
        form,
        lambda: services.save_settings(
            actor=actor,
            currency=form.cleaned_data["currency"],
            max_days_in_arrears=form.cleaned_data["max_days_in_arrears"],
            small_donor_threshold_cents=forms.cents(form.cleaned_data["small_donor_threshold"]),
            dues_entity=form.cleaned_data["dues_entity"],
        ),
    )
    if saved:
        messages.success(request, "Saved the money settings.")
        return redirect("money:overview", org=actor.organization.slug)
    return render(
        request,
        "money/settings.html",
        {
            "form": form,
            "title": "Money settings",
            "button": "Save the settings",
            "entities": queries.entities(actor),
            "entity_form": forms.EntityForm(prefix="entity"),
        },
    )


@org_view(MANAGE, methods=("POST",))
def entity_new(request, actor: Actor):
    form = forms.EntityForm(request.POST, prefix="entity")
    created = save_or_add_errors(
        form, lambda: services.create_entity(actor=actor, **form.cleaned_data)
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Added {created}: its books are kept apart.")
    return redirect("money:settings", org=actor.organization.slug)


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
    books = queries.dues_books(actor, request.GET.get("entity"))
    in_books = {"entity": books.entity}
    return render(
        request,
        "money/affiliate.html",
        {
            "books": books,
            "dues_entity": queries.dues_entity(actor.organization),
            "dues": queries.affiliate_dues(actor, affiliate_id, books),
            "settings": queries.settings(actor),
            "may_manage": actor.can(MANAGE),
            "schedule_form": forms.ScheduleForm(entities=queries.entities(actor), initial=in_books),
            "payment_form": forms.PaymentForm(entities=queries.entities(actor), initial=in_books),
            "waiver_form": forms.WaiverForm(),
        },
    )


def _decision_posted(request, actor: Actor):
    """The decision a form's decision picker chose (its id under "decision"), if any; another
    organization's id is not found (404)."""
    text = request.POST.get("decision", "").strip()
    return queries.decision(actor, int(text)) if text.isdigit() else None


@org_view(MANAGE)
def decision_pick(request, actor: Actor):
    """The decision picker's answers for ?q=... (up to 15, newest first)."""
    query = pickers.typed_query(request)
    return render(
        request,
        "money/_decision_options.html",
        {"query": query, "decisions": queries.decisions_matching(actor, query)},
    )


def _back(actor: Actor, affiliate_id: int):
    return redirect("money:affiliate", org=actor.organization.slug, affiliate_id=affiliate_id)


def _post_for_affiliate(request, actor: Actor, affiliate_id: int, form, save, success: str):
    """The frame of the dues page's forms (`post_and_redirect`) for an affiliate: *save* gets
    the affiliate (`save(affiliate)`); *success* may name `{affiliate}` and `{created}`."""
    found = queries.affiliate_dues(actor, affiliate_id).affiliate
    return post_and_redirect(
        request,
        form,
        lambda: save(found),
        success=lambda created: success.format(affiliate=found, created=created),
        back=lambda: _back(actor, affiliate_id),
    )


@org_view(MANAGE, methods=("POST",))
def schedule_new(request, actor: Actor, affiliate_id: int):
    form = forms.ScheduleForm(request.POST, entities=queries.entities(actor))
    return _post_for_affiliate(
        request,
        actor,
        affiliate_id,
        form,
        lambda found: services.create_schedule(
            actor=actor,
            affiliate=found,
            kind=form.cleaned_data["kind"],
            period=form.cleaned_data["period"],
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            tiers=form.cleaned_data["tiers"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            entity=form.cleaned_data["entity"],
        ),
        "Added the dues schedule: {created}.",
    )


@org_view(MANAGE, methods=("POST",))
def payment_new(request, actor: Actor, affiliate_id: int):
    form = forms.PaymentForm(request.POST, entities=queries.entities(actor))
    return _post_for_affiliate(
        request,
        actor,
        affiliate_id,
        form,
        lambda found: services.record_payment(
            actor=actor,
            affiliate=found,
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            received_on=form.cleaned_data["received_on"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
            entity=form.cleaned_data["entity"],
        ),
        "Recorded the payment from {affiliate}.",
    )


@org_view(MANAGE, methods=("POST",))
def waiver_new(request, actor: Actor, affiliate_id: int):
    form = forms.WaiverForm(request.POST)
    decided = _decision_posted(request, actor)
    return _post_for_affiliate(
        request,
        actor,
        affiliate_id,
        form,
        lambda found: services.record_waiver(
            actor=actor, affiliate=found, decision=decided, **form.cleaned_data
        ),
        "Recorded the waiver: {affiliate} keeps its votes.",
    )


# A person's own dues ----------------------------------------------------------------------


@org_view("people.view", methods=("POST",))
def member_dues(request, actor: Actor, person_id: int):
    """Record a person's dues from their page (a lead: to their own affiliate)."""
    if not services.may_record_member_dues(actor):
        access.require(actor, MANAGE)
    person = people_queries.person_page(actor, person_id).person
    form = forms.MemberDuesForm(
        request.POST,
        affiliates=queries.member_dues_affiliates(actor, person),
        to_the_ipo=actor.can(MANAGE),
    )
    created = save_or_add_errors(
        form,
        lambda: services.record_member_dues(
            actor=actor,
            person=person,
            affiliate=queries.affiliate_of(actor, form.cleaned_data["affiliate"]),
            status=form.cleaned_data["status"],
            method=form.cleaned_data["method"],
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            period=form.cleaned_data["period"],
            paid_through=form.cleaned_data["paid_through"],
        ),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Recorded the dues of {person}.")
    return redirect("people:person", org=actor.organization.slug, person_id=person.pk)


# Income ------------------------------------------------------------------------------------

LINES_SHOWN = 100


@org_view(VIEW)
def income(request, actor: Actor):
    year = _year(request)
    books = queries.books(actor, request.GET.get("entity"))
    entities = queries.entities(actor)
    initial = {"entity": books.entity or entities.first()}
    return render(
        request,
        "money/income.html",
        {
            "year": year,
            "books": books,
            "totals": queries.income_table(actor, year, books),
            "lines": books.of(queries.income_lines(actor).filter(received_on__year=year))[
                :LINES_SHOWN
            ],
            "grants": books.of(queries.grants(actor)),
            "imports": queries.imports(actor)[:10],
            "settings": queries.settings(actor),
            "may_manage": actor.can(MANAGE),
            "income_form": forms.IncomeForm(entities=entities, initial=initial),
            "grant_form": forms.GrantForm(entities=entities, initial=initial),
            "import_form": forms.ImportForm(entities=entities, initial=initial),
        },
    )


def _year(request) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 1900 < int(text) < 3000 else timezone.localdate().year


def _to_income(actor: Actor):
    return redirect("money:income", org=actor.organization.slug)


@org_view(MANAGE, methods=("POST",))
def income_new(request, actor: Actor):
    form = forms.IncomeForm(request.POST, entities=queries.entities(actor))
    created = save_or_add_errors(
        form,
        lambda: services.record_income(
            actor=actor,
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            received_on=form.cleaned_data["received_on"],
            source_class=form.cleaned_data["source_class"],
            payer_name=form.cleaned_data["payer_name"],
            recurring=form.cleaned_data["recurring"],
            note=form.cleaned_data["note"],
            entity=form.cleaned_data["entity"],
        ),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, "Recorded the income.")
    return _to_income(actor)


@org_view(MANAGE, methods=("POST",))
def grant_new(request, actor: Actor):
    form = forms.GrantForm(request.POST, entities=queries.entities(actor))
    created = save_or_add_errors(
        form,
        lambda: services.create_grant(
            actor=actor,
            funder=form.cleaned_data["funder"],
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            source_class=form.cleaned_data["source_class"],
            restricted_to=form.cleaned_data["restricted_to"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            reports_due=form.cleaned_data["reports_due"],
            entity=form.cleaned_data["entity"],
        ),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Recorded the grant: {created}.")
    return _to_income(actor)


@org_view(MANAGE, methods=("POST",))
def income_import(request, actor: Actor):
    """Queue the file's import as a job and follow its progress on the job's page."""
    form = forms.ImportForm(request.POST, request.FILES, entities=queries.entities(actor))
    job = save_or_add_errors(
        form,
        lambda: services.start_import(
            actor=actor,
            file_name=form.cleaned_data["file"].name,
            content=form.cleaned_data["file"].read(),
            source=form.cleaned_data["source"],
            entity=form.cleaned_data["entity"],
        ),
    )
    if flash_errors(request, form) or job is None:
        return _to_income(actor)
    messages.info(request, f"Importing {form.cleaned_data['file'].name}: progress below.")
    return redirect("core:job", org=actor.organization.slug, job_id=job.pk)


# Budgets, expenses and the bookkeeper's export ---------------------------------------------


@org_view(VIEW)
def budgets(request, actor: Actor):
    books = queries.books(actor, request.GET.get("entity"))
    entities = queries.entities(actor)
    return render(
        request,
        "money/budgets.html",
        {
            "books": books,
            "budgets": books.of(queries.budgets(actor)),
            "may_manage": actor.can(MANAGE),
            "budget_form": forms.BudgetForm(
                campaigns=queries.campaigns(actor),
                entities=entities,
                initial={
                    "year": timezone.localdate().year,
                    "entity": books.entity or entities.first(),
                },
            ),
            "year": timezone.localdate().year,
        },
    )


@org_view(MANAGE, methods=("POST",))
def budget_new(request, actor: Actor):
    form = forms.BudgetForm(
        request.POST, campaigns=queries.campaigns(actor), entities=queries.entities(actor)
    )
    created = save_or_add_errors(
        form, lambda: services.create_budget(actor=actor, **form.cleaned_data)
    )
    if flash_errors(request, form) or not created:
        return redirect("money:budgets", org=actor.organization.slug)
    messages.success(request, f"Started the budget {created}.")
    return redirect("money:budget", org=actor.organization.slug, budget_id=created.pk)


@org_view(VIEW)
def budget(request, actor: Actor, budget_id: int):
    found = queries.budget(actor, budget_id)
    rows = queries.budget_vs_actual(actor, found)
    return render(
        request,
        "money/budget.html",
        {
            "budget": found,
            "rows": rows,
            "total": {
                "budgeted": sum(r.budgeted_cents for r in rows),
                "actual": sum(r.actual_cents for r in rows),
                "variance": sum(r.variance_cents for r in rows),
            },
            "expenses": queries.expenses(actor).filter(budget=found)[:LINES_SHOWN],
            "settings": queries.settings(actor),
            "may_manage": actor.can(MANAGE),
            "line_form": forms.BudgetLineForm(),
            "expense_form": forms.ExpenseForm(initial={"budget": found.pk}),
        },
    )


@org_view(MANAGE, methods=("POST",))
def budget_line(request, actor: Actor, budget_id: int):
    found = queries.budget(actor, budget_id)
    form = forms.BudgetLineForm(request.POST)
    saved = save_or_add_errors(
        form,
        lambda: services.set_budget_line(
            actor=actor,
            budget=found,
            category=form.cleaned_data["category"],
            account_code=form.cleaned_data["account_code"],
            amount_cents=forms.cents(form.cleaned_data["amount"]),
        ),
    )
    if not flash_errors(request, form) and saved:
        messages.success(request, f"Planned {saved.category}.")
    return redirect("money:budget", org=actor.organization.slug, budget_id=found.pk)


@org_view(MANAGE, methods=("POST",))
def expense_new(request, actor: Actor):
    form = forms.ExpenseForm(request.POST)
    charged = None
    if form.is_valid() and form.cleaned_data["budget"]:
        charged = queries.budget(actor, form.cleaned_data["budget"])
    created = save_or_add_errors(
        form,
        lambda: services.record_expense(
            actor=actor,
            spent_on=form.cleaned_data["spent_on"],
            amount_cents=forms.cents(form.cleaned_data["amount"]),
            category=form.cleaned_data["category"],
            payee=form.cleaned_data["payee"],
            account_code=form.cleaned_data["account_code"],
            reference=form.cleaned_data["reference"],
            budget=charged,
            decision=_decision_posted(request, actor),
        ),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Recorded the expense: {created}.")
    if charged is not None:
        return redirect("money:budget", org=actor.organization.slug, budget_id=charged.pk)
    return redirect("money:budgets", org=actor.organization.slug)


@org_view(VIEW)
def bookkeeper_csv(request, actor: Actor):
    year = _year(request)
    books = queries.books(actor, request.GET.get("entity"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{actor.organization.slug}-{books.key}-books-{year}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(queries.BOOKKEEPER_COLUMNS)
    # Names come from donors and vendors: a spreadsheet must not run one as a formula.
    writer.writerows(
        (day, code, kind, escape_formula(text), amount, escape_formula(ref))
        for day, code, kind, text, amount, ref in queries.bookkeeper_rows(actor, year, books)
    )
    return response


# The self-funding dashboard and capacity ---------------------------------------------------


@org_view(VIEW)
def dashboard(request, actor: Actor):
    year = _year(request)
    books = queries.books(actor, request.GET.get("entity"))
    months = capacity.self_funding(actor, year, books)
    hours = capacity.hours_by_campaign(actor, year, books)
    in_kind = capacity.in_kind_by_affiliate(actor, year, books)
    return render(
        request,
        "money/dashboard.html",
        {
            "year": year,
            "books": books,
            "months": months,
            "year_base": sum(m.base_cents for m in months),
            "year_outside": sum(m.outside_cents for m in months),
            "year_other": sum(m.other_cents for m in months),
            "funding_svg": charts.self_funding_svg(months),
            "hours": hours,
            "hours_svg": charts.hours_svg(hours),
            "in_kind": in_kind,
            "in_kind_svg": charts.in_kind_svg(in_kind),
            "settings": queries.settings(actor),
            "may_manage": actor.can(MANAGE),
            "hours_form": forms.HoursForm(
                campaigns=queries.campaigns(actor), affiliates=queries.affiliates(actor)
            ),
        },
    )


@org_view(MANAGE, methods=("POST",))
def hours_new(request, actor: Actor):
    form = forms.HoursForm(
        request.POST, campaigns=queries.campaigns(actor), affiliates=queries.affiliates(actor)
    )
    created = save_or_add_errors(
        form,
        lambda: services.record_hours(
            actor=actor,
            kind=form.cleaned_data["kind"],
            month=form.cleaned_data["month"],
            hours=form.cleaned_data["hours"],
            campaign=form.cleaned_data["campaign"],
            affiliate=form.cleaned_data["affiliate"],
            rate_cents=forms.cents(form.cleaned_data["rate"]),
        ),
    )
    if not flash_errors(request, form) and created:
        messages.success(request, f"Recorded {created}.")
    return redirect("money:dashboard", org=actor.organization.slug)
