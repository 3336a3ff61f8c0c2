"""Fold one person into another and unfold them again, exactly.

A merge re-points every row that belongs to the merged-away person (emails, phones,
addresses, tags, notes, custom values, affiliate memberships, history, RSVPs, attendance,
one-on-ones, import fingerprints, a voter link, member dues) at the survivor. Each row keeps its own
`source`, so the survivor's page still says which list or organizer gave each fact. A row
the survivor already has an equal of (the same email, a membership of the same affiliate)
cannot move without breaking a uniqueness rule; it stays on the merged record, which is
kept (never deleted, `merged_into` set) and listed on the survivor's page.

The ids of everything moved are kept on the `Merge`, so undo moves exactly those rows back
and restores the survivor's fields the merge filled in.

This module holds the mechanics only; `services` checks permissions and audits.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils import timezone

from powerbase.people.models import Person, PersonChange, Source

# Person fields a merge fills in on the survivor when the survivor's is empty.
FILLABLE_FIELDS = (
    "given_name",
    "middle_name",
    "family_name",
    "suffix",
    "preferred_name",
    "birth_date",
    "languages",
    "race_ethnicity",
    "race_ethnicity_detail",
    "gender_identity",
    "pronouns",
)


@dataclass(frozen=True)
class Movable:
    """Rows of *model* that point at a person through *field*.

    *unique_with* names the other columns of a uniqueness rule that includes the person:
    a row whose values the survivor already has stays behind. None: nothing stops a move.
    An empty tuple: one row per person (a one-to-one).
    """

    model: str
    field: str
    unique_with: tuple[str, ...] | None = None
    has_primary: bool = False

    @property
    def key(self) -> str:
        return f"{self.model}.{self.field}"

    def manager(self) -> models.Manager:
        return apps.get_model(self.model)._default_manager


MOVABLE: tuple[Movable, ...] = (
    Movable("people.EmailAddress", "person_id", ("address",), has_primary=True),
    Movable("people.PhoneNumber", "person_id", ("e164",), has_primary=True),
    Movable("people.PostalAddress", "person_id", has_primary=True),
    Movable("people.PersonTag", "person_id", ("tag_id",)),
    Movable("people.Note", "person_id"),
    Movable("people.CustomValue", "person_id", ("field_id",)),
    Movable("people.PersonChange", "person_id"),
    Movable("coalition.AffiliateMembership", "person_id", ("affiliate_id",)),
    Movable("imports.RowFingerprint", "person_id"),
    Movable("actions.Rsvp", "person_id", ("action_id",)),
    Movable("actions.Rsvp", "recruited_by_id"),
    Movable("actions.Attendance", "person_id", ("action_id",)),
    Movable("actions.Attendance", "recruited_by_id"),
    Movable("actions.Commitment", "leader_id", ("action_id",)),
    Movable("actions.OneOnOne", "person_id"),
    Movable("actions.LadderMove", "person_id"),
    Movable("identity.VoterLink", "person_id", ()),
    # A person's own dues, one row per affiliate they pay (or the IPO: no affiliate).
    Movable("money.MemberDues", "person_id", ("affiliate_id",)),
)
MOVABLE_BY_KEY = {movable.key: movable for movable in MOVABLE}


@dataclass
class Folded:
    """What a merge did, to be stored on its `Merge` row."""

    moved: dict[str, list[int]]
    duplicates: dict[str, list[list[int]]]
    unmarked_primary: dict[str, list[int]]
    survivor_before: dict[str, object]
    history_added: list[int]


def fold(
    *, survivor: Person, merged: Person, source: Source, holding: set[str] | None = None
) -> Folded:
    """Move *merged*'s rows to *survivor*, fill the survivor's empty fields, mark *merged*.

    *holding*, when known, names the kinds of rows (`Movable.key`) the merged person has, so
    the others are not looked at (see `kinds_held`). Call inside a transaction with both
    people locked.
    """
    folded = Folded(
        moved={}, duplicates={}, unmarked_primary={}, survivor_before={}, history_added=[]
    )
    for movable in MOVABLE:
        if holding is None or movable.key in holding:
            _move(movable, survivor, merged, folded)
    _fill_fields(survivor, merged, source, folded)
    history = PersonChange.objects.create(
        organization_id=survivor.organization_id,
        person=survivor,
        source=source,
        action=PersonChange.Action.ADDED,
        field="merged record",
        old_value=None,
        new_value=f"{merged.display_name} (#{merged.pk})",
    )
    folded.history_added.append(history.pk)
    # A line on the merged record too: it says where it went, and an import's undo keeps a
    # record that another source (this merge) has spoken about.
    folded.history_added.append(
        PersonChange.objects.create(
            organization_id=merged.organization_id,
            person=merged,
            source=source,
            action=PersonChange.Action.CHANGED,
            field="merged into",
            old_value=None,
            new_value=f"{survivor.display_name} (#{survivor.pk})",
        ).pk
    )
    merged.merged_into = survivor
    merged.updated_at = timezone.now()
    merged.save(update_fields=["merged_into", "updated_at"])
    return folded


def kinds_held(person_ids: list[int]) -> dict[int, set[str]]:
    """Return, per person, the kinds of rows (`Movable.key`) that point at them.

    One query per kind for any number of people: a job merging hundreds of pairs asks once
    instead of once per pair and kind.
    """
    from powerbase.core.bulk import in_chunks

    held: dict[int, set[str]] = {pk: set() for pk in person_ids}
    for movable in MOVABLE:
        for chunk in in_chunks(person_ids):
            for person_id in (
                movable.manager()
                .filter(**{f"{movable.field}__in": chunk})
                .values_list(movable.field, flat=True)
                .distinct()
            ):
                held[person_id].add(movable.key)
    return held


def _move(movable: Movable, survivor: Person, merged: Person, folded: Folded) -> None:
    """Re-point *merged*'s rows of one kind at *survivor*, leaving those that would collide.

    One read of both people's rows decides everything; then at most two updates.
    """
    unique = movable.unique_with or ()
    primary = ("is_primary",) if movable.has_primary else ()
    rows = list(
        movable.manager()
        .filter(**{f"{movable.field}__in": [survivor.pk, merged.pk]})
        .values_list("pk", movable.field, *primary, *unique)
    )
    theirs = [row for row in rows if row[1] == survivor.pk]
    mine = [row for row in rows if row[1] == merged.pk]
    staying = _collisions(movable, theirs, mine, skip=2 + len(primary))
    ids = [row[0] for row in mine if row[0] not in staying]
    if staying:
        folded.duplicates[movable.key] = [
            [mine_id, theirs_id] for mine_id, theirs_id in staying.items()
        ]
    if not ids:
        return
    if primary and any(row[2] for row in theirs):
        unmarked = [row[0] for row in mine if row[2] and row[0] in set(ids)]
        if unmarked:
            movable.manager().filter(pk__in=unmarked).update(is_primary=False)
            folded.unmarked_primary[movable.key] = unmarked
    movable.manager().filter(pk__in=ids).update(**{movable.field: survivor.pk})
    folded.moved[movable.key] = ids


def _collisions(
    movable: Movable, theirs: list[tuple], mine: list[tuple], *, skip: int
) -> dict[int, int]:
    """Return {merged row id: survivor row id} for rows the survivor has an equal of.

    Rows are (pk, person, [is_primary], *unique values); *skip* is where the values start.
    """
    if movable.unique_with is None or not theirs:
        return {}
    if not movable.unique_with:  # one per person
        return {row[0]: theirs[0][0] for row in mine}
    existing = {row[skip:]: row[0] for row in theirs}
    return {row[0]: existing[row[skip:]] for row in mine if row[skip:] in existing}


def _fill_fields(survivor: Person, merged: Person, source: Source, folded: Folded) -> None:
    changed = []
    for name in FILLABLE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if _is_empty(mine) and not _is_empty(theirs):
            folded.survivor_before[name] = _jsonable(mine)
            setattr(survivor, name, theirs)
            changed.append(name)
            shown = "changed" if name in Person.SENSITIVE_FIELDS else _jsonable(theirs)
            history = PersonChange.objects.create(
                organization_id=survivor.organization_id,
                person=survivor,
                source=source,
                action=PersonChange.Action.CHANGED,
                field=name,
                old_value=_jsonable(mine),
                new_value=shown,
            )
            folded.history_added.append(history.pk)
    if merged.is_direct_member and not survivor.is_direct_member:
        folded.survivor_before["is_direct_member"] = False
        survivor.is_direct_member = True
        changed.append("is_direct_member")
    if changed:
        survivor.refresh_keys()
        survivor.updated_at = timezone.now()
        survivor.version += 1
        survivor.save()


def unfold(*, merge) -> None:
    """Undo *merge*: move its rows back, restore the survivor's fields, revive the merged."""
    survivor, merged = merge.survivor, merge.merged
    for key, ids in merge.moved.items():
        movable = MOVABLE_BY_KEY[key]
        movable.manager().filter(pk__in=ids, **{movable.field: survivor.pk}).update(
            **{movable.field: merged.pk}
        )
    for key, ids in merge.unmarked_primary.items():
        MOVABLE_BY_KEY[key].manager().filter(pk__in=ids).update(is_primary=True)
    if merge.survivor_before:
        for name, value in merge.survivor_before.items():
            setattr(survivor, name, _python_value(name, value))
        survivor.refresh_keys()
        survivor.updated_at = timezone.now()
        survivor.version += 1
        survivor.save()
    PersonChange.objects.filter(pk__in=merge.history_added).delete()
    merged.merged_into = None
    merged.updated_at = timezone.now()
    merged.save(update_fields=["merged_into", "updated_at"])


def _is_empty(value) -> bool:
    return value in (None, "", [])


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _python_value(name: str, value):
    if name == "birth_date" and isinstance(value, str):
        from datetime import date

        return date.fromisoformat(value)
    return value
