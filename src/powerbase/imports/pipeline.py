"""Turn a checked list into people: plan what each row changes, then write it all at once.

    plan = plan_import(organization=org, affiliate=union, table=table, mapping=mapping)
    plan.counts            # {"new": ..., "updated": ..., "unchanged": ..., "rejected": ...}
    write_plan(plan, source=source)   # inside the caller's transaction

Planning only reads: it validates every row, finds who each row already is (see
`matching`), and works out which facts are new. The check (dry run) stops there; the commit
plans again, since the base may have changed in between, and writes with bulk inserts. A row
that brings nothing new is "unchanged", which is why importing the same file twice changes
nothing the second time.

Existing values are never overwritten by a list: an import fills blank fields and adds contact
points, tags, notes and memberships. Corrections to a name are an edit by a person.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F
from django.utils import timezone

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core.bulk import in_chunks, insert_rows, reserve_ids
from powerbase.core.models import Organization
from powerbase.imports.addresses import Address
from powerbase.imports.errors import InvalidValue
from powerbase.imports.matching import MatchIndex, MatchKeys, index_of_base, keys_for
from powerbase.imports.models import RowFingerprint
from powerbase.imports.placeholders import is_placeholder
from powerbase.imports.reading import Table, cell_text
from powerbase.imports.validating import (
    LEFT_OUT,
    ImportOptions,
    PersonRecord,
    RowProblem,
    validate_rows,
)
from powerbase.people.custom_fields import canonical
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
    Tag,
)
from powerbase.people.names import search_keys
from powerbase.people.services import reversed_digits

# Person fields an import may fill when they are blank.
FILLABLE = (
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
ROLE_FOR = {
    "member": AffiliateMembership.Role.MEMBER,
    "leader": AffiliateMembership.Role.LEADER,
    "steward": AffiliateMembership.Role.LEADER,
    "staff": AffiliateMembership.Role.STAFF,
}
STATUS_FOR = {
    "active": AffiliateMembership.Status.ACTIVE,
    "lapsed": AffiliateMembership.Status.LAPSED,
    "former": AffiliateMembership.Status.FORMER,
}
Progress = Callable[[int, str], None]
# A column mapped to one of the organization's own fields: "custom:<field key>".
CUSTOM_PREFIX = "custom:"


def split_mapping(mapping: dict) -> tuple[dict, dict]:
    """Split a mapping into the import layer's fields and the organization's own fields."""
    custom = {
        column: target
        for column, target in mapping.items()
        if target and target.startswith(CUSTOM_PREFIX)
    }
    return {column: target for column, target in mapping.items() if column not in custom}, custom


@dataclass
class Known:
    """What the base already holds about one matched person."""

    fields: dict
    emails: set[str]
    phones: set[str]
    addresses: set[str]
    tags: set[str]
    notes: set[str]
    custom: dict[int, str]
    in_affiliate: bool
    is_direct_member: bool


@dataclass
class PlannedPerson:
    """What the import will write for one person (new, or already in the base)."""

    person_id: int | None
    rows: list[int] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)
    phones: list = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    membership: dict | None = None
    custom: dict[int, str] = field(default_factory=dict)  # CustomField id -> value
    digests: list[str] = field(default_factory=list)  # rows not seen before
    make_direct: bool = False
    sms_consent: bool = False
    email_consent: bool = False
    created: bool = False  # set once the person row is written

    @property
    def is_new(self) -> bool:
        return self.person_id is None

    def has_changes(self) -> bool:
        return bool(
            self.fields
            or self.emails
            or self.phones
            or self.addresses
            or self.tags
            or self.notes
            or self.custom
            or self.membership
            or self.make_direct
        )


@dataclass
class ImportPlan:
    """Everything one file will change, and how each row was judged."""

    people: list[PlannedPerson] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


DEFAULT_OPTIONS = ImportOptions()


def plan_import(
    *,
    organization: Organization,
    affiliate: Affiliate | None,
    table: Table,
    mapping: dict,
    options: ImportOptions = DEFAULT_OPTIONS,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read and judge every row of *table*; return the plan without writing anything."""
    plan = ImportPlan()
    records: list[PersonRecord] = []
    standard, custom = split_mapping(mapping)
    custom_columns = _custom_columns(organization, table, custom)
    raw_rows = table.rows() if custom_columns else None
    custom_values: dict[int, dict[int, str]] = {}
    for outcome in validate_rows(table, standard, options):
        raw = next(raw_rows) if raw_rows is not None else None
        if outcome.blank:
            continue
        if raw is not None:
            custom_values[outcome.row] = _read_custom(outcome, raw, custom_columns)
        plan.warnings += outcome.warnings
        if outcome.record is None:
            plan.errors += outcome.errors
            plan.counts["rejected"] += 1
        else:
            # The base keeps whole addresses in lower case (people.services does too): mail
            # servers ignore case in practice, and a list that shouts must still match.
            outcome.record.emails = list(dict.fromkeys(e.lower() for e in outcome.record.emails))
            records.append(outcome.record)
        if progress and (len(records) + plan.counts["rejected"]) % 2000 == 0:
            progress(len(records) + plan.counts["rejected"], "Checking rows")
    keys = [_keys(record) for record in records]
    customs = [custom_values.get(record.row, {}) for record in records]
    # Only rows the matching rules cannot find again carry a fingerprint (needs_fingerprint).
    digests = [
        row_digest(record, affiliate, custom) if needs_fingerprint(k) else None
        for record, custom, k in zip(records, customs, keys, strict=True)
    ]
    seen = _seen_digests(organization, [digest for digest in digests if digest])
    index = index_of_base(organization.pk, keys)
    found = [
        digest and seen.get(digest) or index.find(k)
        for digest, k in zip(digests, keys, strict=True)
    ]
    known = _known_facts(organization, affiliate, {who for who in found if isinstance(who, int)})
    _judge(plan, records, customs, keys, digests, seen, index, known, affiliate)
    return plan


def _custom_columns(
    organization: Organization, table: Table, custom: dict
) -> list[tuple[int, str, CustomField]]:
    fields = {
        f.key: f
        for f in CustomField.objects.filter(
            organization=organization,
            key__in=[target.removeprefix(CUSTOM_PREFIX) for target in custom.values()],
        )
    }
    return [
        (index, column, fields[custom[column].removeprefix(CUSTOM_PREFIX)])
        for index, column in enumerate(table.header)
        if column in custom and custom[column].removeprefix(CUSTOM_PREFIX) in fields
    ]


def _read_custom(outcome, raw, columns: list[tuple[int, str, CustomField]]) -> dict[int, str]:
    """Read the row's values for the organization's own fields; a bad one is left out."""
    values = {}
    for index, column, custom_field in columns:
        cell = raw.cells[index]
        if cell is None or (isinstance(cell, str) and not cell.strip()) or is_placeholder(cell):
            continue
        try:
            values[custom_field.pk] = canonical(custom_field, cell)
        except InvalidValue as problem:
            if outcome.record is not None:
                reason = problem.reason if problem.reason.endswith(".") else problem.reason + "."
                outcome.warnings.append(
                    RowProblem(
                        outcome.row, column, cell_text(cell), reason + LEFT_OUT, dropped=True
                    )
                )
    return values


def _judge(
    plan: ImportPlan,
    records: list[PersonRecord],
    customs: list[dict],
    keys: list[MatchKeys],
    digests: list[str | None],
    seen: dict[str, int],
    index: MatchIndex,
    known: dict[int, Known],
    affiliate: Affiliate | None,
) -> None:
    """Decide, row by row, whom each record is about and what it adds."""
    planned_for: dict[int, PlannedPerson] = {}
    pending_digests: dict[str, PlannedPerson] = {}
    for record, custom, record_keys, digest in zip(records, customs, keys, digests, strict=True):
        who = (
            digest and (seen.get(digest) or pending_digests.get(digest)) or index.find(record_keys)
        )
        if isinstance(who, PlannedPerson):
            target = who
            base = None if who.person_id is None else known[who.person_id]  # None: new
        elif isinstance(who, int):
            if who not in planned_for:
                planned_for[who] = PlannedPerson(person_id=who)
                plan.people.append(planned_for[who])
            target = planned_for[who]
            base = known[who]
        else:
            target, base = PlannedPerson(person_id=None), None
            plan.people.append(target)
        added = _merge(target, record, custom, base, affiliate)
        target.rows.append(record.row)
        if digest and digest not in seen and digest not in pending_digests:
            target.digests.append(digest)
            pending_digests[digest] = target
        if target.is_new and len(target.rows) == 1:
            plan.counts["new"] += 1
        else:
            plan.counts["updated" if added else "unchanged"] += 1
        index.add(target, record_keys)


def _merge(
    target: PlannedPerson,
    record: PersonRecord,
    custom: dict[int, str],
    base: Known | None,
    affiliate: Affiliate | None,
) -> bool:
    """Add to *target* what *record* says that is not known yet; return whether anything was."""
    if base is None and not target.rows:
        return _first_row(target, record, custom, affiliate)
    before = _size(target)
    current = dict(base.fields) if base else {}
    current.update(target.fields)
    for name, value in _record_fields(record).items():
        if value and not current.get(name):
            target.fields[name] = value
    have_emails = (base.emails if base else set()) | set(target.emails)
    target.emails += [email for email in record.emails if email not in have_emails]
    have_phones = (base.phones if base else set()) | {p.e164 for p in target.phones}
    for phone in record.phones:
        if phone.e164 not in have_phones:
            target.phones.append(phone)
            have_phones.add(phone.e164)
    if record.sms_consent:
        target.sms_consent = True
    if record.email_consent:
        target.email_consent = True
    have_addresses = (base.addresses if base else set()) | {
        _address_key(a) for a in target.addresses
    }
    for address in record.addresses:
        if _address_key(address) not in have_addresses:
            target.addresses.append(address)
            have_addresses.add(_address_key(address))
    have_tags = (base.tags if base else set()) | set(target.tags)
    target.tags += [tag for tag in dict.fromkeys(record.tags) if tag not in have_tags]
    for field_id, value in custom.items():
        if field_id not in target.custom and not (base and field_id in base.custom):
            target.custom[field_id] = value
    have_notes = (base.notes if base else set()) | set(target.notes)
    target.notes += [note for note in record.notes if note not in have_notes]
    if affiliate is not None and target.membership is None and not (base and base.in_affiliate):
        target.membership = {
            "role": ROLE_FOR.get(record.affiliate_role, AffiliateMembership.Role.MEMBER),
            "since": record.affiliate_since,
            "status": STATUS_FOR.get(record.affiliate_status, AffiliateMembership.Status.ACTIVE),
        }
    if affiliate is None and not (base and base.is_direct_member):
        target.make_direct = True
    return _size(target) > before


def _first_row(
    target: PlannedPerson, record: PersonRecord, custom: dict[int, str], affiliate: Affiliate | None
) -> bool:
    """Fill a new person from their first row: nothing to compare, so nothing to look up.

    Most rows of a list are new people; this keeps them off the comparing path above.
    """
    target.fields = {name: value for name, value in _record_fields(record).items() if value}
    target.emails = list(record.emails)
    target.phones = list({phone.e164: phone for phone in record.phones}.values())
    target.sms_consent = bool(record.sms_consent)
    target.email_consent = bool(record.email_consent)
    target.addresses = list({_address_key(a): a for a in record.addresses}.values())
    target.tags = list(dict.fromkeys(record.tags))
    target.notes = list(dict.fromkeys(record.notes))
    target.custom = dict(custom)
    if affiliate is not None:
        target.membership = {
            "role": ROLE_FOR.get(record.affiliate_role, AffiliateMembership.Role.MEMBER),
            "since": record.affiliate_since,
            "status": STATUS_FOR.get(record.affiliate_status, AffiliateMembership.Status.ACTIVE),
        }
    else:
        target.make_direct = True
    return True


def _size(target: PlannedPerson) -> int:
    return (
        len(target.fields)
        + len(target.emails)
        + len(target.phones)
        + len(target.addresses)
        + len(target.tags)
        + len(target.notes)
        + len(target.custom)
        + (target.membership is not None)
        + target.make_direct
    )


def row_digest(record: PersonRecord, affiliate: Affiliate | None, custom: dict) -> str:
    """Return a digest of everything a row says (not where it sits in the file)."""
    said = {
        **_record_fields(record),
        "emails": record.emails,
        "phones": [p.e164 for p in record.phones],
        "addresses": [_address_key(a) for a in record.addresses],
        "tags": record.tags,
        "notes": record.notes,
        "external_id": record.external_id,
        "custom": sorted(custom.items()),
        "affiliate": affiliate.pk if affiliate else None,
    }
    return hashlib.sha1(repr(sorted(said.items())).encode(), usedforsecurity=False).hexdigest()


def _seen_digests(organization: Organization, digests: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    for chunk in in_chunks(sorted(set(digests))):
        seen.update(
            RowFingerprint.objects.filter(
                organization=organization, digest__among=chunk, person__merged_into__isnull=True
            ).values_list("digest", "person_id")
        )
    return seen


def _record_fields(record: PersonRecord) -> dict:
    race = record.race_ethnicity
    return {
        "given_name": record.given_name,
        "middle_name": record.middle_name,
        "family_name": record.family_name,
        "suffix": record.suffix,
        "preferred_name": record.preferred_name,
        "birth_date": record.birth_date,
        "languages": list(record.languages),
        "race_ethnicity": list(race.categories) if race else [],
        "race_ethnicity_detail": race.self_described if race else "",
        "gender_identity": record.gender,
        "pronouns": record.pronouns,
    }


def _keys(record: PersonRecord) -> MatchKeys:
    return keys_for(
        given=record.preferred_name or record.given_name,
        family=record.family_name,
        birth_date=record.birth_date,
        emails=record.emails,
        phones=[phone.e164 for phone in record.phones],
    )


def _address_key(address: Address) -> str:
    if address.standardized:
        return f"{address.line1}|{address.line2}|{address.zip}".upper()
    return " ".join(address.original.upper().split())


def _known_facts(
    organization: Organization, affiliate: Affiliate | None, person_ids: set[int]
) -> dict[int, Known]:
    """Load what the base holds about the matched people, a few queries per chunk of ids."""
    known: dict[int, Known] = {}
    for chunk in in_chunks(sorted(person_ids)):
        for person in Person.objects.filter(pk__among=chunk).values(
            "id", "is_direct_member", *FILLABLE
        ):
            known[person["id"]] = Known(
                fields={name: person[name] for name in FILLABLE},
                emails=set(),
                phones=set(),
                addresses=set(),
                tags=set(),
                notes=set(),
                custom={},
                in_affiliate=False,
                is_direct_member=person["is_direct_member"],
            )
        for person_id, address in EmailAddress.objects.filter(person_id__in=chunk).values_list(
            "person_id", "address"
        ):
            known[person_id].emails.add(address)
        for person_id, e164 in PhoneNumber.objects.filter(person_id__in=chunk).values_list(
            "person_id", "e164"
        ):
            known[person_id].phones.add(e164)
        for row in PostalAddress.objects.filter(person_id__in=chunk).values(
            "person_id", "original", "line1", "line2", "zip_code", "is_normalized"
        ):
            known[row["person_id"]].addresses.add(
                f"{row['line1']}|{row['line2']}|{row['zip_code']}".upper()
                if row["is_normalized"]
                else " ".join(row["original"].upper().split())
            )
        for person_id, name in PersonTag.objects.filter(person_id__in=chunk).values_list(
            "person_id", "tag__name"
        ):
            known[person_id].tags.add(name)
        for person_id, body in Note.objects.filter(person_id__in=chunk).values_list(
            "person_id", "body"
        ):
            known[person_id].notes.add(body)
        for person_id, field_id, value in CustomValue.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "field_id", "value"):
            known[person_id].custom[field_id] = value
        if affiliate is not None:
            for person_id in AffiliateMembership.objects.filter(
                person_id__in=chunk, affiliate=affiliate
            ).values_list("person_id", flat=True):
                known[person_id].in_affiliate = True
    return known


# Writing ----------------------------------------------------------------------------------


def write_plan(
    plan: ImportPlan,
    *,
    source: Source,
    affiliate: Affiliate | None,
    progress: Progress | None = None,
) -> None:
    """Write *plan* with fast bulk inserts. Call inside a transaction: all of it, or none."""
    org, source_id = source.organization_id, source.pk
    now = timezone.now()
    touched = [p for p in plan.people if p.has_changes()]
    new = [p for p in plan.people if p.is_new]
    known = [p for p in touched if not p.is_new]
    _report(progress, 0, "Adding new people")
    _create_people(new, source, affiliate, now)  # gives each new plan its person_id
    _report(progress, 1, "Filling in people already in the base")
    _update_people(known, source, now)
    _report(progress, 2, "Adding emails, phones and addresses")
    fact = ("organization_id", "person_id", "source_id", "recorded_at")
    insert_rows(
        EmailAddress,
        (*fact, "address", "is_primary"),
        (
            (org, p.person_id, source_id, now, email, p.created and n == 0)
            for p in touched
            for n, email in enumerate(p.emails)
        ),
    )
    insert_rows(
        PhoneNumber,
        (*fact, "e164", "kind", "sms_consent", "digits_reversed", "is_primary"),
        (
            (
                org,
                p.person_id,
                source_id,
                now,
                phone.e164,
                _phone_kind(phone),
                p.sms_consent and phone.type == "mobile",
                reversed_digits(phone.e164),
                p.created and n == 0,
            )
            for p in touched
            for n, phone in enumerate(p.phones)
        ),
    )
    insert_rows(
        PostalAddress,
        (
            *fact,
            "original",
            "line1",
            "line2",
            "city",
            "state",
            "zip_code",
            "is_normalized",
            "is_primary",
        ),
        (
            (
                org,
                p.person_id,
                source_id,
                now,
                address.original[:300],
                address.line1,
                address.line2,
                address.city,
                address.state,
                address.zip,
                address.standardized,
                p.created and n == 0,
            )
            for p in touched
            for n, address in enumerate(p.addresses)
        ),
    )
    _report(progress, 3, "Adding tags, notes and memberships")
    _write_tags(touched, source, now)
    insert_rows(
        CustomValue,
        (*fact, "field_id", "value"),
        (
            (org, p.person_id, source_id, now, field_id, value)
            for p in touched
            for field_id, value in p.custom.items()
        ),
    )
    insert_rows(
        Note,
        (*fact, "body", "is_sensitive"),
        ((org, p.person_id, source_id, now, body, False) for p in touched for body in p.notes),
    )
    if affiliate is not None:
        insert_rows(
            AffiliateMembership,
            (*fact, "affiliate_id", "role", "since", "status"),
            (
                (
                    org,
                    p.person_id,
                    source_id,
                    now,
                    affiliate.pk,
                    p.membership["role"],
                    p.membership["since"],
                    p.membership["status"],
                )
                for p in touched
                if p.membership is not None
            ),
        )
    _report(progress, 4, "Recording history")
    insert_rows(
        PersonChange,
        (
            "organization_id",
            "source_id",
            "recorded_at",
            "person_id",
            "action",
            "field",
            "old_value",
            "new_value",
        ),
        ((org, source_id, now, *_history(p, affiliate)) for p in touched if not p.created),
    )
    insert_rows(
        RowFingerprint,
        ("organization_id", "person_id", "source_id", "digest"),
        ((org, p.person_id, source_id, digest) for p in plan.people for digest in p.digests),
    )


def needs_fingerprint(keys: MatchKeys) -> bool:
    """True for a row the matching rules cannot find again (no email, phone or birth date).

    Rows the rules find by themselves need no fingerprint to come back as the same person.
    """
    return not (keys.emails or (keys.full_name and (keys.phones or keys.birth_date)))


PERSON_COLUMNS = (
    "id",
    "organization_id",
    "source_id",
    "created_at",
    "updated_at",
    "is_direct_member",
    "given_key",
    "family_key",
    "full_key",
    *FILLABLE,
)


def _create_people(
    planned: list[PlannedPerson], source: Source, affiliate: Affiliate | None, now
) -> None:
    ids = reserve_ids(Person, len(planned))
    rows = []
    blank = {
        field.name: field.get_default()
        for field in Person._meta.concrete_fields
        if field.name in FILLABLE
    }
    head = (source.organization_id, source.pk, now, now, affiliate is None)
    for p, person_id in zip(planned, ids, strict=True):
        fields = blank | p.fields
        keys = search_keys(
            given=fields["given_name"],
            preferred=fields["preferred_name"],
            family=fields["family_name"],
        )
        p.person_id, p.created = person_id, True
        rows.append((person_id, *head, *keys, *map(fields.__getitem__, FILLABLE)))
    insert_rows(Person, PERSON_COLUMNS, rows)


def _update_people(planned: list[PlannedPerson], source: Source, now) -> None:
    """Fill blanks of people already in the base; each change goes into their history."""
    changes = []
    to_save = []
    filling = [p for p in planned if p.fields or p.make_direct]
    people = {}
    for start in range(0, len(filling), 900):
        people.update(Person.objects.in_bulk([p.person_id for p in filling[start : start + 900]]))
    for p in filling:
        assert p.person_id is not None, "only people already in the base are filled in"
        person = people[p.person_id]
        for name, value in p.fields.items():
            changes.append(
                PersonChange(
                    organization_id=source.organization_id,
                    person_id=p.person_id,
                    source=source,
                    action=PersonChange.Action.CHANGED,
                    field=name,
                    recorded_at=now,
                    old_value=_plain(getattr(person, name)),
                    new_value=_plain(value),
                )
            )
            setattr(person, name, value)
        if p.make_direct:
            changes.append(
                PersonChange(
                    organization_id=source.organization_id,
                    person_id=p.person_id,
                    source=source,
                    action=PersonChange.Action.CHANGED,
                    field="is_direct_member",
                    recorded_at=now,
                    old_value=False,
                    new_value=True,
                )
            )
            person.is_direct_member = True
        person.refresh_keys()
        person.updated_at = now
        to_save.append(person)
    fields = sorted(
        {name for p in planned for name in p.fields}
        | {"is_direct_member", "given_key", "family_key", "full_key", "updated_at"}
    )
    Person.objects.bulk_update(to_save, fields, batch_size=500)
    # A form opened before the import must not save over it: bump the version.
    Person.objects.filter(pk__in=[person.pk for person in to_save]).update(version=F("version") + 1)
    _bulk(PersonChange, changes)


def _write_tags(planned: list[PlannedPerson], source: Source, now) -> None:
    names = {tag for p in planned for tag in p.tags}
    if not names:
        return
    organization_id = source.organization_id
    existing = dict(
        Tag.objects.filter(organization_id=organization_id, name__in=names).values_list(
            "name", "id"
        )
    )
    _bulk(
        Tag,
        [Tag(organization_id=organization_id, name=name) for name in sorted(names - set(existing))],
    )
    tag_ids = dict(
        Tag.objects.filter(organization_id=organization_id, name__in=names).values_list(
            "name", "id"
        )
    )
    insert_rows(
        PersonTag,
        ("organization_id", "person_id", "tag_id", "source_id", "recorded_at"),
        (
            (organization_id, p.person_id, tag_ids[name], source.pk, now)
            for p in planned
            for name in p.tags
        ),
    )


def _history(p: PlannedPerson, affiliate: Affiliate | None) -> tuple:
    """One line per person already in the base: what this list added.

    A person the list created needs no line: their record's source and creation time say it,
    and the person page shows that as the first entry of the history.
    """
    added = (
        ([f"{len(p.emails)} email(s)"] if p.emails else [])
        + ([f"{len(p.phones)} phone(s)"] if p.phones else [])
        + ([f"{len(p.addresses)} address(es)"] if p.addresses else [])
        + ([f"tags {', '.join(p.tags)}"] if p.tags else [])
        + ([f"{len(p.notes)} note(s)"] if p.notes else [])
        + ([f"{len(p.custom)} field(s) of your own"] if p.custom else [])
        + ([f"membership of {affiliate}"] if p.membership and affiliate else [])
    )
    return (
        p.person_id,
        PersonChange.Action.ADDED,
        "facts",
        None,
        "; ".join(added) or "filled blank fields",
    )


def _phone_kind(phone) -> str:
    if phone.label in ("home", "work"):
        return phone.label
    return PhoneNumber.Kind.MOBILE if phone.type == "mobile" else PhoneNumber.Kind.OTHER


def _bulk(model, objects: list) -> None:
    if objects:
        model.objects.bulk_create(objects, batch_size=1000)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _report(progress: Progress | None, step: int, message: str) -> None:
    if progress:
        progress(step, message)
