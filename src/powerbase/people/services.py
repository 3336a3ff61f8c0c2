"""Write operations on people. Each checks access, records provenance and is audited.

Every fact written here points at a `Source` and leaves a `PersonChange`, so the person page
can say where each fact came from and an import can be undone fact by fact.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit, locks
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import Organization
from powerbase.people.models import (
    TAG_NAME_LENGTH,
    CustomField,
    CustomValue,
    EmailAddress,
    Note,
    Person,
    PersonChange,
    PersonTag,
    PhoneNumber,
    PostalAddress,
    SavedList,
    Source,
    Tag,
)

EDITABLE_FIELDS = (
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
    "status",
)


@dataclass
class PersonDetails:
    """What a form or a row says about a person; empty values mean "not given"."""

    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    suffix: str = ""
    preferred_name: str = ""
    birth_date: date | None = None
    languages: list[str] = field(default_factory=list)
    race_ethnicity: list[str] = field(default_factory=list)
    race_ethnicity_detail: str = ""
    gender_identity: str = ""
    pronouns: str = ""

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def create_source(
    *,
    organization: Organization,
    kind: str,
    label: str,
    affiliate: Affiliate | None = None,
    user=None,
) -> Source:
    """Return a new provenance record for the facts about to be written."""
    return Source.objects.create(
        organization=organization, kind=kind, label=label[:200], affiliate=affiliate, user=user
    )


def manual_source(
    actor: Actor, person: Person | None = None, affiliate: Affiliate | None = None
) -> Source:
    """Return the source of what *actor* types in by hand.

    What an affiliate lead enters is their affiliate's fact, under its sharing terms: the
    source names *affiliate*, else the lead's affiliate that *person* belongs to.
    """
    return actor_source(
        actor,
        kind=Source.Kind.MANUAL,
        label=f"Entered by {actor.user.email if actor.user is not None else actor.label}",
        person=person,
        affiliate=affiliate,
    )


def actor_source(
    actor: Actor,
    *,
    kind: str,
    label: str,
    person: Person | None = None,
    affiliate: Affiliate | None = None,
) -> Source:
    """Return a source of facts *actor* writes (by hand, or with an API key: *kind*).

    What an affiliate lead writes is their affiliate's fact, under its sharing terms.
    """
    if actor.is_affiliate_scoped and affiliate is None:
        affiliate = _leads_affiliate_of(actor, person)
    return create_source(
        organization=actor.organization,
        kind=kind,
        label=label,
        user=actor.user,
        affiliate=affiliate if actor.is_affiliate_scoped else None,
    )


def _leads_affiliate_of(actor: Actor, person: Person | None) -> Affiliate | None:
    candidates = Affiliate.objects.filter(pk__in=actor.affiliate_ids).order_by("pk")
    if person is not None and person.pk:
        candidates = candidates.filter(memberships__person=person)
    return candidates.first()


def create_person(
    *,
    actor: Actor,
    details: PersonDetails,
    email: str = "",
    phone: str = "",
    affiliate: Affiliate | None = None,
    source: Source | None = None,
) -> Person:
    """Add a person by hand (or through an API key: *source*).

    An affiliate lead must add them to one of their affiliates.
    """
    access.require(actor, "people.edit")
    if not (details.given_name or details.family_name):
        raise InvalidInput("A person needs at least a given name or a family name.")
    if actor.is_affiliate_scoped and (affiliate is None or affiliate.pk not in actor.affiliate_ids):
        raise InvalidInput("Choose which of your affiliates this person belongs to.")
    _refuse_sensitive_edit(actor, details.as_fields())
    address = email.strip().lower()
    with transaction.atomic():
        _refuse_taken_email(actor.organization, address)
        source = source or manual_source(actor, affiliate=affiliate)
        person = Person(
            organization=actor.organization,
            source=source,
            is_direct_member=affiliate is None,
            **details.as_fields(),
        )
        person.refresh_keys()
        person.save()
        record_change(
            person, source, PersonChange.Action.CREATED, "person", None, person.display_name
        )
        if address:
            add_email(actor=actor, person=person, address=address, source=source)
        if phone:
            add_phone(actor=actor, person=person, e164=phone, source=source)
        if affiliate is not None:
            join_affiliate(actor=actor, person=person, affiliate=affiliate, source=source)
        audit.record(
            actor,
            "person.created",
            person,
            changes={name: [None, value] for name, value in details.as_fields().items() if value},
        )
    return person


def create_people_in_bulk(
    *,
    actor: Actor,
    people: list[PersonDetails],
    source: Source,
    affiliate: Affiliate | None = None,
) -> list[Person]:
    """Add many people at once, without contact details, as members of *affiliate* if given.

    For lists entered in one go (the demo's fictional members): each is checked as
    `create_person` checks one, all or nothing, with one audit entry for the batch and each
    person's history starting as `create_person` starts it.
    """
    access.require(actor, "people.edit")
    if affiliate is not None:
        access.get(actor, Affiliate, pk=affiliate.pk)  # the actor must see the affiliate
    for number, details in enumerate(people, start=1):
        if not (details.given_name or details.family_name):
            raise InvalidInput(f"Person {number} needs at least a given name or a family name.")
        _refuse_sensitive_edit(actor, details.as_fields())
    if actor.is_affiliate_scoped and (affiliate is None or affiliate.pk not in actor.affiliate_ids):
        raise InvalidInput("Choose which of your affiliates these people belong to.")
    created = [
        Person(
            organization=actor.organization,
            source=source,
            is_direct_member=affiliate is None,
            **details.as_fields(),
        )
        for details in people
    ]
    for person in created:
        person.refresh_keys()
    with transaction.atomic():
        Person.objects.bulk_create(created)
        changes = [
            _change(
                person, source, PersonChange.Action.CREATED, "person", None, person.display_name
            )
            for person in created
        ]
        if affiliate is not None:
            AffiliateMembership.objects.bulk_create(
                AffiliateMembership(
                    organization=actor.organization,
                    person=person,
                    affiliate=affiliate,
                    source=source,
                )
                for person in created
            )
            changes += [
                _change(
                    person, source, PersonChange.Action.ADDED, "affiliate", None, affiliate.name
                )
                for person in created
            ]
        PersonChange.objects.bulk_create(changes)
        audit.record(
            actor,
            "person.bulk_created",
            affiliate,
            changes={"people": len(created), "source": source.label},
        )
    return created


def email_owner(organization: Organization, address: str) -> int | None:
    """The id of the first person who has *address* (lower-cased) in *organization*, if any.

    Call inside a transaction: it takes the address's lock first, so that a person being
    added with it at the same moment is either already seen or waits for this transaction.
    """
    lock_email(organization, address)
    return (
        EmailAddress.objects.filter(organization=organization, address=address)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .first()
    )


def lock_email(organization: Organization, address: str) -> None:
    """Serialize adding people by *address*: two at once would both find no one and both add.

    A lock rather than a unique constraint: a household may share one address (see
    identity.runs), added on purpose with `add_email`; what must not happen is a second
    person *created* for an address already in the base.
    """
    locks.hold(f"person-email:{organization.pk}:{address}")


def _refuse_taken_email(organization: Organization, address: str) -> None:
    if address and email_owner(organization, address) is not None:
        # Says that the address is taken, never by whom: the one adding may not see them.
        raise Conflict(
            f"Someone in the base already has the email address {address}: find them on the "
            "people page instead of adding them again. If this is someone else who shares it "
            "(a household), add them without the email and add it on their page."
        )


def register_person(
    *,
    organization: Organization,
    source: Source,
    details: PersonDetails,
    email: str = "",
    phone: str = "",
    actor: Actor | None = None,
) -> Person:
    """Add someone who put their own name down: on a public sign-up form, or at the door.

    No role is checked here: the caller is a public page anyone may use, or a service that
    checked its own permission (checking people in at an action). *source* names the form or
    the action; *actor* is the volunteer at the door, None for a public form. They joined
    through the IPO's own sign-up, so they are direct members. *phone* is in E.164 form.
    On a public form, the person who already has *email* is returned instead of a new one.
    """
    if not (details.given_name or details.family_name):
        raise InvalidInput("A person needs at least a given name or a family name.")
    address = email.strip().lower()
    with transaction.atomic():
        # On a public form (no actor) an address already in the base is the same human signing
        # up again, or twice at once: the form shows them nothing of the record. A volunteer at
        # the door must not learn whose address it is, so for them it stays a new person.
        owner = email_owner(organization, address) if address and actor is None else None
        if owner is not None:
            return Person.objects.get(pk=owner)
        person = Person(
            organization=organization, source=source, is_direct_member=True, **details.as_fields()
        )
        person.refresh_keys()
        person.save()
        record_change(
            person, source, PersonChange.Action.CREATED, "person", None, person.display_name
        )
        if address:
            EmailAddress.objects.create(
                organization=organization,
                person=person,
                source=source,
                address=address,
                is_primary=True,
            )
            record_change(person, source, PersonChange.Action.ADDED, "email", None, address)
        if phone:
            PhoneNumber.objects.create(
                organization=organization,
                person=person,
                source=source,
                e164=phone,
                digits_reversed=reversed_digits(phone),
                is_primary=True,
            )
            record_change(person, source, PersonChange.Action.ADDED, "phone", None, phone)
        audit.record(
            actor,
            "person.created",
            person,
            organization=organization,
            changes={"source": [None, source.label]},
            actor_label="" if actor else source.label,
        )
    return person


def update_person(
    *, actor: Actor, person: Person, changes: dict, version: int, source: Source | None = None
) -> Person:
    """Save edits made from *version* of the person; refuse if someone saved in between."""
    access.require(actor, "people.edit", person)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    _refuse_sensitive_edit(actor, changes)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.version != version:
            raise Conflict(
                "Someone else saved changes to this person after you opened the form. "
                "Nothing was overwritten: reload the page to see their changes, then make "
                "yours again."
            )
        before = {name: getattr(current, name) for name in changes}
        differences = audit.field_changes(before, changes)
        if not differences:
            return current
        for name, value in changes.items():
            setattr(current, name, value)
        current.refresh_keys()
        current.updated_at = timezone.now()
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        source = source or manual_source(actor, person)
        for name, (old, new) in differences.items():
            record_change(current, source, PersonChange.Action.CHANGED, name, old, new)
        audit.record(actor, "person.updated", current, changes=differences)
    return current


def add_email(
    *, actor: Actor, person: Person, address: str, source: Source | None = None
) -> EmailAddress:
    access.require(actor, "people.edit", person)
    address = address.strip().lower()
    with transaction.atomic():
        source = source or manual_source(actor, person)
        email, created = EmailAddress.objects.get_or_create(
            person=person,
            address=address,
            defaults={
                "organization": person.organization,
                "source": source,
                "is_primary": not person.emails.exists(),
            },
        )
        if created:
            record_change(person, source, PersonChange.Action.ADDED, "email", None, address)
            audit.record(actor, "email.created", person, changes={"email": "changed"})
    return email


def add_phone(
    *,
    actor: Actor,
    person: Person,
    e164: str,
    kind: str = PhoneNumber.Kind.OTHER,
    sms_consent: bool = False,
    source: Source | None = None,
) -> PhoneNumber:
    access.require(actor, "people.edit", person)
    with transaction.atomic():
        source = source or manual_source(actor, person)
        phone, created = PhoneNumber.objects.get_or_create(
            person=person,
            e164=e164,
            defaults={
                "organization": person.organization,
                "source": source,
                "kind": kind,
                "sms_consent": sms_consent,
                "digits_reversed": reversed_digits(e164),
                "is_primary": not person.phones.exists(),
            },
        )
        if created:
            record_change(person, source, PersonChange.Action.ADDED, "phone", None, e164)
            audit.record(actor, "phone.created", person, changes={"phone": "changed"})
    return phone


def add_address(
    *,
    actor: Actor,
    person: Person,
    original: str,
    parts: dict | None = None,
    source: Source | None = None,
) -> PostalAddress:
    access.require(actor, "people.edit", person)
    with transaction.atomic():
        source = source or manual_source(actor, person)
        address = PostalAddress.objects.create(
            organization=person.organization,
            person=person,
            source=source,
            original=original,
            is_normalized=bool(parts),
            is_primary=not person.addresses.exists(),
            **(parts or {}),
        )
        record_change(person, source, PersonChange.Action.ADDED, "address", None, original)
        audit.record(actor, "address.created", person, changes={"address": "changed"})
    return address


def join_affiliate(
    *,
    actor: Actor,
    person: Person,
    affiliate: Affiliate,
    role: str = AffiliateMembership.Role.MEMBER,
    since: date | None = None,
    source: Source | None = None,
) -> AffiliateMembership:
    """Record that *person* is a member of *affiliate* (once; a repeat changes nothing)."""
    access.require(actor, "people.edit", person)
    access.get(actor, Affiliate, pk=affiliate.pk)  # the actor must see the affiliate
    with transaction.atomic():
        source = source or manual_source(actor, person, affiliate)
        membership, created = AffiliateMembership.objects.get_or_create(
            person=person,
            affiliate=affiliate,
            defaults={
                "organization": person.organization,
                "role": role,
                "since": since,
                "source": source,
            },
        )
        if created:
            record_change(
                person, source, PersonChange.Action.ADDED, "affiliate", None, affiliate.name
            )
            audit.record(
                actor,
                "affiliate_membership.created",
                membership,
                changes={"affiliate": [None, affiliate.name], "role": [None, role]},
            )
    return membership


def set_affiliate_role(
    *, actor: Actor, membership: AffiliateMembership, role: str, source: Source | None = None
) -> AffiliateMembership:
    """Make *membership*'s person a member, a leader or staff of its affiliate."""
    access.require(actor, "people.edit", membership.person)
    if role not in AffiliateMembership.Role.values:
        known = ", ".join(AffiliateMembership.Role.values)
        raise InvalidInput(f"Role '{role}' is not one of: {known}.", field="role")
    before = membership.role
    if before == role:
        return membership
    with transaction.atomic():
        AffiliateMembership.objects.filter(pk=membership.pk).update(role=role)
        membership.role = role
        source = source or manual_source(actor, membership.person, membership.affiliate)
        label = f"role in {membership.affiliate.name}"
        record_change(membership.person, source, PersonChange.Action.CHANGED, label, before, role)
        audit.record(
            actor, "affiliate_membership.updated", membership, changes={"role": [before, role]}
        )
    return membership


def tag_person(
    *, actor: Actor, person: Person, name: str, source: Source | None = None
) -> PersonTag:
    access.require(actor, "people.edit", person)
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("A tag needs a name.")
    with transaction.atomic():
        source = source or manual_source(actor, person)
        tag, _ = Tag.objects.get_or_create(organization=person.organization, name=name)
        person_tag, created = PersonTag.objects.get_or_create(
            person=person, tag=tag, defaults={"organization": person.organization, "source": source}
        )
        if created:
            record_change(person, source, PersonChange.Action.ADDED, "tag", None, name)
            audit.record(actor, "tag.added", person, changes={"tag": [None, name]})
    return person_tag


def create_tag(*, actor: Actor, name: str) -> Tag:
    """Return the organization's tag called *name*, adding it if it is new."""
    access.require(actor, "people.edit")
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("A tag needs a name.")
    if len(name) > TAG_NAME_LENGTH:
        raise InvalidInput(
            f"A tag's name can be at most {TAG_NAME_LENGTH} characters; this one has {len(name)}."
        )
    with transaction.atomic():
        tag, created = access.scoped(actor, Tag.objects.all()).get_or_create(
            organization=actor.organization, name=name
        )
        if created:
            audit.record(actor, "tag.created", tag, changes={"name": [None, name]})
    return tag


def untag_person(*, actor: Actor, person: Person, tag: Tag) -> None:
    access.require(actor, "people.edit", person)
    with transaction.atomic():
        deleted, _ = PersonTag.objects.filter(person=person, tag=tag).delete()
        if deleted:
            record_change(
                person,
                manual_source(actor, person),
                PersonChange.Action.REMOVED,
                "tag",
                tag.name,
                None,
            )
            audit.record(actor, "tag.removed", person, changes={"tag": [tag.name, None]})


def add_note(*, actor: Actor, person: Person, body: str, is_sensitive: bool = False) -> Note:
    """Write a note. Anything about immigration status belongs in a sensitive note."""
    access.require(actor, "people.edit", person)
    body = body.strip()
    if not body:
        raise InvalidInput("The note is empty.")
    with transaction.atomic():
        source = manual_source(actor, person)
        note = Note.objects.create(
            organization=person.organization,
            person=person,
            source=source,
            author=actor.user,
            body=body,
            is_sensitive=is_sensitive,
        )
        record_change(
            person,
            source,
            PersonChange.Action.ADDED,
            "sensitive note" if is_sensitive else "note",
            None,
            None if is_sensitive else body[:200],
        )
        # The entry names the person, not the note: a note's text (its str) stays out of the log.
        audit.record(
            actor,
            "note.created",
            person,
            changes={"body": [None, "written"], "is_sensitive": [None, is_sensitive]},
        )
    return note


def record_view(*, actor: Actor, person: Person) -> None:
    """Note in the audit log that *actor* opened *person*'s page, for their affiliates to see."""
    access.require(actor, "people.view", person)
    audit.record(actor, "person.viewed", person)


def record_search(*, actor: Actor, wanted, shown) -> None:
    """Note a search of the people page and, per affiliate, how many of its members it showed.

    Only searches that ask for something are kept (not the bare list). An email or phone typed
    as the query is not stored: it may be a withheld detail the searcher guessed.
    """
    access.require(actor, "people.view")
    ids = [person.pk for person in shown]
    if not wanted.as_params() or not ids:
        return
    audit.record(
        actor,
        "people.searched",
        None,
        changes={
            "filters": loggable_filters(wanted),
            "shown": len(ids),
            **audit.members_by_affiliate(Person.objects.filter(pk__in=ids).values("pk")),
        },
    )


def loggable_filters(wanted) -> str:
    """Return a search's filters as the audit log keeps them, without a typed email or phone."""
    params = wanted.as_params()
    typed = params.get("query", "")
    if "@" in typed or any(ch.isdigit() for ch in typed):
        params["query"] = "(an email or phone number)"
    return str(params)


def record_change(
    person: Person, source: Source, action: str, field_name: str, old, new
) -> PersonChange:
    """Add one entry to a person's history, and mark the person as modified now.

    Every change to a person's facts (email, phone, address, tag, field, affiliate) passes
    here, so the person's `updated_at` (the API's `modified_date`, what sync clients filter
    on) moves with any of them, not only with an edit of their name.
    """
    mark_modified(person)
    change = _change(person, source, action, field_name, old, new)
    change.save()
    return change


def _change(person: Person, source: Source, action: str, field_name: str, old, new) -> PersonChange:
    return PersonChange(
        organization_id=person.organization_id,
        person=person,
        source=source,
        action=action,
        field=field_name,
        old_value=audit.plain(old),
        new_value=audit.plain(new),
    )


def mark_modified(person: Person) -> None:
    """Set *person*'s `updated_at` to now, in the database and on the object in hand."""
    person.updated_at = timezone.now()
    Person.objects.filter(pk=person.pk).update(updated_at=person.updated_at)


def reversed_digits(e164: str) -> str:
    """Return the national digits of an E.164 number reversed (suffix search as prefix)."""
    digits = "".join(ch for ch in e164 if ch.isdigit())
    if e164.startswith("+1") and len(digits) == 11:
        digits = digits[1:]
    return digits[::-1]


def _refuse_sensitive_edit(actor: Actor, changes: dict) -> None:
    touched = set(changes) & set(Person.SENSITIVE_FIELDS)
    if any(changes[name] for name in touched) and not actor.can("people.view_sensitive"):
        raise InvalidInput("Your role may not record demographics. Ask a data director.")


def save_list(*, actor: Actor, name: str, filters: dict) -> SavedList:
    """Keep a search of the people page under a name, for the whole organization."""
    access.require(actor, "people.view")
    allowed = {"q", "affiliate", "tag", "role", "status"}
    with transaction.atomic():
        saved = SavedList.objects.create(
            organization=actor.organization,
            name=name.strip()[:120],
            created_by=actor.user,
            filters={key: value for key, value in filters.items() if key in allowed},
        )
        audit.record(actor, "saved_list.created", saved, changes={"name": [None, saved.name]})
    return saved


def define_custom_field(
    *, actor: Actor, name: str, kind: str, choices: list[str] | None = None
) -> CustomField:
    """Add a field of the organization's own (text, number, date or a choice)."""
    access.require(actor, "people.define_fields")
    organization = actor.organization
    name = " ".join(name.split())
    key = slugify(name).replace("-", "_")[:80]
    if not name or not key:
        raise InvalidInput(
            "The field needs a name with at least one letter or digit.", field="name"
        )
    if kind not in CustomField.Kind.values:
        raise InvalidInput(
            f"Kind '{kind}' is not one of: {', '.join(CustomField.Kind.values)}.", field="kind"
        )
    choices = [" ".join(c.split()) for c in choices or [] if c.strip()]
    if kind == CustomField.Kind.CHOICE and not choices:
        raise InvalidInput("A choice field needs its choices, one per line.", field="choices")
    if CustomField.objects.filter(organization=organization, key=key).exists():
        raise Conflict(f"There is already a field called {name}.", field="name")
    with transaction.atomic():
        field = CustomField.objects.create(
            organization=organization, name=name, key=key, kind=kind, choices=choices
        )
        audit.record(
            actor,
            "custom_field.created",
            field,
            organization=organization,
            changes={"name": [None, name], "kind": [None, kind]},
            actor_label="" if actor else "command line",
        )
    return field


def set_custom_value(
    *, actor: Actor, person: Person, field: CustomField, value, source: Source | None = None
) -> None:
    """Set (or, with an empty value, clear) a person's value for one of the custom fields."""
    from powerbase.imports.errors import InvalidValue
    from powerbase.people.custom_fields import canonical

    access.require(actor, "people.edit", person)
    access.get(actor, CustomField, pk=field.pk)
    new = None
    if str(value).strip():
        try:
            new = canonical(field, value)
        except InvalidValue as problem:
            raise InvalidInput(f"{field.name}: {problem.reason}") from None
    with transaction.atomic():
        current = CustomValue.objects.filter(person=person, field=field).first()
        old = current.value if current else None
        if old == new:
            return
        source = source or manual_source(actor, person)
        if current is None:
            assert new is not None, "no row and no value is no change, returned above"
            CustomValue.objects.create(
                organization=person.organization,
                person=person,
                field=field,
                value=new,
                source=source,
            )
        elif new is None:
            current.delete()
        else:
            current.value, current.source = new, source
            current.save(update_fields=["value", "source"])
        record_change(person, source, PersonChange.Action.CHANGED, field.name, old, new)
        audit.record(actor, "custom_value.updated", person, changes={field.key: [old, new]})
