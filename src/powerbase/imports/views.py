"""Pages for importing a list: upload, map columns, read the check, import, undo."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from powerbase.coalition import queries as coalition_queries
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.forms import save_or_add_errors
from powerbase.core.models import Job
from powerbase.imports import problem_reports, queries, services
from powerbase.imports.forms import FixForm, MappingForm, UploadForm
from powerbase.imports.mapping import FIELDS
from powerbase.imports.models import ImportBatch
from powerbase.imports.pipeline import CUSTOM_PREFIX
from powerbase.imports.samples import NEW_FIELD_PREFIX
from powerbase.imports.validating import preview_cell
from powerbase.people import queries as people_queries


@org_view("imports.view", methods=("GET", "POST"))
def imports(request, actor: Actor):
    """The import history, and the form to upload a new list."""
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        affiliates=_affiliates(actor),
        allow_own_list=not actor.is_affiliate_scoped,
    )
    if request.method == "POST":
        access.require(actor, "imports.run")
        if form.is_valid():
            try:
                batch = services.upload(
                    actor=actor,
                    file_name=form.cleaned_data["file"].name,
                    content=form.cleaned_data["file"].read(),
                    affiliate=_affiliate(actor, form.cleaned_data["affiliate"]),
                )
            except InvalidInput as error:
                form.add_error("file", error.message)
            else:
                return redirect("imports:batch", org=actor.organization.slug, batch_id=batch.pk)
    return render(
        request,
        "imports/imports.html",
        {
            "form": form,
            "batches": queries.batches(actor)[:100],
            "may_run": actor.can("imports.run"),
        },
    )


@org_view("imports.view", methods=("GET", "POST"))
def show_batch(request, actor: Actor, batch_id: int):
    """One import: its mapping, its check, its progress, its outcome."""
    batch = queries.batch(actor, batch_id)
    form = MappingForm(
        request.POST or None,
        header=batch.header,
        mapping=batch.mapping,
        custom_fields=people_queries.custom_fields(actor),
    )
    if request.method == "POST":
        access.require(actor, "imports.run", batch)
        started = save_or_add_errors(form, lambda: _check_with_mapping(actor, batch, form))
        if started is not None:
            return redirect("imports:batch", org=actor.organization.slug, batch_id=batch.pk)
    return render(request, "imports/batch.html", _batch_context(actor, batch, form, request))


@org_view("imports.view")
def batch_status(request, actor: Actor, batch_id: int):
    """The progress fragment htmx polls while a check or an import runs."""
    batch = queries.batch(actor, batch_id)
    response = render(request, "imports/_status.html", {"batch": batch})
    if batch.status not in (ImportBatch.Status.CHECKING, ImportBatch.Status.COMMITTING):
        response["HX-Refresh"] = "true"  # done: show the whole page for the new state
    return response


def _check_with_mapping(actor: Actor, batch: ImportBatch, form: MappingForm) -> Job:
    """Use the form's mapping and start the check; a refused column's error is its field's."""
    try:
        services.set_mapping(
            actor=actor, batch=batch, mapping=form.mapping(), save_as=form.cleaned_data["save_as"]
        )
    except InvalidInput as error:
        field_of_column = {column: name for name, column in form.columns}
        raise InvalidInput(error.message, field=field_of_column.get(error.field or "")) from error
    return services.start_check(actor=actor, batch=batch)


@org_view("imports.run", methods=("POST",))
def commit(request, actor: Actor, batch_id: int):
    batch = queries.batch(actor, batch_id)
    try:
        services.start_commit(actor=actor, batch=batch)
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.message)
    return redirect("imports:batch", org=actor.organization.slug, batch_id=batch.pk)


@org_view("imports.run", methods=("GET", "POST"))
def undo(request, actor: Actor, batch_id: int):
    """Ask, then remove what the import wrote."""
    batch = queries.batch(actor, batch_id)
    if request.method == "POST":
        try:
            result = services.undo(actor=actor, batch=batch)
        except Conflict as error:
            messages.error(request, error.message)
        else:
            messages.success(request, services.undo_summary(result))
        return redirect("imports:batch", org=actor.organization.slug, batch_id=batch.pk)
    return render(request, "imports/undo.html", {"batch": batch})


@org_view("imports.run")
def preview(request, actor: Actor, batch_id: int):
    """The sample values of one column and what a field would make of them (htmx, on change)."""
    batch = queries.batch(actor, batch_id)
    index = request.GET.get("index", "")
    if not index.isdigit() or int(index) >= len(batch.header):
        return render(request, "imports/_samples.html", {"previews": []})
    target = request.GET.get(f"column_{index}", "") or None
    return render(
        request,
        "imports/_samples.html",
        {"previews": _previews(actor, batch, batch.header[int(index)], target=target)},
    )


@org_view("imports.run", methods=("POST",))
def fix(request, actor: Actor, batch_id: int):
    """Correct one cell of the file and check its row again; back to the problem table."""
    batch = queries.batch(actor, batch_id)
    form = FixForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the row, the column and the corrected value.")
    else:
        row = form.cleaned_data["row"]
        try:
            problems = services.fix_cell(
                actor=actor,
                batch=batch,
                row=row,
                column=form.cleaned_data["column"],
                value=form.cleaned_data["value"],
            )
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _fixed_message(row, problems))
    return redirect(
        reverse("imports:batch", kwargs={"org": actor.organization.slug, "batch_id": batch.pk})
        + "#problems"
    )


def _fixed_message(row: int, problems: list) -> str:
    rejected = [p for p in problems if p.severity == p.Severity.REJECTED]
    if rejected:
        return f"Row {row} checked again: still rejected. " + " ".join(p.reason for p in rejected)
    if problems:
        return f"Row {row} checked again: it will be imported, with {len(problems)} warning(s)."
    return (
        f"Row {row} checked again: it will be imported as it is now. Check every row again "
        "to update the counts."
    )


@org_view("imports.view")
def problems_csv(request, actor: Actor, batch_id: int):
    """Download the rejected rows (and warnings) as CSV; a long list is written by a job."""
    batch, made = problem_reports.problems_csv(actor, batch_id)
    if isinstance(made, Job):
        return redirect("core:export", org=actor.organization.slug, export_id=made.pk)
    response = StreamingHttpResponse(made, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{problem_reports.file_name(batch)}"'
    return response


def _batch_context(actor: Actor, batch: ImportBatch, form: MappingForm, request) -> dict:
    problems = Paginator(queries.problems(batch), 100).get_page(request.GET.get("page"))
    return {
        "batch": batch,
        "form": form,
        "problems": problems,
        "columns": [
            (form[name], column, _previews(actor, batch, column)) for name, column in form.columns
        ],
        "fixes": sum(len(cells) for cells in batch.fixes.values()),
        "field_labels": {key: field.label for key, field in FIELDS.items()},
        "may_run": actor.can("imports.run"),
        "mapped": [
            (column, FIELDS[target].label if target in FIELDS else target)
            for column, target in batch.mapping.items()
            if target
        ],
        "unmapped": [column for column, target in batch.mapping.items() if not target],
        "same_file_before": queries.batches(actor)
        .filter(sha256=batch.sha256)
        .exclude(pk=batch.pk)
        .exclude(status=ImportBatch.Status.UNDONE)
        .first(),
    }


def _previews(
    actor: Actor, batch: ImportBatch, column: str, *, target: str | None = "saved"
) -> list[tuple[str, bool, str]]:
    """Each sample value of *column*, and what *target* (by default the saved mapping's field)
    would make of it. Demographic columns show their values only to roles that may see them.
    """
    target = batch.mapping.get(column) if target == "saved" else target
    if target and not (target in FIELDS or target.startswith((CUSTOM_PREFIX, NEW_FIELD_PREFIX))):
        target = None
    if target in services.SENSITIVE_TARGETS and not actor.can("people.view_sensitive"):
        return []
    samples = batch.samples.get(column, [])
    if not target:
        return [(value, True, "not imported") for value in samples]
    if target.startswith(CUSTOM_PREFIX) or target.startswith(NEW_FIELD_PREFIX):
        return [(value, True, "kept in the field of your own") for value in samples]
    return [(value, *preview_cell(target, column, value)) for value in samples]


def _affiliates(actor: Actor):
    if not actor.can("affiliates.view"):
        return []
    return coalition_queries.affiliates(actor)


def _affiliate(actor: Actor, affiliate_id: int | None):
    if affiliate_id is None:
        return None
    return access.get(actor, coalition_queries.affiliates(actor), pk=affiliate_id)
