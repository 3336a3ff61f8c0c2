"""The Democracy School objects the permission test's URLs point at: a program with one
module and an uploaded handout, a cohort with a session, and María nominated by the tenant
union (the lead's own)."""

import datetime

from django.utils import timezone

from powerbase.core import access
from powerbase.school import services


def world(*, nutmeg, tenant_union, maria, **_) -> dict:
    staff = access.command_line(nutmeg)
    program = services.create_program(actor=staff, name="Democracy School")
    module = services.add_module(actor=staff, program=program, title="Power")
    handout = services.add_material_file(
        actor=staff, module=module, title="Agenda", file_name="agenda.txt", content=b"1. Power\n"
    )
    today = timezone.localdate()
    cohort = services.create_cohort(
        actor=staff,
        program=program,
        name="Spring",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
    )
    session = services.add_session(
        actor=staff, cohort=cohort, starts_at=timezone.now(), module=module
    )
    participant = services.nominate(
        actor=staff, cohort=cohort, person=maria, affiliate=tenant_union
    )
    return {
        "program_id": program.pk,
        "module_id": module.pk,
        "material_id": handout.pk,
        "cohort_id": cohort.pk,
        "session_id": session.pk,
        "participant_id": participant.pk,
    }
