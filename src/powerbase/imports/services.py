"""Write operations on imports: upload, map, check, commit, undo. Each is audited.

    batch = upload(actor=actor, file_name="roster.csv", content=data, affiliate=union)
    set_mapping(actor=actor, batch=batch, mapping={...})
    start_check(actor=actor, batch=batch)      # a job: counts and every rejected row
    start_commit(actor=actor, batch=batch)     # a job: one transaction; safe to run again
    undo(actor=actor, batch=batch)             # removes what the import wrote

From the command line, `actor` is `access.command_line(organization)`.
"""

import hashlib
import pickle
import uuid
from datetime import date, time
from pathlib import Path

from django.db import models, transaction
from django.db.models import ForeignObjectRel, Max
from django.utils import timezone

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.bulk import in_chunks
from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.core.jobs import Progress
from powerbase.core.models import Job, Organization
from powerbase.identity import services as identity_services
from powerbase.imports import retention
from powerbase.imports.corrections import one_row, with_fixes
from powerbase.imports.errors import FileRefused, ImportRefused
from powerbase.imports.mapping import check_mapping, propose_mapping
from powerbase.imports.models import ImportBatch, ImportProblem, RowFingerprint, SavedMapping
from powerbase.imports.pipeline import (
    CUSTOM_PREFIX,
    ImportPlan,
    plan_import,
    split_mapping,
    write_plan,
)
from powerbase.imports.reading import ReadLimits, Table, named_rows, open_table
from powerbase.imports.retention import imports_dir
from powerbase.imports.samples import (
    NEW_FIELD_KINDS,
    NEW_FIELD_PREFIX,
    column_samples,
    refine_proposal,
)
from powerbase.messaging import services as messaging_services
from powerbase.messaging.models import Channel, Consent
from powerbase.people.models import (
    CustomField,
    CustomValue,
    EmailAddress,
    Note,
    Person,
    PersonChange,
    PersonTag,
    PhoneNumber,
    PostalAddress,
    Source,
)
from powerbase.people.services import create_source, define_custom_field

SENSITIVE_TARGETS = {"race_ethnicity", "gender", "pronouns"}
MAX_PROBLEMS_KEPT = 50_000
FACT_MODELS = (
    EmailAddress,
    PhoneNumber,
    PostalAddress,
    PersonTag,
    Note,
    CustomValue,
    AffiliateMembership,
)


def upload(
    *, actor: Actor, file_name: str, content: bytes, affiliate: Affiliate | None
) -> ImportBatch:
    """Keep an uploaded file, read its header and propose a mapping; write no people."""
    _require_may_import(actor, affiliate)
    organization = actor.organization
    table = _open(content, file_name)
    header = list(table.header)
    samples = _samples(table)
    mapping = _saved_mapping_for(organization, header) or refine_proposal(
        propose_mapping(header),
        samples,
        for_affiliate=affiliate is not None,
        new_fields=actor.is_signed_in,
    )
    digest = hashlib.sha256(content).hexdigest()
    stored_name = f"{organization.slug}/{uuid.uuid4().hex}{Path(file_name).suffix.lower()[:8]}"
    path = imports_dir() / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            organization=organization,
            file_name=Path(file_name).name[:255],
            stored_name=stored_name,
            sha256=digest,
            size=len(content),
            affiliate=affiliate,
            header=header,
            mapping=mapping,
            samples=samples,
            uploaded_by=actor.user,
        )
        audit.record(
            actor,
            "import.uploaded",
            batch,
            organization=organization,
            changes={"file": [None, batch.file_name], "size": [None, len(content)]},
        )
    return batch


def set_mapping(
    *, actor: Actor, batch: ImportBatch, mapping: dict, save_as: str = ""
) -> ImportBatch:
    """Use *mapping* for the batch (checked now), optionally kept for files like this one."""
    _require_may_import(actor, batch.affiliate)
    _refuse_unless(
        batch, ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED
    )
    mapping = _with_new_fields(actor, mapping)
    standard, custom = split_mapping(mapping)
    try:
        standard = check_mapping(batch.header, standard)
    except ImportRefused as refused:
        raise InvalidInput(refused.message) from None
    _check_custom_columns(batch.organization_id, custom)
    mapping = {column: custom.get(column) or standard.get(column) for column in batch.header}
    if not actor.can("people.view_sensitive"):
        sensitive = sorted(
            column for column, target in mapping.items() if target in SENSITIVE_TARGETS
        )
        if sensitive:
            raise InvalidInput(
                f"Your role may not import demographics: leave these columns unmapped: "
                f"{', '.join(sensitive)}.",
                field=sensitive[0],  # a column: the mapping page shows it on that column
            )
    with transaction.atomic():
        changed = batch.mapping != mapping
        batch.mapping = mapping
        if changed and batch.status == ImportBatch.Status.CHECKED:
            batch.status = ImportBatch.Status.UPLOADED  # the check no longer holds
        batch.save(update_fields=["mapping", "status"])
        if save_as.strip():
            SavedMapping.objects.create(
                organization=batch.organization,
                name=save_as.strip()[:120],
                header_key=header_key(batch.header),
                mapping=mapping,
                affiliate=batch.affiliate,
                created_by=actor.user,
            )
        if changed:
            audit.record(
                actor,
                "import.mapped",
                batch,
                organization=batch.organization,
                changes={"mapping": "changed"},
            )
    return batch


def fix_cell(
    *, actor: Actor, batch: ImportBatch, row: int, column: str, value: str
) -> list[ImportProblem]:
    """Correct one cell of the uploaded file and check its row again, now.

    The file on disk is left as uploaded; the correction is kept on the batch and read in its
    place by every later check and by the import. The row's problems are replaced by what the
    check finds now (none, when the fix worked). The counts of the last check no longer hold,
    so a checked batch goes back to "uploaded" until it is checked again. The audit entry names
    the row and column, not the value: it is a member's data.
    """
    _require_may_import(actor, batch.affiliate)
    _refuse_unless(
        batch, ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED
    )
    if column not in batch.header:
        raise InvalidInput(f"This file has no column '{column}'.")
    table = open_stored(batch)
    fixes = {key: dict(cells) for key, cells in batch.fixes.items()}
    fixes.setdefault(str(row), {})[column] = value[:MAX_FIXED_CHARS]
    found = one_row(with_fixes(table, fixes), row)
    if found is None:
        raise InvalidInput(f"This file has no row {row}.")
    plan = _plan_rows(batch, found)
    with transaction.atomic():
        batch.fixes = fixes
        if batch.status == ImportBatch.Status.CHECKED:
            batch.status = ImportBatch.Status.UPLOADED  # the counts no longer hold
        batch.save(update_fields=["fixes", "status"])
        ImportProblem.objects.filter(batch=batch, row=row).delete()
        problems = ImportProblem.objects.bulk_create(_problems(batch, plan))
        audit.record(
            actor,
            "import.cell_fixed",
            batch,
            organization=batch.organization,
            changes={"row": row, "column": column},
        )
    return problems


MAX_FIXED_CHARS = 1000


def _plan_rows(batch: ImportBatch, table: Table) -> ImportPlan:
    try:
        return plan_import(
            organization=batch.organization,
            affiliate=batch.affiliate,
            table=table,
            mapping=batch.mapping,
        )
    except ImportRefused as refused:
        raise InvalidInput(refused.message) from None


def _with_new_fields(actor: Actor, mapping: dict) -> dict:
    """Create the fields of the organization's own a mapping asks for ("new:date"), named
    after their columns, and map the columns to them (an existing field of that name is used).

    The web page and the command line both ask this way, so a mapping saved from the page
    works unchanged with `powerbase import people --mapping`.
    """
    wanted = {
        column: target.removeprefix(NEW_FIELD_PREFIX)
        for column, target in mapping.items()
        if target and target.startswith(NEW_FIELD_PREFIX)
    }
    if not wanted:
        return mapping
    mapping = dict(mapping)
    for column, kind in wanted.items():
        if kind not in NEW_FIELD_KINDS:
            raise InvalidInput(
                f"Column '{column}' asks for a new field of kind '{kind}'; "
                f"choose one of {', '.join(NEW_FIELD_KINDS)}."
            )
    for column, kind in wanted.items():
        mapping[column] = CUSTOM_PREFIX + _field_for_column(actor, column, kind).key
    return mapping


def _field_for_column(actor: Actor, column: str, kind: str) -> CustomField:
    name = " ".join(column.split()).strip(" ?:*")[:80] or "Imported"
    existing = _custom_fields_of(actor.organization.pk).filter(name__iexact=name).first()
    if existing is not None:
        return existing
    if kind == "yesno":
        return define_custom_field(
            actor=actor, name=name, kind=CustomField.Kind.CHOICE, choices=["Yes", "No"]
        )
    return define_custom_field(actor=actor, name=name, kind=kind)


def start_check(*, actor: Actor, batch: ImportBatch, enqueue: bool = True) -> Job:
    """Queue the dry run: every row validated and matched, nothing written to people."""
    _require_may_import(actor, batch.affiliate)
    _refuse_unless(
        batch, ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED
    )
    with transaction.atomic():
        job = jobs.start(
            kind="imports.check",
            started_by=actor,
            organization=batch.organization,
            params={"batch": batch.pk},
            enqueue=enqueue,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.CHECKING, check_job=job
        )
    return job


def start_commit(*, actor: Actor, batch: ImportBatch, enqueue: bool = True) -> Job:
    """Queue the import itself. Allowed after a check, and again after a failure."""
    _require_may_import(actor, batch.affiliate)
    if batch.status == ImportBatch.Status.COMMITTING and not _job_stalled(batch.commit_job):
        raise Conflict("This import is already running; follow its progress on its page.")
    if batch.status != ImportBatch.Status.COMMITTING:
        _refuse_unless(batch, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED)
    if batch.new_count + batch.updated_count == 0 and batch.status == ImportBatch.Status.CHECKED:
        raise InvalidInput(
            "The check found nothing to import: every row is rejected or already in the base."
        )
    with transaction.atomic():
        _give_up_on(batch.commit_job)
        job = jobs.start(
            kind="imports.commit",
            started_by=actor,
            organization=batch.organization,
            params={"batch": batch.pk},
            enqueue=enqueue,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.COMMITTING, commit_job=job, error=""
        )
    return job


def check_batch(job: Job, progress: Progress) -> dict:
    """Job handler: validate and match every row; keep the counts and the problems."""
    batch = ImportBatch.objects.select_related("affiliate", "organization").get(
        pk=job.params["batch"]
    )
    try:
        plan = _plan(batch, progress)
    except InvalidInput:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)
        retention.forget_file(batch)  # a refused file is not kept on the server
        raise
    with transaction.atomic():
        _keep_results(batch, plan, status=ImportBatch.Status.CHECKED)
        batch.checked_at = timezone.now()
        batch.save(update_fields=["checked_at"])
    _keep_plan(batch, plan)
    return plan_summary(plan)


def commit_batch(job: Job, progress: Progress) -> dict:
    """Job handler: plan again and write everything in one transaction.

    A failure (or a killed worker) rolls the transaction back: nothing is written, and
    starting the commit again finishes the job. A batch already committed is left alone.
    """
    batch = ImportBatch.objects.select_related("affiliate", "organization").get(
        pk=job.params["batch"]
    )
    if batch.status == ImportBatch.Status.COMMITTED:
        return {"status": "already imported"}
    try:
        plan = _kept_plan(batch) or _plan(batch, progress)
        with transaction.atomic():
            source = create_source(
                organization=batch.organization,
                kind=Source.Kind.IMPORT,
                label=f"{batch.file_name} (import #{batch.pk})",
                affiliate=batch.affiliate,
                user=batch.uploaded_by,
            )
            progress.update(0, total=5, message="Writing")
            write_plan(
                plan,
                source=source,
                affiliate=batch.affiliate,
                progress=lambda step, message: progress.update(step, message=message),
            )
            batch.source = source
            batch.committed_at = timezone.now()
            batch.save(update_fields=["source", "committed_at"])
            _record_consents(batch, plan)
            _keep_results(batch, plan, status=ImportBatch.Status.COMMITTED)
            audit.record(
                jobs.actor_of(job),
                "import.committed",
                batch,
                organization=batch.organization,
                changes={name: [None, count] for name, count in plan.counts.items()},
            )
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)
        raise
    retention.forget_file(batch)  # imported: the list itself is no longer needed
    after_import(batch)
    return plan_summary(plan)


def _record_consents(batch: ImportBatch, plan) -> None:
    """The file's consent to texts and to email become consent rows (source "import", the
    import's date), which is what sending reads; a "no" or an empty cell records nothing (no
    row, no consent). Undoing the import forgets them again (`undo`), except for people it
    keeps whole.
    """
    system = access.system(batch.organization)
    for channel, said_yes in (
        (Channel.SMS, lambda planned: planned.sms_consent),
        (Channel.EMAIL, lambda planned: planned.email_consent),
    ):
        consenting = sorted({p.person_id for p in plan.people if said_yes(p) and p.person_id})
        for chunk in in_chunks(consenting):
            messaging_services.record_consents_in_bulk(
                system,
                people=list(access.scoped(system, Person.objects.filter(pk__in=chunk))),
                channel=channel,
                source=Consent.Source.IMPORT,
                detail=_consent_detail(batch),
                at=batch.committed_at or timezone.now(),
            )


def _consent_detail(batch: ImportBatch) -> str:
    return f"{batch.file_name} (import #{batch.pk})"


def after_import(batch: ImportBatch) -> None:
    """Run what follows a committed import, once its transaction is done.

    The one place for follow-up work (linking the new people to the voter file, say): it runs
    after the commit, so a failure here never rolls the import back, and a hook should queue
    a job rather than work inline: linking the new people to the voter file is a job, and
    only when the organization's setting asks for it.
    """
    identity_services.link_after_import(organization=batch.organization, by=batch.uploaded_by)


def undo(*, actor: Actor, batch: ImportBatch) -> dict:
    """Remove what an import wrote: its facts, the fields it filled, the people it created.

    A field someone edited since the import keeps their edit; a person the import created is
    kept when another source has said something about them since. A person the organization
    has worked with since (an RSVP, attendance, a commitment, a ballot eligibility, a
    one-on-one...) is kept whole, with what the import said about them: deleting them would
    erase that record, and removing their contact details would cut them off from it. The
    result says how many were kept and why (`in_use`, counts per kind). Returns the counts.
    """
    _require_may_import(actor, batch.affiliate)
    _refuse_unless(batch, ImportBatch.Status.COMMITTED)
    source = batch.source
    assert source is not None, "a committed import has the source it wrote"
    with transaction.atomic():
        created = Person.objects.filter(source=source)
        in_use = people_in_use(set(created.values_list("pk", flat=True)))
        used = set().union(*in_use.values()) if in_use else set()
        removed_facts = sum(
            model.objects.filter(source=source)
            .exclude(person_id__in=used)
            .delete()[1]
            .get(model._meta.label, 0)
            for model in FACT_MODELS
        )
        RowFingerprint.objects.filter(source=source).exclude(person_id__in=used).delete()
        restored, kept_edits = _restore_fields(source)
        keep = _people_others_spoke_about(created, source) | used
        deleted_people = created.exclude(pk__in=keep).count()
        PersonChange.objects.filter(source=source).exclude(person_id__in=used).delete()
        created.exclude(pk__in=keep).delete()
        messaging_services.forget_consents_from(
            access.system(batch.organization),
            source=Consent.Source.IMPORT,
            detail=_consent_detail(batch),
            keep=used,
        )
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.save(update_fields=["status", "undone_at"])
        result = {
            "people removed": deleted_people,
            "people kept": len(keep),
            "facts removed": removed_facts,
            "fields restored": restored,
            "fields kept because edited since": kept_edits,
        }
        audit.record(
            actor,
            "import.undone",
            batch,
            organization=batch.organization,
            changes={
                **{name: [None, count] for name, count in result.items()},
                **{f"kept for {kind}": [None, len(ids)] for kind, ids in in_use.items()},
            },
        )
    return {**result, "in_use": {kind: len(ids) for kind, ids in in_use.items()}}


def undo_summary(result: dict) -> str:
    """Say in a sentence what an undo did, and why some people stayed."""
    counts = {name: count for name, count in result.items() if name != "in_use"}
    sentence = (
        "Import undone: " + ", ".join(f"{count} {what}" for what, count in counts.items()) + "."
    )
    in_use = result.get("in_use") or {}
    if in_use:
        sentence += (
            " People the organization has worked with since were kept whole, with what "
            "the import said about them, so that record stays: "
            + _listed([f"{count} with {kind}" for kind, count in in_use.items()])
            + "."
        )
    return sentence


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Records that belong to a person's own file; anything else that points at a person is work
# done with them since, which an undo must not erase.
OWN_RECORDS = {model._meta.label for model in (*FACT_MODELS, PersonChange, RowFingerprint)} | {
    "identity.VoterLink",
    "identity.CandidatePair",
    "people.Person",
}


KIND_NAMES = {
    "actions.Attendance": "attendance at actions",
    "democracy.AssemblyAttendance": "attendance at meetings",
    "democracy.Eligibility": "ballot eligibilities",
}


def people_in_use(person_ids: set[int]) -> dict[str, set[int]]:
    """Return, per kind of record ("RSVPs"), the people among *person_ids* it points at.

    Read from the model relations, so a new kind of record that points at people counts
    without a change here. Relations that let go of a deleted person (SET_NULL) lose nothing
    and do not count.
    """
    if not person_ids:
        return {}
    found: dict[str, set[int]] = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        # Records that point at people: the reverse side of their foreign keys.
        if not isinstance(relation, ForeignObjectRel) or relation.concrete:
            continue
        model = relation.related_model
        if model._meta.label in OWN_RECORDS or relation.on_delete is models.SET_NULL:
            continue
        name = relation.field.name
        ids: set[int] = set()
        for chunk in in_chunks(sorted(person_ids)):
            pointing = model._default_manager.filter(**{f"{name}__in": chunk})
            ids |= set(pointing.values_list(name, flat=True))
        if ids:
            kind = KIND_NAMES.get(model._meta.label, str(model._meta.verbose_name_plural))
            found[kind] = found.get(kind, set()) | ids
    survivors = Person.objects.filter(merged_into__in=person_ids).values_list(
        "merged_into", flat=True
    )
    merged_since = {pk for pk in survivors if pk is not None} | set(
        Person.objects.filter(pk__in=person_ids, merged_into__isnull=False).values_list(
            "pk", flat=True
        )
    )
    if merged_since:
        found["merges"] = found.get("merges", set()) | merged_since
    return found


def header_key(header: list[str]) -> str:
    """Fingerprint a header, ignoring case, spacing and column order."""
    names = sorted(" ".join(name.lower().split()) for name in header)
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()


def plan_summary(plan: ImportPlan) -> dict:
    return {
        "rows": plan.total_rows,
        **{name: plan.counts.get(name, 0) for name in ("new", "updated", "unchanged", "rejected")},
        "warnings": len(plan.warnings),
    }


def open_stored(batch: ImportBatch) -> Table:
    """Open the batch's file as uploaded, with the cells corrected in the browser in place."""
    path = imports_dir() / batch.stored_name
    if not path.exists():
        raise InvalidInput(
            f"The uploaded file {batch.file_name} is no longer on the server; upload it again."
        )
    return with_fixes(_open(path.read_bytes(), batch.file_name), batch.fixes)


def _plan(batch: ImportBatch, progress: Progress) -> ImportPlan:
    progress.update(0, message="Reading the file")
    table = open_stored(batch)
    try:
        return plan_import(
            organization=batch.organization,
            affiliate=batch.affiliate,
            table=table,
            mapping=batch.mapping,
            progress=lambda done, message: progress.update(done, message=message),
        )
    except ImportRefused as refused:
        raise InvalidInput(refused.message) from None


def _plan_path(batch: ImportBatch) -> Path:
    return imports_dir() / f"{batch.stored_name}.plan"


def _keep_plan(batch: ImportBatch, plan: ImportPlan) -> None:
    """Keep the check's plan, so a commit right after it need not read the file again."""
    with _plan_path(batch).open("wb") as out:
        pickle.dump((_base_stamp(batch.organization_id), batch.mapping, batch.fixes, plan), out)


def _kept_plan(batch: ImportBatch) -> ImportPlan | None:
    """Return the check's plan if nothing in the base has changed since the check."""
    path = _plan_path(batch)
    if not path.exists():
        return None
    with path.open("rb") as kept:
        stamp, mapping, fixes, plan = pickle.load(kept)  # noqa: S301 - our own file, written above
    if (
        stamp != _base_stamp(batch.organization_id)
        or mapping != batch.mapping
        or fixes != batch.fixes
    ):
        return None
    return plan


def _base_stamp(organization_id: int) -> tuple:
    """Fingerprint the state of the base: any edit, import, undo or merge changes it."""
    people = Person.objects.filter(organization_id=organization_id)
    return (
        people.count(),
        *(
            model.objects.aggregate(Max("id"))["id__max"]
            for model in (Person, PersonChange, *FACT_MODELS, RowFingerprint)
        ),
    )


def _keep_results(batch: ImportBatch, plan: ImportPlan, *, status: str) -> None:
    ImportProblem.objects.filter(batch=batch).delete()
    ImportProblem.objects.bulk_create(_problems(batch, plan)[:MAX_PROBLEMS_KEPT], batch_size=1000)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status,
        total_rows=plan.total_rows,
        new_count=plan.counts["new"],
        updated_count=plan.counts["updated"],
        unchanged_count=plan.counts["unchanged"],
        rejected_count=plan.counts["rejected"],
        warning_count=len(plan.warnings),
        error="",
    )


def _problems(batch: ImportBatch, plan: ImportPlan) -> list[ImportProblem]:
    problems = [
        ImportProblem(
            organization_id=batch.organization_id,
            batch=batch,
            row=p.row,
            column=p.column[:255],
            value=p.value[:300],
            reason=p.reason[:500],
            severity=ImportProblem.Severity.REJECTED,
        )
        for p in plan.errors
    ]
    problems += [
        ImportProblem(
            organization_id=batch.organization_id,
            batch=batch,
            row=p.row,
            column=p.column[:255],
            value=p.value[:300],
            reason=p.reason[:500],
            severity=ImportProblem.Severity.WARNING,
        )
        for p in plan.warnings
    ]
    return problems


def _restore_fields(source: Source) -> tuple[int, int]:
    restored = kept = 0
    changes = PersonChange.objects.filter(source=source, action=PersonChange.Action.CHANGED)
    for change in changes.select_related("person"):
        person = change.person
        current = getattr(person, change.field, None)
        current = current.isoformat() if isinstance(current, date | time) else current
        if current != change.new_value:
            kept += 1
            continue
        value = change.old_value
        if change.field == "birth_date" and value:
            value = date.fromisoformat(value)
        setattr(person, change.field, value)
        person.refresh_keys()
        person.save()
        restored += 1
    return restored, kept


def _people_others_spoke_about(created, source: Source) -> set[int]:
    """Return the ids of people created by *source* that other sources have added to since."""
    ids = set(created.values_list("pk", flat=True))
    keep: set[int] = set()
    for model in (*FACT_MODELS, PersonChange):
        keep |= set(
            model.objects.filter(person_id__in=ids)
            .exclude(source=source)
            .values_list("person_id", flat=True)
        )
    return keep


def _custom_fields_of(organization_id: int) -> models.QuerySet[CustomField]:
    """The organization's own fields; the caller already checked that the actor (or the
    command line) may import for it."""
    return CustomField.objects.filter(organization_id=organization_id)


def _check_custom_columns(organization_id: int, custom: dict[str, str]) -> None:
    keys = {target.removeprefix(CUSTOM_PREFIX) for target in custom.values()}
    known = set(
        _custom_fields_of(organization_id).filter(key__in=keys).values_list("key", flat=True)
    )
    unknown = sorted(
        column
        for column, target in custom.items()
        if target.removeprefix(CUSTOM_PREFIX) not in known
    )
    if unknown:
        raise InvalidInput(
            f"These columns are mapped to fields your organization does not have: "
            f"{', '.join(unknown)}. Add the fields first, or choose another.",
            field=unknown[0],  # a column: the mapping page shows it on that column
        )
    doubled = [target for target in set(custom.values()) if list(custom.values()).count(target) > 1]
    if doubled:
        raise InvalidInput(
            f"Two columns feed the same field of your own ({doubled[0]}); choose one."
        )


def _open(content: bytes, file_name: str) -> Table:
    try:
        return open_table(content, file_name=file_name)
    except ImportRefused as refused:
        raise InvalidInput(refused.message) from None


def _samples(table: Table) -> dict[str, list[str]]:
    """Sample the first rows; a file that breaks further on is refused by the check, not here."""
    try:
        return column_samples(table)
    except ImportRefused:
        return {}


def _saved_mapping_for(organization: Organization, header: list[str]) -> dict | None:
    saved = SavedMapping.objects.filter(
        organization=organization, header_key=header_key(header)
    ).first()
    return dict(saved.mapping) if saved else None


def _require_may_import(actor: Actor, affiliate: Affiliate | None) -> None:
    access.require(actor, "imports.run")
    access.require_same_organization(actor, affiliate)
    access.require_affiliate(
        actor, affiliate, "Choose one of your affiliates: its list is the one you may import."
    )


def _refuse_unless(batch: ImportBatch, *statuses: str) -> None:
    if batch.status not in statuses:
        raise Conflict(
            f"This import is {batch.get_status_display().lower()}; that step is not available now."
        )


def _give_up_on(job: Job | None) -> None:
    """Mark a stalled earlier attempt as failed, so the jobs page does not show it running."""
    if job is not None and not job.is_finished:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error="It stopped without finishing (its worker was probably restarted) and was "
            "started again.",
        )


def _job_stalled(job: Job | None) -> bool:
    """True when a job has not reported for ten minutes (its worker was probably stopped)."""
    if job is None or job.is_finished:
        return True
    last = job.heartbeat_at or job.started_at or job.created_at
    return (timezone.now() - last).total_seconds() > 600


def read_named_rows(
    content: bytes,
    *,
    file_name: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    max_bytes: int,
) -> list[tuple[int, dict[str, str]]]:
    """Read a small file with fixed, named columns (election results, census tables) through
    the import layer's reader: CSV in any encoding or XLSX, the same refusals as a list import.

    Returns [(row number, {column: text})] for the non-blank rows. Raises RowError when the
    refusal names a place (a missing header column, a ragged row), InvalidInput otherwise.
    """
    try:
        return list(
            named_rows(
                content,
                file_name=file_name,
                required=required,
                optional=optional,
                limits=ReadLimits(max_file_bytes=max_bytes),
            )
        )
    except FileRefused as refused:
        if refused.row is not None and refused.column is not None:
            raise RowError(
                file=refused.file, row=refused.row, column=refused.column, problem=refused.problem
            ) from None
        raise InvalidInput(refused.message) from None
