"""The two matching jobs: find duplicates in the base, and link people to the voter file.

    identity.dedupe   the organization's people against each other
    identity.link     the organization's people (not linked yet) against the voter file in use

Both export the people (name, birth date, primary email, phone and address) to the linkage
engine, which trains a model on the data and scores candidate pairs. Each pair is explained
(what agrees, what differs) and stored on an `IdentityRun`, then sorted by band:

    auto-accept   applied now: the two people merged, or the person linked to the voter
    review        waits in the review queue for a person to accept or reject
    reject        dropped (the engine does not return them)

A pair rejected by a reviewer before is not asked about again. A family's shared email or
phone is not enough on its own: the engine only counts them when the first names agree.
"""

import time
from collections.abc import Iterable

import pyarrow as pa
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from powerbase.core import audit
from powerbase.core.bulk import insert_rows, reserve_ids
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.jobs import Progress, organization_of
from powerbase.core.models import AuditEntry, Job, Organization
from powerbase.identity import merging, services
from powerbase.identity.linkage import (
    DEFAULT_THRESHOLDS,
    LinkageSettings,
    Stage,
    explain_pairs,
)
from powerbase.identity.linkage import dedupe as dedupe_records
from powerbase.identity.linkage import link as link_records
from powerbase.identity.linkage.errors import LinkageError
from powerbase.identity.models import CandidatePair, IdentityRun, Merge, VoterLink
from powerbase.people.models import EmailAddress, Person, PhoneNumber, PostalAddress

PERSON_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "dob",
    "zip",
    "address",
    "city",
    "phone",
    "email",
)
# The voter file's columns for each field the engine compares, and those shown to reviewers.
VOTER_COLUMNS = {
    "id": "voter_id",
    "first_name": "first_name",
    "last_name": "last_name",
    "dob": "birth_date",
    "zip": "zip",
    "address": "address",
    "phone": "phone",
    "email": "email",
}
# birth_year is what North Carolina publishes instead of a birth date; the engine reads it.
VOTER_SHOWN = (
    "voter_id",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "birth_date",
    "birth_year",
    "address",
    "city",
    "zip",
    "phone",
    "email",
    "party",
    "status",
)
# The job's steps, for its progress bar.
STEPS = (
    "Reading the base",
    "Estimating weights",
    "Scoring candidate pairs",
    "Explaining pairs",
    "Storing pairs",
    "Applying the sure matches",
)
STAGE_STEP = {
    Stage.READING: 0,
    Stage.TRAINING: 1,
    Stage.PREDICTING: 2,
    Stage.CLUSTERING: 2,
    Stage.WRITING: 3,
}


def settings_for(people: int, job: Job | None = None) -> LinkageSettings:
    """Training samples sized to the base: a small base trains in a second; a large one gets
    the engine's defaults, whose quality bench/linkage_quality.py measures. The engine (and
    Spark master) are the ones *job* was started with."""
    params = job.params if job is not None else {}
    engine, master = params.get("engine") or "duckdb", params.get("spark_master")
    if people < 20_000:
        return LinkageSettings(
            u_sample_pairs=5e5, em_max_pairs=5e5, engine=engine, spark_master=master
        )
    return LinkageSettings(engine=engine, spark_master=master)


# The people, as the engine reads them -------------------------------------------------------


def people_table(organization: Organization, *, exclude_linked: bool = False) -> pa.Table:
    """Return one row per active person: id and the fields the engine compares.

    A person with several emails, phones or addresses is compared on the primary one (the
    first, when none is marked).
    """
    people = Person.objects.filter(organization=organization).unmerged()
    if exclude_linked:
        people = people.filter(voter_link__isnull=True)
    rows = list(
        people.order_by("pk").values_list(
            "pk", "given_name", "preferred_name", "family_name", "birth_date"
        )
    )
    emails = _first_of(EmailAddress.objects.filter(organization=organization), "address")
    phones = _first_of(PhoneNumber.objects.filter(organization=organization), "e164")
    addresses = {
        person_id: (line1 or original, zip_code, city)
        for person_id, line1, original, zip_code, city in PostalAddress.objects.filter(
            organization=organization
        )
        .order_by("person_id", "is_primary", "-id")
        .values_list("person_id", "line1", "original", "zip_code", "city")
    }
    columns: dict[str, list] = {name: [] for name in PERSON_COLUMNS}
    for pk, given, preferred, family, born in rows:
        address, zip_code, city = addresses.get(pk, (None, None, None))
        values = (
            str(pk),
            given or preferred or None,
            family or None,
            born.isoformat() if born else None,
            zip_code or None,
            address or None,
            city or None,
            phones.get(pk),
            emails.get(pk),
        )
        for name, value in zip(PERSON_COLUMNS, values, strict=True):
            columns[name].append(value)
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def _first_of(queryset, column: str) -> dict[int, str]:
    """Return {person id: value} of each person's primary row (ordered so it comes last)."""
    return dict(
        queryset.order_by("person_id", "is_primary", "-id").values_list("person_id", column)
    )


# Job handlers -------------------------------------------------------------------------------


def run_dedupe(job: Job, progress: Progress) -> dict:
    """Find people entered more than once; merge the sure ones, queue the rest for review."""
    done = IdentityRun.objects.filter(job=job, status=IdentityRun.Status.FINISHED).first()
    if done is not None:
        return summary(done)
    started = time.perf_counter()
    organization = organization_of(job)
    progress.update(0, total=len(STEPS), message=STEPS[0])
    table = people_table(organization)
    run = _new_run(job, IdentityRun.Kind.DEDUPE, people=table.num_rows)
    pairs: list[dict] = []
    if table.num_rows >= 2:
        try:
            result = dedupe_records(
                table,
                settings=settings_for(table.num_rows, job),
                progress=_stage_reporter(progress),
            )
        except LinkageError as error:
            raise _invalid(error) from None
        records = {row["id"]: row for row in table.to_pylist()}
        progress.update(3, message=STEPS[3])
        pairs = _explained(result.model, result.pairs.to_pylist(), records, records)
    progress.update(4, message=STEPS[4])
    _store_pairs(run, pairs, link=False)
    progress.update(5, message=STEPS[5])
    _apply_merges(run, job)
    return _finish(run, started)


def run_link(job: Job, progress: Progress) -> dict:
    """Link people to the voter file in use; link the sure ones, queue the rest for review."""
    from powerbase.voterfile import queries as voterfile
    from powerbase.voterfile import store

    done = IdentityRun.objects.filter(job=job, status=IdentityRun.Status.FINISHED).first()
    if done is not None:
        return summary(done)
    started = time.perf_counter()
    organization = organization_of(job)
    version = voterfile.version_in_use(organization)
    if version is None:
        raise InvalidInput("There is no voter file to link to yet. Import one first.")
    progress.update(0, total=len(STEPS), message=STEPS[0])
    table = people_table(organization, exclude_linked=True)
    run = _new_run(job, IdentityRun.Kind.LINK, people=table.num_rows, version=version)
    pairs: list[dict] = []
    run.voter_count = voterfile.voter_count(version)
    found: list[dict] = []
    # Splink writes its own SQL over the whole voters table: the one reader of the voter
    # file's tables outside voterfile, field.universes and power.map (docs/voterfile.md).
    with store.opening(version) as con:
        if table.num_rows:
            try:
                result = link_records(
                    table,
                    "voters",
                    connection=con,
                    right_columns=VOTER_COLUMNS,
                    settings=settings_for(table.num_rows, job),
                    progress=_stage_reporter(progress),
                )
            except LinkageError as error:
                raise _invalid(error) from None
            found = result.pairs.to_pylist()
    if found:
        voters = _voter_records(version, {pair["right_id"] for pair in found})
        progress.update(3, message=STEPS[3])
        people = {row["id"]: row for row in table.to_pylist()}
        pairs = _explained(result.model, found, people, voters)
    progress.update(4, message=STEPS[4])
    _store_pairs(run, pairs, link=True)
    progress.update(5, message=STEPS[5])
    _apply_links(run, job)
    return _finish(run, started)


def summary(run: IdentityRun) -> dict:
    """What a finished run did, for the job page and the CLI."""
    return {
        "run": run.pk,
        "people compared": run.people_count,
        **({"voters compared": run.voter_count} if run.kind == run.Kind.LINK else {}),
        (
            "linked without review" if run.kind == run.Kind.LINK else "merged without review"
        ): run.auto_applied_count,
        "waiting for review": run.review_count,
        "not applied": run.skipped_count,
        "seconds": round(run.seconds, 1),
        **({"engine": "spark"} if run.job and run.job.params.get("engine") == "spark" else {}),
    }


def _new_run(job: Job, kind: str, *, people: int, version=None) -> IdentityRun:
    thresholds = DEFAULT_THRESHOLDS
    # A run killed half-way left its row behind: start it again from nothing.
    IdentityRun.objects.filter(job=job).delete()
    return IdentityRun.objects.create(
        organization=organization_of(job),
        kind=kind,
        job=job,
        voter_file_version=version,
        auto_accept_threshold=thresholds.auto_accept,
        review_threshold=thresholds.review,
        people_count=people,
        started_by=job.started_by,
    )


def _finish(run: IdentityRun, started: float) -> dict:
    run.status = IdentityRun.Status.FINISHED
    run.finished_at = timezone.now()
    run.seconds = time.perf_counter() - started
    run.save()
    return summary(run)


def _stage_reporter(progress: Progress):
    def report(stage: Stage, message: str) -> None:
        progress.update(
            STAGE_STEP.get(stage, 0), message=STEPS[STAGE_STEP.get(stage, 0)] + f" ({message})"
        )

    return report


def _invalid(error: LinkageError) -> InvalidInput:
    return InvalidInput(str(error))


def _voter_records(version, voter_ids: set[str]) -> dict[str, dict]:
    from powerbase.voterfile import queries as voterfile

    shown = [column for column in VOTER_SHOWN if column != "voter_id"]
    return {
        voter_id: {"voter_id": voter_id} | {name: _text(value) for name, value in fields.items()}
        for voter_id, fields in voterfile.voter_fields(version, voter_ids, shown).items()
    }


def _text(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _explained(
    model, found: list[dict], lefts: dict[str, dict], rights: dict[str, dict]
) -> list[dict]:
    """Return the pairs with both records and the engine's explanation of each."""
    pairs = [pair for pair in found if pair["left_id"] in lefts and pair["right_id"] in rights]
    explanations = explain_pairs(
        model,
        [(lefts[p["left_id"]], rights[p["right_id"]]) for p in pairs],
        # Without ids: a person or voter may be in several pairs.
        left_columns={"id": None},
        right_columns={"id": None} if rights is lefts else {**VOTER_COLUMNS, "id": None},
    )
    for pair, explanation in zip(pairs, explanations, strict=True):
        pair["left_record"] = lefts[pair["left_id"]]
        pair["right_record"] = rights[pair["right_id"]]
        pair["fields"] = [
            {
                "comparison": f.comparison,
                "title": f.title,
                "left": f.left,
                "right": f.right,
                "level": f.level,
                "agreement": f.agreement.value,
                "weight": round(f.weight, 2),
            }
            for f in explanation.fields
        ]
    return pairs


def _store_pairs(run: IdentityRun, pairs: Iterable[dict], *, link: bool) -> None:
    """Write the run's pairs, leaving out those a reviewer rejected before."""
    organization_id = run.organization_id
    rejected = _rejected_before(run, link=link)
    thresholds = DEFAULT_THRESHOLDS
    rows = []
    for pair in pairs:
        left = int(pair["left_id"])
        right = pair["right_id"] if link else int(pair["right_id"])
        if not link and right < left:
            left, right = right, left
        if (left, right) in rejected:
            run.skipped_count += 1
            continue
        band = (
            CandidatePair.Band.AUTO_ACCEPT
            if pair["match_probability"] >= thresholds.auto_accept
            else CandidatePair.Band.REVIEW
        )
        rows.append(
            (
                organization_id,
                run.pk,
                left,
                None if link else right,
                right if link else "",
                float(pair["match_probability"]),
                band,
                CandidatePair.Status.PENDING,
                pair["left_record"],
                pair["right_record"],
                pair["fields"],
            )
        )
    with transaction.atomic():
        # The pairs of earlier runs that still wait are found again by this one, or are gone.
        CandidatePair.objects.filter(
            organization_id=organization_id, status=CandidatePair.Status.PENDING, run__kind=run.kind
        ).exclude(run=run).update(status=CandidatePair.Status.SUPERSEDED)
        insert_rows(
            CandidatePair,
            (
                "organization_id",
                "run_id",
                "left_id",
                "right_id",
                "voter_id",
                "probability",
                "band",
                "status",
                "left_record",
                "right_record",
                "fields",
            ),
            rows,
        )
        run.save(update_fields=["skipped_count"])


def _rejected_before(run: IdentityRun, *, link: bool) -> set[tuple]:
    decided = CandidatePair.objects.filter(
        organization_id=run.organization_id,
        status=CandidatePair.Status.REJECTED,
        run__kind=run.kind,
    )
    if link:
        return set(decided.values_list("left_id", "voter_id"))
    return {tuple(sorted(pair)) for pair in decided.values_list("left_id", "right_id")}


def _apply_merges(run: IdentityRun, job: Job) -> None:
    """Merge the pairs of the auto-accept band, most probable first.

    A chain (A~B, B~C) merges into one survivor: each pair is applied to the records its two
    people live on now.
    """
    organization = organization_of(job)
    lives_on: dict[int, int] = {}

    def current(person_id: int) -> int:
        while person_id in lives_on:
            person_id = lives_on[person_id]
        return person_id

    pairs = run.pairs.filter(band=CandidatePair.Band.AUTO_ACCEPT).order_by("-probability", "id")
    people = Person.objects.in_bulk(
        {pk for pair in pairs.values_list("left_id", "right_id") for pk in pair}
    )
    held = merging.kinds_held(list(people))
    for pair in pairs:
        assert pair.right_id is not None, "a dedupe pair joins two people"
        left, right = current(pair.left_id), current(pair.right_id)
        if left == right:
            _mark(pair, CandidatePair.Status.SKIPPED, "Already merged through another pair.")
            run.skipped_count += 1
            continue
        survivor, merged = services.survivor_of(people[left], people[right])
        try:
            done = services.merge(
                by=job.started_by,
                organization=organization,
                survivor=survivor,
                merged=merged,
                method=Merge.Method.AUTOMATIC,
                holding=held[merged.pk],
            )
        except Conflict as error:  # someone merged one of them by hand meanwhile
            _mark(pair, CandidatePair.Status.SKIPPED, error.message[:300])
            run.skipped_count += 1
            continue
        lives_on[merged.pk] = survivor.pk
        # The survivor now holds what the merged person held, and history lines.
        held[survivor.pk] |= held[merged.pk] | {"people.PersonChange.person_id"}
        pair.merge = done
        _mark(pair, CandidatePair.Status.AUTO_ACCEPTED)
        run.auto_applied_count += 1
    run.review_count = run.pairs.filter(status=CandidatePair.Status.PENDING).count()
    run.save(update_fields=["auto_applied_count", "review_count", "skipped_count"])


def _apply_links(run: IdentityRun, job: Job) -> None:
    """Link the pairs of the auto-accept band, in bulk, one audit entry per link.

    Each person's best voter only (the engine keeps it), each voter to one person: when two
    people's best match is the same voter, the more probable is linked and the other waits
    for review (they may be one human entered twice).
    """
    organization = organization_of(job)
    taken = dict(
        VoterLink.objects.filter(organization=organization).values_list("voter_id", "person_id")
    )
    linked_before = dict(taken)
    linked_people = set(taken.values())
    linked_now: dict[str, int] = {}
    to_link: list[CandidatePair] = []
    skipped: list[tuple[int, str]] = []
    demoted: list[tuple[int, str]] = []
    tied = _tied_people(run)
    for pair in run.pairs.order_by("-probability", "id").only(
        "id", "left_id", "voter_id", "probability", "band"
    ):
        if pair.voter_id in linked_before:
            skipped.append(
                (
                    pair.pk,
                    f"Voter {pair.voter_id} is linked to person "
                    f"#{linked_before[pair.voter_id]} already; if they are "
                    "one human, merge them.",
                )
            )
        elif pair.band != CandidatePair.Band.AUTO_ACCEPT:
            continue
        elif pair.left_id in tied:
            # Namesakes the evidence cannot tell apart: linking the first would be a guess.
            demoted.append(
                (
                    pair.pk,
                    f"{tied[pair.left_id]} voters match this person equally well; "
                    "choose the one who is them, or reject.",
                )
            )
        elif pair.left_id in linked_people or pair.voter_id in linked_now:
            # Two people whose best match is one voter: the likelier is linked, the other
            # waits for a reviewer (they may be one human entered twice).
            demoted.append(
                (
                    pair.pk,
                    f"Voter {pair.voter_id} was linked to person "
                    f"#{linked_now.get(pair.voter_id)} by this run. If they "
                    "are one human, merge the two people; if not, reject.",
                )
            )
        else:
            to_link.append(pair)
            linked_now[pair.voter_id] = pair.left_id
            linked_people.add(pair.left_id)
    with transaction.atomic():
        _bulk_link(organization, job, to_link)
        CandidatePair.objects.filter(pk__in=[p.pk for p in to_link]).update(
            status=CandidatePair.Status.AUTO_ACCEPTED, decided_at=timezone.now()
        )
        for pk, note in demoted:
            CandidatePair.objects.filter(pk=pk).update(band=CandidatePair.Band.REVIEW, note=note)
        for pk, note in skipped:
            CandidatePair.objects.filter(pk=pk).update(
                status=CandidatePair.Status.SKIPPED, note=note
            )
        run.auto_applied_count = len(to_link)
        run.skipped_count += len(skipped)
        run.review_count = run.pairs.filter(status=CandidatePair.Status.PENDING).count()
        run.save(update_fields=["auto_applied_count", "review_count", "skipped_count"])


def _tied_people(run: IdentityRun) -> dict[int, int]:
    """Return the people with two or more equally probable voters to auto-accept, and how many.

    The engine keeps each person's most probable voters only, so several left means a tie.
    """
    counts = (
        run.pairs.filter(band=CandidatePair.Band.AUTO_ACCEPT)
        .values("left_id")
        .annotate(voters=Count("id"))
        .filter(voters__gt=1)
    )
    return {row["left_id"]: row["voters"] for row in counts}


def _bulk_link(organization: Organization, job: Job, pairs: list[CandidatePair]) -> None:
    """Create the links and their audit entries with a few statements, not one per link."""
    if not pairs:
        return
    now = timezone.now()
    user = job.started_by
    ids = reserve_ids(VoterLink, len(pairs))
    insert_rows(
        VoterLink,
        (
            "id",
            "organization_id",
            "person_id",
            "voter_id",
            "match_probability",
            "method",
            "linked_by_id",
            "linked_at",
        ),
        [
            (
                pk,
                organization.pk,
                pair.left_id,
                pair.voter_id,
                pair.probability,
                VoterLink.Method.AUTOMATIC,
                user.pk if user else None,
                now,
            )
            for pk, pair in zip(ids, pairs, strict=True)
        ],
    )
    label = user.email if user else "powerbase (matching job)"
    insert_rows(
        AuditEntry,
        (
            "organization_id",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "created_at",
        ),
        [
            (
                organization.pk,
                user.pk if user else None,
                label,
                "voter_link.created",
                VoterLink._meta.label,
                str(pk),
                f"{pair.left_id} -> voter {pair.voter_id}",
                audit.redact(
                    VoterLink,
                    {
                        "person": [None, pair.left_id],
                        "voter_id": [None, pair.voter_id],
                        "method": [None, VoterLink.Method.AUTOMATIC],
                        "match_probability": [None, round(pair.probability, 4)],
                        "job": [None, job.pk],
                    },
                ),
                now,
            )
            for pk, pair in zip(ids, pairs, strict=True)
        ],
    )


def _mark(pair: CandidatePair, status: str, note: str = "") -> None:
    pair.status = status
    pair.note = note
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "note", "decided_at", "merge"])
