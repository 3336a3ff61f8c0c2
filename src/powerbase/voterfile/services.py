"""Write operations on the voter file: start an import, run it as a job, make it current,
go back to an earlier version.

    job = start_import(actor=data_director, paths=[...], layout="nc")
    # the worker runs run_import(job, progress): build a new DuckDB file, check the sanity
    # gates (gates.py), then switch, or keep the version held for inspection
    use_version(actor=data_director, number=2)   # back to version 2

The switch is one database transaction that creates the new `VoterFileVersion` row and
refreshes the districts. Until it commits, every page and query keeps reading the previous
version; an import that fails, is killed, or fails a gate leaves the previous version in use.
Each check is made here, so the web form, the CLI and any future API behave alike.
"""

import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import get_valid_filename

from powerbase.core import access, audit, bulk, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.jobs import Progress
from powerbase.core.models import Job, Organization
from powerbase.voterfile import build, gates, store
from powerbase.voterfile.diff import CHANGE_KINDS, CHANGE_LABELS
from powerbase.voterfile.layout import Layout, LayoutError, load_layout
from powerbase.voterfile.models import District, VoterFileVersion

IMPORT_JOB = "voterfile.import"


def start_import(
    *,
    actor: Actor,
    paths: list[Path],
    layout: str,
    mapping: dict[str, str] | None = None,
    accept_large_change: bool = False,
    delete_files_after: bool = False,
    enqueue: bool = True,
) -> Job:
    """Check *paths* against *layout* and queue their import as a job.

    The files' names and headers are checked now, so a
    wrong layout or a missing column is refused at once with a sentence naming the file;
    the rows are read by the job. *accept_large_change* lets the new version into use even
    if more voters are gone than the removals gate allows. Raises Conflict while another
    import of the organization's voter file is waiting or running.
    """
    access.require(actor, "voterfile.import")
    organization = actor.organization
    chosen = _layout(layout, mapping)
    paths = [Path(path).resolve() for path in paths]
    try:
        build.check_files(paths, chosen)
    except LayoutError as error:
        raise InvalidInput(str(error), field="files") from None
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        waiting = Job.objects.filter(
            organization=organization,
            kind=IMPORT_JOB,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        ).first()
        if waiting is not None:
            status = waiting.get_status_display().lower()
            raise Conflict(
                f"An import of the voter file is already {status} (job "
                f"{waiting.pk}). Wait for it to finish before starting another."
            )
        return jobs.start(
            kind=IMPORT_JOB,
            started_by=actor,
            organization=organization,
            params={
                "paths": [str(path) for path in paths],
                "layout": chosen.name,
                "mapping": mapping or {},
                "accept_large_change": accept_large_change,
                "delete_files_after": delete_files_after,
            },
            enqueue=enqueue,
        )


def start_upload_import(
    *,
    actor: Actor,
    files: list[UploadedFile],
    layout: str,
    mapping: dict[str, str] | None = None,
    accept_large_change: bool = False,
) -> Job:
    """Keep uploaded *files* where the worker can read them and queue their import.

    The uploaded copies are deleted once the import has run, whether it succeeded or not.
    """
    access.require(actor, "voterfile.import")
    if not files:
        raise InvalidInput("Choose at least one file to upload.")
    folder = store.upload_folder(actor.organization) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    paths = []
    for upload in files:
        assert upload.name is not None, "Django names every file uploaded through a form"
        path = folder / get_valid_filename(Path(upload.name).name)
        with path.open("wb") as destination:
            for chunk in upload.chunks():
                destination.write(chunk)
        paths.append(path)
    try:
        return start_import(
            actor=actor,
            paths=paths,
            layout=layout,
            mapping=mapping,
            accept_large_change=accept_large_change,
            delete_files_after=True,
        )
    except (InvalidInput, Conflict):
        shutil.rmtree(folder, ignore_errors=True)
        raise


def run_import(job: Job, progress: Progress) -> dict:
    """Build the new version from the job's files; make it the version in use if it passes
    the sanity gates, else keep it held.

    The job handler for "voterfile.import". Safe to run twice: a job whose version exists
    already returns that version's summary.
    """
    organization = jobs.organization_of(job)
    done = VoterFileVersion.objects.filter(organization=organization, job=job).first()
    if done is not None:
        return import_summary(done)
    layout = _layout(job.params["layout"], job.params.get("mapping") or None)
    target = store.building_path(organization, job.pk)
    store.remove(target)  # left by a killed run of this same job
    previous = VoterFileVersion.objects.filter(organization=organization).current()
    report = _ProgressReport(progress)
    try:
        result = build.build_version(
            files=[Path(path) for path in job.params["paths"]],
            layout=layout,
            target=target,
            previous=store.path_of(previous) if previous else None,
            on_progress=report,
            memory_limit=store.IMPORT_MEMORY_LIMIT,
        )
        checked = gates.check(
            result,
            limits=gate_limits(),
            accept_large_change=bool(job.params.get("accept_large_change")),
        )
        version = make_current(
            job=job, layout=layout, result=result, building=target, checks=checked
        )
    except LayoutError as error:
        raise InvalidInput(str(error)) from None
    finally:
        store.remove(target)
        # Uploads are not retried from the web: a failed import is uploaded again. (A killed
        # worker never gets here, so a redelivered job still finds its files.)
        if job.params.get("delete_files_after"):
            _delete_uploads(job)
    return import_summary(version)


def gate_limits() -> gates.Limits:
    """Return the sanity gates' thresholds; settings may change them (VOTERFILE_GATES)."""
    return gates.Limits(**getattr(settings, "VOTERFILE_GATES", {}))


def make_current(
    *,
    job: Job,
    layout: Layout,
    result: build.BuildResult,
    building: Path,
    checks: Sequence[gates.Gate] = (),
) -> VoterFileVersion:
    """Switch the organization's voter file to the version just built at *building*, or
    keep it held when one of the sanity gates in *checks* failed.

    The finished file is put in place first; the switch itself is the transaction that
    numbers the version, refreshes the districts and writes the audit entry. If that
    transaction fails, the previous version stays in use and the new file is deleted.
    """
    held = any(not gate.passed for gate in checks)
    organization = jobs.organization_of(job)
    final = store.finished_path(organization, job.pk)
    os.replace(building, final)
    try:
        # Before the switch: other app machines read the version from its Parquet copy.
        store.publish_new(organization, final)
        with transaction.atomic():
            Organization.objects.select_for_update().filter(pk=organization.pk).first()
            last = (
                VoterFileVersion.objects.filter(organization=organization).aggregate(
                    number=Max("number")
                )["number"]
                or 0
            )
            version = VoterFileVersion.objects.create(
                organization=organization,
                number=last + 1,
                file_name=final.name,
                layout=layout.name,
                source_files=result.files,
                voter_count=result.voters,
                active_voter_count=result.active_voters,
                vote_count=result.votes,
                election_count=result.elections,
                malformed_count=result.malformed_count,
                malformed_examples=[row.__dict__ for row in result.malformed_examples],
                skipped={
                    reason: {"count": count, "examples": result.skipped_examples.get(reason, [])}
                    for reason, count in result.skipped.items()
                },
                changes=result.changes,
                notes=result.notes,
                seconds=result.seconds,
                job=job,
                imported_by=job.started_by,
                gates=[gate.as_dict() for gate in checks],
                status=VoterFileVersion.Status.HELD if held else VoterFileVersion.Status.READY,
            )
            if not held:
                refresh_districts(version=version, counts=result.districts)
            audit.record(
                jobs.actor_of(job),
                "voterfile.version_held" if held else "voterfile.version_created",
                version,
                organization=organization,
                changes={
                    "voters": [None, result.voters],
                    "malformed_rows": [None, result.malformed_count],
                    **{
                        kind: [None, result.changes[kind]["count"]]
                        for kind in CHANGE_KINDS
                        if kind in result.changes
                    },
                },
            )
    except BaseException:
        store.remove(final)
        raise
    return version


def use_version(
    *, actor: Actor, number: int, accept_large_change: bool = False
) -> VoterFileVersion:
    """Put version *number* (an earlier one, or a held one) back in use; audited.

    Versions numbered above it are set aside, so it stays in use until the next import.
    Links to voters, districts and turnout follow, since they read the version in use. A
    held version is used only with *accept_large_change* (the person has seen its numbers);
    one with no voters never.
    """
    access.require(actor, "voterfile.import")
    organization = actor.organization
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        versions = VoterFileVersion.objects.filter(organization=organization)
        version = versions.filter(number=number).first()
        if version is None:
            raise NotFound(f"Voter file version {number}")
        before = versions.current()
        _check_usable(version, before, accept_large_change)
        version.status = VoterFileVersion.Status.READY
        version.save(update_fields=["status"])
        versions.filter(number__gt=number, status=VoterFileVersion.Status.READY).update(
            status=VoterFileVersion.Status.SET_ASIDE
        )
        with store.reading(version) as con:
            counts = build.read_district_counts(con)
        refresh_districts(version=version, counts=counts)
        audit.record(
            actor,
            "voterfile.version_used",
            version,
            organization=organization,
            changes={
                "version_in_use": [before.number if before else None, number],
                "accepted_failed_gates": [gate["name"] for gate in gates.failed(version.gates)],
            },
        )
    return version


def publish_version(*, actor: Actor, number: int, to: str | None = None) -> str:
    """Write version *number* as Parquet under *to* (default: POWERBASE_VOTERFILE_PARQUET),
    where every app machine can read it; audited. Return the version's location there.

    For a version imported before the setting was made, or a copy somewhere else. Runs on
    the machine that holds the version's DuckDB file.
    """
    access.require(actor, "voterfile.import")
    organization = actor.organization
    try:
        version = access.get(actor, VoterFileVersion, number=number)
    except NotFound:
        raise NotFound(f"Voter file version {number}") from None
    location = store.publish(version, to)
    audit.record(
        actor,
        "voterfile.version_published",
        version,
        organization=organization,
        changes={"parquet_location": [None, location]},
    )
    return location


def _check_usable(
    version: VoterFileVersion, current: VoterFileVersion | None, accepted: bool
) -> None:
    if current is not None and current.pk == version.pk:
        raise Conflict(f"Version {version.number} is already in use.")
    if version.voter_count == 0:
        raise InvalidInput(f"Version {version.number} holds no voters, so it cannot be used.")
    if not store.path_of(version).exists():
        raise InvalidInput(
            f"The data of version {version.number} ({version.file_name}) is "
            "missing from the voter file folder, so it cannot be used."
        )
    failed = gates.failed(version.gates) if version.status == VoterFileVersion.Status.HELD else []
    if failed and not accepted:
        reasons = " ".join(gate["sentence"] for gate in failed)
        raise InvalidInput(
            f"Version {version.number} was held: {reasons} To use it anyway, "
            "confirm it on the version's page or pass --accept-large-change."
        )


def refresh_districts(*, version: VoterFileVersion, counts: list[build.DistrictCount]) -> None:
    """Point the districts at *version* with its counts; keep rows other records may use.

    One upsert per district, without model instances (`bulk.upsert_rows`): a state's file
    has thousands of districts and this runs inside the switch's transaction.
    """
    bulk.upsert_rows(
        District,
        [
            "organization_id",
            "kind",
            "code",
            "name",
            "voter_count",
            "active_voter_count",
            "version_id",
        ],
        (
            (
                version.organization_id,
                count.kind,
                count.code[:100],
                count.name[:200],
                count.voters,
                count.active_voters,
                version.pk,
            )
            for count in counts
        ),
        unique=["organization", "kind", "code"],
        update=["name", "voter_count", "active_voter_count", "version"],
    )


def import_summary(version: VoterFileVersion) -> dict:
    """Return what a person wants to know after an import, labelled for the job page."""
    summary = {
        "Version": version.number,
        "Status": (
            "In use"
            if version.status == VoterFileVersion.Status.READY
            else version.get_status_display()
        ),
        "Voters": version.voter_count,
        "Active voters": version.active_voter_count,
        "Votes in the history": version.vote_count,
        "Malformed rows (left out)": version.malformed_count,
    }
    for kind in CHANGE_KINDS:
        if kind in version.changes:
            summary[CHANGE_LABELS[kind]] = version.changes[kind]["count"]
    for gate in gates.failed(version.gates):
        summary[f"Failed check: {gate['name'].replace('_', ' ')}"] = gate["sentence"]
    return summary


class _ProgressReport:
    """Pass build progress to the job row, writing the message only when it changes."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.message = ""
        progress.update(0, total=100, message="Reading the files")

    def __call__(self, share: float, message: str) -> None:
        changed = message != self.message
        self.message = message
        self.progress.update(min(100, int(share * 100)), message=message if changed else None)


def _layout(name: str, mapping: dict[str, str] | None) -> Layout:
    try:
        layout = load_layout(name)
        return layout.with_mapping(mapping) if mapping else layout
    except LayoutError as error:
        raise InvalidInput(str(error)) from None


def _delete_uploads(job: Job) -> None:
    """Remove the folder of uploaded files once they are imported."""
    uploads = store.upload_folder(jobs.organization_of(job)).resolve()
    folders = {Path(path).parent for path in job.params["paths"]}
    for folder in folders:
        if folder.resolve().parent == uploads:
            shutil.rmtree(folder, ignore_errors=True)
