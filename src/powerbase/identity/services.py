"""Write operations of identity: merges and their undo, voter links, review decisions, jobs.

    merge = merge_people(actor=reviewer, survivor=maria, merged=maria_again)
    undo_merge(actor=reviewer, merge=merge)
    link_voter(actor=reviewer, person=maria, voter_id="CT000123")
    accept_pair(actor=reviewer, pair=pair)      # merges, or links, as the pair says
    start_dedupe(actor=data_director)           # a job; see `runs` for what it does

Every merge, undo, link and unlink is audited. The jobs apply their auto-accept band through
the same internal functions, as the person who started them.
"""

from django.db import transaction
from django.utils import timezone

from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import Job, Organization, User
from powerbase.identity import merging
from powerbase.identity.models import CandidatePair, Merge, VoterLink
from powerbase.people.models import Person, Source
from powerbase.people.services import create_source

DEDUPE_JOB = "identity.dedupe"
LINK_JOB = "identity.link"
RUN, REVIEW = "identity.run", "identity.review"


# Merges ------------------------------------------------------------------------------------


def merge_people(
    *,
    actor: Actor,
    survivor: Person,
    merged: Person,
    method: str = Merge.Method.MANUAL,
    pair: CandidatePair | None = None,
) -> Merge:
    """Fold *merged* into *survivor*, keeping every fact with its source; audited."""
    access.require(actor, REVIEW)
    for person in (survivor, merged):
        access.get(actor, Person, pk=person.pk)
    return merge(
        by=actor,
        survivor=survivor,
        merged=merged,
        method=method,
        pair=pair,
    )


def merge(
    *,
    by: Actor | User | None,
    survivor: Person,
    merged: Person,
    method: str,
    pair: CandidatePair | None = None,
    holding: set[str] | None = None,
    organization: Organization | None = None,
) -> Merge:
    """Merge without a permission check: for `merge_people` and the dedupe job.

    *holding*: what `merging.kinds_held` says the merged person has, when the caller knows.
    *organization*: the actor's, unless *by* is a job's user or no one.
    """
    organization = _organization(by, organization)
    if survivor.pk == merged.pk:
        raise InvalidInput("A person cannot be merged into themselves.")
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Person.objects.select_for_update().filter(
                organization=organization, pk__in=[survivor.pk, merged.pk]
            )
        }
        if len(locked) != 2:
            raise InvalidInput("Both people must belong to this organization.")
        survivor, merged = locked[survivor.pk], locked[merged.pk]
        for person in (survivor, merged):
            if person.merged_into_id is not None:
                raise Conflict(
                    f"{person.display_name} (#{person.pk}) has already been merged "
                    f"into #{person.merged_into_id}; merge with that record."
                )
        source = create_source(
            organization=organization,
            kind=Source.Kind.MERGE,
            label=f"Merge of #{merged.pk} into #{survivor.pk}",
            user=getattr(by, "user", by),
        )
        folded = merging.fold(survivor=survivor, merged=merged, source=source, holding=holding)
        record = Merge.objects.create(
            organization=organization,
            survivor=survivor,
            merged=merged,
            method=method,
            moved=folded.moved,
            duplicates=folded.duplicates,
            unmarked_primary=folded.unmarked_primary,
            survivor_before=folded.survivor_before,
            history_added=folded.history_added,
            source=source,
            merged_by=getattr(by, "user", by),
        )
        if pair is not None:
            pair.merge = record
            pair.save(update_fields=["merge"])
        audit.record(
            by,
            "person.merged",
            record,
            organization=organization,
            changes={
                "survivor": [None, survivor.pk],
                "merged": [None, merged.pk],
                "method": [None, method],
                "moved": [None, _counts(folded.moved)],
                "kept_on_merged_record": [None, _counts(folded.duplicates)],
                "filled": [None, sorted(folded.survivor_before)],
            },
            actor_label=_label(by),
        )
    return record


def undo_merge(*, actor: Actor, merge: Merge) -> Merge:
    """Unfold *merge*: every moved row goes back, the survivor's fields are restored."""
    access.require(actor, REVIEW)
    merge = access.get(actor, Merge, pk=merge.pk)
    with transaction.atomic():
        merge = (
            Merge.objects.select_for_update().select_related("survivor", "merged").get(pk=merge.pk)
        )
        if merge.undone_at is not None:
            raise Conflict("This merge has already been undone.")
        if merge.survivor.merged_into_id is not None:
            raise Conflict(
                f"{merge.survivor.display_name} has since been merged into "
                f"#{merge.survivor.merged_into_id}. Undo that merge first."
            )
        merging.unfold(merge=merge)
        merge.undone_at = timezone.now()
        merge.undone_by = actor.user
        merge.save(update_fields=["undone_at", "undone_by"])
        # The pair that led here waits for a decision again.
        merge.pairs.update(
            status=CandidatePair.Status.PENDING, decided_by=None, decided_at=None, merge=None
        )
        audit.record(
            actor,
            "person.merge_undone",
            merge,
            changes={"survivor": [merge.survivor_id, None], "merged": [merge.merged_id, None]},
        )
    return merge


# Voter links -------------------------------------------------------------------------------


def link_voter(
    *,
    actor: Actor,
    person: Person,
    voter_id: str,
    method: str = VoterLink.Method.MANUAL,
    probability: float | None = None,
) -> VoterLink:
    """Link *person* to the voter *voter_id*; refuse if either is linked already."""
    access.require(actor, REVIEW)
    person = access.get(actor, Person.objects.unmerged(), pk=person.pk)
    return link(
        by=actor,
        person=person,
        voter_id=voter_id,
        method=method,
        probability=probability,
    )


def link(
    *,
    by: Actor | User | None,
    person: Person,
    voter_id: str,
    method: str,
    probability: float | None,
    organization: Organization | None = None,
) -> VoterLink:
    """Link without a permission check: for `link_voter` and review decisions (*organization*
    as for `merge`)."""
    organization = _organization(by, organization)
    voter_id = voter_id.strip()
    if not voter_id:
        raise InvalidInput("Give the voter id to link to.")
    with transaction.atomic():
        taken = (
            VoterLink.objects.filter(organization=organization, voter_id=voter_id)
            .exclude(person=person)
            .select_related("person")
            .first()
        )
        if taken is not None:
            raise Conflict(
                f"Voter {voter_id} is already linked to {taken.person.display_name} "
                f"(#{taken.person_id}). If they are the same human, merge the two "
                "people first."
            )
        existing = VoterLink.objects.filter(person=person).first()
        if existing is not None:
            if existing.voter_id == voter_id:
                return existing
            raise Conflict(
                f"{person.display_name} is already linked to voter "
                f"{existing.voter_id}. Unlink them first."
            )
        created = VoterLink.objects.create(
            organization=organization,
            person=person,
            voter_id=voter_id,
            method=method,
            match_probability=probability,
            linked_by=getattr(by, "user", by),
        )
        audit.record(
            by,
            "voter_link.created",
            created,
            organization=organization,
            changes={
                "person": [None, person.pk],
                "voter_id": [None, voter_id],
                "method": [None, method],
                "match_probability": [None, probability],
            },
            actor_label=_label(by),
        )
    return created


def unlink_voter(*, actor: Actor, person: Person) -> None:
    """Remove *person*'s link to the voter file; audited with what it was.

    The pair that made the link counts as rejected from now on, so the next link run does
    not link them again.
    """
    access.require(actor, REVIEW)
    person = access.get(actor, Person, pk=person.pk)
    with transaction.atomic():
        existing = VoterLink.objects.select_for_update().filter(person=person).first()
        if existing is None:
            return
        audit.record(
            actor,
            "voter_link.removed",
            existing,
            changes={
                "person": [person.pk, None],
                "voter_id": [existing.voter_id, None],
                "method": [existing.method, None],
            },
        )
        CandidatePair.objects.filter(
            organization=actor.organization,
            left=person,
            voter_id=existing.voter_id,
            status__in=[CandidatePair.Status.ACCEPTED, CandidatePair.Status.AUTO_ACCEPTED],
        ).update(
            status=CandidatePair.Status.REJECTED,
            decided_by=actor.user,
            decided_at=timezone.now(),
            note="Unlinked by a reviewer.",
        )
        existing.delete()


# Review ------------------------------------------------------------------------------------


def accept_pair(*, actor: Actor, pair: CandidatePair) -> CandidatePair:
    """Accept a pair waiting for review: merge the two people, or link the person."""
    access.require(actor, REVIEW)
    with transaction.atomic():
        pair = _pending(actor, pair)
        if pair.is_link:
            link(
                by=actor,
                person=pair.left,
                voter_id=pair.voter_id,
                method="reviewed",
                probability=pair.probability,
            )
        else:
            assert pair.right is not None, "a pair that is not a voter link has a right person"
            survivor, merged = survivor_of(pair.left, pair.right)
            merge(
                by=actor,
                survivor=survivor,
                merged=merged,
                method=Merge.Method.REVIEWED,
                pair=pair,
            )
            pair.refresh_from_db(fields=["merge"])
        _decide(actor, pair, CandidatePair.Status.ACCEPTED)
    return pair


def merge_with_voters_person(*, actor: Actor, pair: CandidatePair) -> CandidatePair:
    """Accept a voter pair whose voter is linked to someone else by merging the two people.

    They are one human entered twice: the merged record keeps the voter link.
    """
    access.require(actor, REVIEW)
    with transaction.atomic():
        pair = _pending(actor, pair)
        other = voters_person(actor, pair)
        if other is None:
            raise Conflict(
                f"Voter {pair.voter_id} is not linked to anyone: accept the pair to link them."
            )
        survivor, merged = survivor_of(pair.left, other)
        merge(
            by=actor,
            survivor=survivor,
            merged=merged,
            method=Merge.Method.REVIEWED,
            pair=pair,
        )
        pair.refresh_from_db(fields=["merge"])
        _decide(actor, pair, CandidatePair.Status.ACCEPTED)
    return pair


def voters_person(actor: Actor, pair: CandidatePair) -> Person | None:
    """Return the other person a voter pair's voter is linked to, if any."""
    if not pair.is_link:
        return None
    link = (
        access.scoped(actor, VoterLink.objects.filter(voter_id=pair.voter_id))
        .exclude(person_id=pair.left_id)
        .select_related("person")
        .first()
    )
    return link.person if link else None


def reject_pair(*, actor: Actor, pair: CandidatePair) -> CandidatePair:
    """Reject a pair: they are different humans. Later runs will not ask again."""
    access.require(actor, REVIEW)
    with transaction.atomic():
        pair = _pending(actor, pair)
        _decide(actor, pair, CandidatePair.Status.REJECTED)
    return pair


def survivor_of(first: Person, second: Person) -> tuple[Person, Person]:
    """Return (survivor, merged): the record that came first survives."""
    return (first, second) if first.pk < second.pk else (second, first)


def _pending(actor: Actor, pair: CandidatePair) -> CandidatePair:
    # Lock the pair only: PostgreSQL cannot lock the outer-joined side (`right` may be empty).
    locked = CandidatePair.objects.select_for_update(of=("self",))
    found = access.get(actor, locked.select_related("left", "right"), pk=pair.pk)
    if found.status != CandidatePair.Status.PENDING:
        raise Conflict(f"This pair was decided already ({found.get_status_display().lower()}).")
    for person in (found.left, found.right):
        if person is not None and person.merged_into_id is not None:
            raise Conflict(
                f"{person.display_name} has been merged into another record since "
                "this pair was found. Run the job again for fresh pairs."
            )
    return found


def _decide(actor: Actor, pair: CandidatePair, status: str) -> None:
    pair.status = status
    pair.decided_by = actor.user
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor,
        f"identity_pair.{status}",
        pair,
        changes={
            "status": [CandidatePair.Status.PENDING, status],
            "probability": [None, round(pair.probability, 4)],
        },
    )


# Jobs --------------------------------------------------------------------------------------


def start_dedupe(*, actor: Actor, engine: str = "duckdb", spark_master: str | None = None) -> Job:
    """Queue a job that looks for people entered more than once, trained and scored on
    *engine* (`identity.linkage.engines`: "duckdb", or "spark" with powerbase[spark])."""
    return _start(actor, DEDUPE_JOB, _engine_params(engine, spark_master))


def start_link(*, actor: Actor, engine: str = "duckdb", spark_master: str | None = None) -> Job:
    """Queue a job that links people to the voter file in use, trained and scored on *engine*
    (as `start_dedupe`). The voter file is read where it is stored (its DuckDB file or its
    Parquet copy) and normalised in DuckDB either way; Spark gets the normalised tables."""
    from powerbase.voterfile.models import VoterFileVersion

    if VoterFileVersion.objects.filter(organization=actor.organization).current() is None:
        raise InvalidInput(
            "There is no voter file to link to yet. Import one first (Voter file, then Import)."
        )
    return _start(actor, LINK_JOB, _engine_params(engine, spark_master))


def _engine_params(engine: str, spark_master: str | None) -> dict:
    """Check *engine* can run here before a job is queued; return the job's params."""
    import importlib.util

    from powerbase.identity.linkage.engines import ENGINES, SPARK_MISSING

    if engine not in ENGINES:
        raise InvalidInput(f"Unknown engine '{engine}': choose one of {', '.join(ENGINES)}.")
    if engine == "duckdb":
        if spark_master:
            raise InvalidInput("--spark-master goes with --engine spark.")
        return {}
    if importlib.util.find_spec("pyspark") is None:
        raise InvalidInput(SPARK_MISSING)
    return {"engine": engine, "spark_master": spark_master}


def link_after_import(*, organization: Organization, by: User | None) -> Job | None:
    """Queue a link job for the people a list import just added, if the organization wants it.

    Called by the import once its people are written. Nothing is queued when the setting is
    off, when there is no voter file yet, or when a matching job is already waiting or
    running (a waiting one reads the base when it starts, new people included). It runs as
    the importer, like any job, and needs no permission of its own: the organization chose
    it in its settings. Return the job, or None.
    """
    from powerbase.voterfile.models import VoterFileVersion

    organization.refresh_from_db(fields=["link_after_import"])
    if not organization.link_after_import:
        return None
    if VoterFileVersion.objects.filter(organization=organization).current() is None:
        return None
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if _matching_job(organization) is not None:
            return None
        return jobs.start(
            kind=LINK_JOB, started_by=by, organization=organization, params={"after_import": True}
        )


def _matching_job(organization: Organization) -> Job | None:
    return Job.objects.filter(
        organization=organization,
        kind__in=[DEDUPE_JOB, LINK_JOB],
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
    ).first()


def _start(actor: Actor, kind: str, params: dict | None = None) -> Job:
    access.require(actor, RUN)
    organization = actor.organization
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        waiting = _matching_job(organization)
        if waiting is not None:
            raise Conflict(
                f"A matching job is already {waiting.get_status_display().lower()} "
                f"(job {waiting.pk}). Wait for it to finish before starting another."
            )
        return jobs.start(kind=kind, started_by=actor, organization=organization, params=params)


def _counts(rows: dict[str, list]) -> str:
    """Return "people.Note.person_id: 2, ..." for the audit log (which keeps plain values)."""
    return ", ".join(f"{key}: {len(ids)}" for key, ids in rows.items())


def _organization(by: Actor | User | None, organization: Organization | None) -> Organization:
    if organization is not None:
        return organization
    if not isinstance(by, Actor):
        raise TypeError("Say which organization: only an actor carries one.")
    return by.organization


def _label(by) -> str:
    return "" if by is not None else "powerbase (matching job)"
