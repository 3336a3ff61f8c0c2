"""Pages for finding people, reading a person's record and editing it."""

from urllib.parse import parse_qsl

import phonenumbers
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from powerbase.coalition import queries as coalition_queries
from powerbase.core import access, limits
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view, require_recent_auth
from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.core.forms import save_or_add_errors
from powerbase.core.pickers import paced, typed_query
from powerbase.people import exports, queries, services, timeline
from powerbase.people.forms import (
    CustomFieldForm,
    CustomValueForm,
    NewPersonForm,
    NoteForm,
    PeopleFilterForm,
    PersonForm,
    SavedListForm,
    TagForm,
)
from powerbase.people.labels import labelled
from powerbase.people.models import Person, Tag

PAGE_SIZE = 50


@org_view("people.view")
def people(request, actor: Actor):
    """The people page; htmx requests get just the results for live search."""
    form = PeopleFilterForm(
        request.GET or None,
        affiliates=coalition_queries.affiliates(actor) if actor.can("affiliates.view") else [],
        tags=queries.tags(actor),
    )
    wanted = _filter_from(form)
    limits.count_list_page(actor, "people")
    page = Paginator(queries.search(actor, wanted), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = labelled(actor, page.object_list)  # same names told apart
    services.record_search(actor=actor, wanted=wanted, shown=page.object_list)
    context = {
        "form": form,
        "page": page,
        "query": _query_string(request),
        "may_export": actor.can("people.export"),
        "saved_lists": queries.saved_lists(actor) if not actor.is_affiliate_scoped else [],
        "save_form": SavedListForm(),
        "wanted": wanted,
    }
    template = "people/_results.html" if request.htmx else "people/people.html"
    return render(request, template, context)


@org_view("people.view")
def pick(request, actor: Actor):
    """The person picker's answers: up to 15 of the base, labelled, for ?q=..."""
    query = typed_query(request)
    searchable = queries.is_searchable(query)
    limit_message = paced(actor, searchable)
    return render(
        request,
        "core/_person_picker_options.html",
        {
            "query": query,
            "searchable": searchable,
            "limit_message": limit_message,
            "people": []
            if limit_message
            else queries.to_choose_from(actor, queries.people(actor), query),
        },
    )


@org_view("people.view", methods=("POST",))
def save_list(request, actor: Actor):
    form = SavedListForm(request.POST)
    filters = request.POST.get("filters", "")
    if form.is_valid():
        services.save_list(
            actor=actor, name=form.cleaned_data["name"], filters=dict(parse_qsl(filters))
        )
        messages.success(request, f"Saved the list “{form.cleaned_data['name']}”.")
    return redirect(
        f"{reverse('people:people', kwargs={'org': actor.organization.slug})}?{filters}"
    )


@org_view("people.export")
@require_recent_auth  # the whole base in one file: worth the password again
def export(request, actor: Actor, file_format: str):
    """Download the people page's current search as CSV or XLSX."""
    if file_format not in ("csv", "xlsx"):
        raise NotFound("That download")
    form = PeopleFilterForm(
        request.GET or None,
        affiliates=coalition_queries.affiliates(actor) if actor.can("affiliates.view") else [],
        tags=queries.tags(actor),
    )
    wanted = _filter_from(form)
    job = exports.start_job(actor, wanted, file_format)
    if job is not None:  # too many rows to write while the browser waits
        return redirect("core:export", org=actor.organization.slug, export_id=job.pk)
    response: HttpResponse | StreamingHttpResponse
    if file_format == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(actor, wanted),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            exports.csv_stream(actor, wanted), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(actor, file_format)}"'
    )
    return response


@org_view("people.view")
def person(request, actor: Actor, person_id: int):
    """A person's record and story; htmx requests (filter, show more) get just the story."""
    page = queries.person_page(actor, person_id)
    services.record_view(actor=actor, person=page.person)
    story = timeline.story(
        actor,
        page.person,
        page.visibility,
        kind=request.GET.get("story", ""),
        limit=_number(request.GET.get("shown"), timeline.FIRST_PAGE),
    )
    if request.htmx:
        return render(request, "people/_story.html", {"person": page.person, "story": story})
    return render(
        request,
        "people/person.html",
        {
            "page": page,
            "person": page.person,
            "visibility": page.visibility,
            "story": story,
            "notes": queries.visible_notes(actor, page.person, page.visibility),
            "may_edit": actor.can("people.edit"),
            "note_form": NoteForm(),
            "tag_form": TagForm(),
            "custom_value_form": CustomValueForm(fields=queries.custom_fields(actor)),
            "race_labels": [
                Person.RaceEthnicity(value).label
                for value in page.person.race_ethnicity
                if value in Person.RaceEthnicity.values
            ],
            "sensitive_fields": Person.SENSITIVE_FIELDS,
        },
    )


@org_view("people.edit", methods=("GET", "POST"))
def person_edit(request, actor: Actor, person_id: int):
    page = queries.person_page(actor, person_id)
    person = page.person
    show_sensitive = page.visibility.demographics
    initial = {name: getattr(person, name) for name in services.EDITABLE_FIELDS}
    initial["languages"] = ", ".join(person.languages)
    initial["version"] = person.version
    form = PersonForm(request.POST or None, initial=initial, show_sensitive=show_sensitive)
    if request.method == "POST" and save_or_add_errors(
        form,
        lambda: services.update_person(
            actor=actor,
            person=person,
            changes=form.changes(),
            version=form.cleaned_data["version"] or 0,
        ),
    ):
        messages.success(request, f"Saved {person.display_name}.")
        return redirect("people:person", org=actor.organization.slug, person_id=person.pk)
    return render(request, "people/person_edit.html", {"form": form, "person": person})


@org_view("people.edit", methods=("GET", "POST"))
def person_new(request, actor: Actor):
    affiliates = coalition_queries.affiliates(actor) if actor.can("affiliates.view") else []
    form = NewPersonForm(
        request.POST or None,
        affiliates=affiliates,
        show_sensitive=actor.can("people.view_sensitive"),
    )
    person = request.method == "POST" and save_or_add_errors(
        form, lambda: _create_person(actor, form.changes())
    )
    if person:
        messages.success(request, f"Added {person.display_name}.")
        return redirect("people:person", org=actor.organization.slug, person_id=person.pk)
    return render(request, "people/person_new.html", {"form": form})


@org_view("people.edit", methods=("POST",))
def person_note(request, actor: Actor, person_id: int):
    person = queries.person_page(actor, person_id).person
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(
            actor=actor,
            person=person,
            body=form.cleaned_data["body"],
            is_sensitive=form.cleaned_data["is_sensitive"],
        )
        messages.success(request, "Note saved.")
    else:
        messages.error(request, "The note is empty.")
    return redirect("people:person", org=actor.organization.slug, person_id=person.pk)


@org_view("people.edit", methods=("POST",))
def person_tag(request, actor: Actor, person_id: int):
    person = queries.person_page(actor, person_id).person
    form = TagForm(request.POST)
    if form.is_valid():
        services.tag_person(actor=actor, person=person, name=form.cleaned_data["name"])
    return redirect("people:person", org=actor.organization.slug, person_id=person.pk)


@org_view("people.edit", methods=("POST",))
def person_untag(request, actor: Actor, person_id: int, tag_id: int):
    person = queries.person_page(actor, person_id).person
    tag = access.get(actor, Tag, pk=tag_id)
    services.untag_person(actor=actor, person=person, tag=tag)
    return redirect("people:person", org=actor.organization.slug, person_id=person.pk)


def _filter_from(form: PeopleFilterForm) -> queries.PeopleFilter:
    data = form.cleaned_data if form.is_valid() else {}
    return queries.PeopleFilter(
        query=data.get("q") or "",
        affiliate=data.get("affiliate"),
        tag=data.get("tag"),
        role=data.get("role") or "",
        status=data.get("status") or "",
    )


def _number(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _create_person(actor: Actor, data: dict) -> Person:
    email, phone = data.pop("email"), data.pop("phone")
    affiliate_id = data.pop("affiliate")
    data.pop("status")
    affiliate = (
        access.get(actor, coalition_queries.affiliates(actor), pk=affiliate_id)
        if affiliate_id
        else None
    )
    return services.create_person(
        actor=actor,
        details=services.PersonDetails(**data),
        email=email,
        phone=_e164(phone),
        affiliate=affiliate,
    )


def _e164(phone: str) -> str:
    """Return *phone* in E.164 form, or raise InvalidInput naming what was wrong."""
    if not phone.strip():
        return ""
    try:
        parsed = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(
            f"'{phone}' is not a phone number (expected 10 digits, or +country code and number).",
            field="phone",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@org_view("people.view", methods=("GET", "POST"))
def custom_fields(request, actor: Actor):
    """The organization's own fields; data directors and admins add them."""
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST":
        access.require(actor, "people.define_fields")
        if save_or_add_errors(
            form, lambda: services.define_custom_field(actor=actor, **form.cleaned_data)
        ):
            messages.success(request, f"Added the field {form.cleaned_data['name']}.")
            return redirect("people:custom_fields", org=actor.organization.slug)
    return render(
        request,
        "people/custom_fields.html",
        {
            "fields": queries.custom_fields(actor),
            "form": form,
            "may_define": actor.can("people.define_fields"),
        },
    )


@org_view("people.edit", methods=("POST",))
def person_custom_value(request, actor: Actor, person_id: int):
    person = queries.person_page(actor, person_id).person
    form = CustomValueForm(request.POST, fields=queries.custom_fields(actor))
    if form.is_valid():
        field = access.get(actor, queries.custom_fields(actor), pk=form.cleaned_data["field"])
        try:
            services.set_custom_value(
                actor=actor, person=person, field=field, value=form.cleaned_data["value"]
            )
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Saved {field.name}.")
    return redirect("people:person", org=actor.organization.slug, person_id=person.pk)
