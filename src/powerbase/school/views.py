"""Democracy School pages: programs and their curricula, a cohort (participants, sessions,
nominations, assignments, graduation), a session's roster with check-in, a participant's
progress and skills, and the cohort report. Each parses, reads through `queries`, calls a
service and renders."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render

from powerbase.core.access import Actor
from powerbase.core.decorators import org_view
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.forms import post_and_redirect
from powerbase.school import forms, queries, report, services

VIEW, MANAGE, NOMINATE = "education.view", "education.manage", "education.nominate"


def _cohort_page(actor: Actor, cohort_id: int):
    return redirect("school:cohort", org=actor.organization.slug, cohort_id=cohort_id)


def _program_page(actor: Actor, program_id: int):
    return redirect("school:program", org=actor.organization.slug, program_id=program_id)


# Programs and curricula -------------------------------------------------------------------


@org_view(VIEW)
def programs(request, actor: Actor):
    return render(
        request,
        "school/programs.html",
        {
            "programs": queries.programs(actor),
            "may_manage": actor.can(MANAGE),
            "form": forms.ProgramForm(),
        },
    )


@org_view(MANAGE, methods=("POST",))
def program_new(request, actor: Actor):
    form = forms.ProgramForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.create_program(actor=actor, **form.cleaned_data),
        success=lambda created: f"Started the program {created}.",
        back=lambda: redirect("school:programs", org=actor.organization.slug),
        onward=lambda created: _program_page(actor, created.pk),
    )


@org_view(VIEW)
def program(request, actor: Actor, program_id: int):
    found = queries.program(actor, program_id)
    return render(
        request,
        "school/program.html",
        {
            "program": found,
            "modules": queries.curriculum(actor, found),
            "cohorts": queries.cohorts(actor, found),
            "may_manage": actor.can(MANAGE),
            "module_form": forms.ModuleForm(),
            "material_form": forms.MaterialForm(),
            "cohort_form": forms.CohortForm(),
        },
    )


@org_view(MANAGE, methods=("POST",))
def module_new(request, actor: Actor, program_id: int):
    found = queries.program(actor, program_id)
    form = forms.ModuleForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.add_module(actor=actor, program=found, **form.cleaned_data),
        success=lambda created: f"Added module {created}.",
        back=lambda: _program_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def material_new(request, actor: Actor, module_id: int):
    module = queries.module(actor, module_id)
    form = forms.MaterialForm(request.POST, request.FILES)
    return post_and_redirect(
        request,
        form,
        lambda: _add_material(actor, module, **form.cleaned_data),
        success=lambda created: f"Added “{created}” to {module}.",
        back=lambda: _program_page(actor, module.program_id),
    )


def _add_material(actor: Actor, module, *, title: str, url: str, file):
    if file is None:
        return services.add_material(actor=actor, module=module, title=title, url=url)
    return services.add_material_file(
        actor=actor, module=module, title=title, file_name=file.name, content=file.read()
    )


@org_view(VIEW)
def material_file(request, actor: Actor, material_id: int):
    """Send an uploaded material, to whoever may read the school; always as a download."""
    material, path = queries.material_file(actor, material_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=material.file_name)


@org_view(MANAGE, methods=("POST",))
def cohort_new(request, actor: Actor, program_id: int):
    found = queries.program(actor, program_id)
    form = forms.CohortForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.create_cohort(actor=actor, program=found, **form.cleaned_data),
        success=lambda created: f"Opened the cohort {created.name}.",
        back=lambda: _program_page(actor, found.pk),
        onward=lambda created: _cohort_page(actor, created.pk),
    )


# Cohorts -----------------------------------------------------------------------------------


@org_view(VIEW)
def cohort(request, actor: Actor, cohort_id: int):
    found = queries.cohort(actor, cohort_id)
    return render(
        request,
        "school/cohort.html",
        {
            "cohort": found,
            "rows": queries.participants(actor, found),
            "sessions": queries.sessions(actor, found),
            "assignments": queries.assignments(actor, found),
            "may_manage": actor.can(MANAGE),
            "may_nominate": actor.can(NOMINATE),
            "may_see_people": actor.can("people.view"),
            "nominate_form": forms.NominateForm(affiliates=queries.nominating_affiliates(actor)),
            "session_form": forms.SessionForm(modules=queries.modules(actor, found.program)),
            "assignment_form": forms.AssignmentForm(),
        },
    )


@org_view(NOMINATE, methods=("POST",))
def nominate(request, actor: Actor, cohort_id: int):
    found = queries.cohort(actor, cohort_id)
    form = forms.NominateForm(request.POST, affiliates=queries.nominating_affiliates(actor))
    return post_and_redirect(
        request,
        form,
        lambda: services.nominate(
            actor=actor,
            cohort=found,
            person=queries.nominee(actor, form.cleaned_data["person"]),
            affiliate=form.cleaned_data["affiliate"],
        ),
        success=lambda created: (
            f"Nominated {created.person.display_name} for {created.nominating_affiliate.name}."
        ),
        back=lambda: _cohort_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def facilitator_add(request, actor: Actor, cohort_id: int):
    found = queries.cohort(actor, cohort_id)
    form = forms.FacilitatorForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.add_facilitator(
            actor=actor,
            cohort=found,
            person=queries.nominee(actor, form.cleaned_data["facilitator"]),
        ),
        success=lambda _: "Added the facilitator.",
        back=lambda: _cohort_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def session_new(request, actor: Actor, cohort_id: int):
    found = queries.cohort(actor, cohort_id)
    form = forms.SessionForm(request.POST, modules=queries.modules(actor, found.program))
    return post_and_redirect(
        request,
        form,
        lambda: services.add_session(actor=actor, cohort=found, **form.cleaned_data),
        success=lambda created: f"Scheduled {created}.",
        back=lambda: _cohort_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def assignment_new(request, actor: Actor, cohort_id: int):
    found = queries.cohort(actor, cohort_id)
    form = forms.AssignmentForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.add_assignment(actor=actor, cohort=found, **form.cleaned_data),
        success=lambda created: f"Set the assignment “{created}”.",
        back=lambda: _cohort_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def graduate_cohort(request, actor: Actor, cohort_id: int):
    found = queries.cohort(actor, cohort_id)
    graduated = services.graduate_cohort(actor=actor, cohort=found)
    names = ", ".join(p.person.display_name for p in graduated)
    messages.success(
        request,
        f"Graduated {len(graduated)}: {names}." if graduated else "Nobody new meets the rule yet.",
    )
    return _cohort_page(actor, found.pk)


@org_view(VIEW)
def cohort_report(request, actor: Actor, cohort_id: int):
    found = queries.cohort(actor, cohort_id)
    return render(
        request,
        "school/report.html",
        {
            "cohort": found,
            "report": report.cohort_report(actor, found),
            "may_see_people": actor.can("people.view"),
            "may_see_pipeline": actor.can("electoral.view"),
        },
    )


# Sessions ----------------------------------------------------------------------------------


@org_view(VIEW)
def session(request, actor: Actor, session_id: int):
    found = queries.session(actor, session_id)
    present = queries.checked_in_people(actor, found)
    rows = queries.participants(actor, found.cohort)
    return render(
        request,
        "school/session.html",
        {
            "session": found,
            "cohort": found.cohort,
            "roster": [(row.participant, row.participant.person_id in present) for row in rows],
            "present": sum(row.participant.person_id in present for row in rows),
            "may_check_in": actor.can("actions.check_in"),
        },
    )


@org_view("actions.check_in", methods=("POST",))
def session_check_in(request, actor: Actor, session_id: int):
    found = queries.session(actor, session_id)
    participant_id = request.POST.get("participant", "")
    if not participant_id.isdigit():
        messages.error(request, "Choose someone on the roster to check in.")
    else:
        participant = queries.participant(actor, int(participant_id))
        _, created = services.check_in(actor=actor, session=found, participant=participant)
        name = participant.person.display_name
        if created:
            messages.success(request, f"Checked in {name}.")
        else:
            messages.warning(request, f"{name} was already checked in.")
    return redirect("school:session", org=actor.organization.slug, session_id=found.pk)


# Participants ------------------------------------------------------------------------------


@org_view(VIEW)
def participant(request, actor: Actor, participant_id: int):
    found = queries.participant(actor, participant_id)
    progress = services.progress_of(actor, [found])[found.pk]
    return render(
        request,
        "school/participant.html",
        {
            "participant": found,
            "progress": progress,
            "skills": queries.latest_skills(actor, found),
            "submissions": queries.submissions(actor, found),
            "may_manage": actor.can(MANAGE),
            "may_see_people": actor.can("people.view"),
            "skill_form": forms.SkillForm(),
            "submission_form": forms.SubmissionForm(
                assignments=queries.assignments(actor, found.cohort)
            ),
        },
    )


def _participant_page(actor: Actor, participant_id: int):
    return redirect(
        "school:participant", org=actor.organization.slug, participant_id=participant_id
    )


@org_view(MANAGE, methods=("POST",))
def assess(request, actor: Actor, participant_id: int):
    found = queries.participant(actor, participant_id)
    form = forms.SkillForm(request.POST)
    return post_and_redirect(
        request,
        form,
        lambda: services.assess_skill(actor=actor, participant=found, **form.cleaned_data),
        success=lambda created: (
            f"Recorded: {created.get_skill_display()}, {created.get_level_display()}."
        ),
        back=lambda: _participant_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def submission_new(request, actor: Actor, participant_id: int):
    found = queries.participant(actor, participant_id)
    form = forms.SubmissionForm(request.POST, assignments=queries.assignments(actor, found.cohort))
    return post_and_redirect(
        request,
        form,
        lambda: services.record_submission(actor=actor, participant=found, **form.cleaned_data),
        success=lambda created: f"Recorded “{created.assignment}” as done.",
        back=lambda: _participant_page(actor, found.pk),
    )


@org_view(MANAGE, methods=("POST",))
def withdraw(request, actor: Actor, participant_id: int):
    found = queries.participant(actor, participant_id)
    services.withdraw(actor=actor, participant=found)
    messages.success(request, f"{found.person.display_name} withdrew from the cohort.")
    return _participant_page(actor, found.pk)


@org_view(MANAGE, methods=("POST",))
def graduate(request, actor: Actor, participant_id: int):
    found = queries.participant(actor, participant_id)
    try:
        services.graduate(actor=actor, participant=found)
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{found.person.display_name} graduated.")
    return _participant_page(actor, found.pk)
