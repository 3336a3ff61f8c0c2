"""Writes of the API app: keys and webhook subscriptions. Each checks access and is audited.

Writes to people, tags and RSVPs made through the API are not here: the resources call the
services of the apps that own them, with a `Source` naming the key (`api_source`).
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import cast

from django.db import IntegrityError, transaction
from django.utils import timezone

from powerbase.api.destinations import refuse_private_destination
from powerbase.api.models import ApiKey, PersonIdentifier, WebhookSubscription
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.people.models import Person, Source
from powerbase.people.services import actor_source, mark_modified

KEY_START = "pb_"


@dataclass(frozen=True)
class NewKey:
    """A key just made: `secret` is shown this once and never stored."""

    key: ApiKey
    secret: str


def hash_secret(secret: str) -> str:
    # The secret is 32 random bytes: a fast hash is as safe as a slow one against guessing.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(*, actor: Actor, name: str) -> NewKey:
    """Make a key for *actor*'s user in *actor*'s organization; return it with its secret."""
    access.require(actor, "org.view")
    name = " ".join(name.split())[:100]
    if not name:
        raise InvalidInput("Give the key a name that says what it is for, e.g. 'Parsons sync'.")
    assert actor.user is not None, "keys are made for a user: signed in, or named on the CLI"
    prefix = secrets.token_hex(6)
    secret = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            organization=actor.organization,
            user=actor.user,
            name=name,
            prefix=prefix,
            secret_hash=hash_secret(secret),
        )
        audit.record(actor, "api_key.created", key, changes={"name": [None, name]})
    return NewKey(key=key, secret=secret)


def revoke_key(*, actor: Actor, key: ApiKey) -> ApiKey:
    """Stop *key* working from now on. A user revokes their own keys; admins anyone's."""
    assert actor.user is not None, "keys are revoked by a user: signed in, or named on the CLI"
    if key.user_id != actor.user.pk:
        access.require(actor, "members.manage", key)
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit.record(actor, "api_key.revoked", key)
    return key


def find_key(secret: str) -> ApiKey | None:
    """Return the active key whose secret is *secret*, or None."""
    import hmac

    parts = secret.strip().split("_")
    if len(parts) < 3 or not secret.startswith(KEY_START):
        return None
    key = (
        ApiKey.objects.select_related("user", "organization")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, hash_secret(secret.strip())):
        return None
    return key


def note_use(key: ApiKey) -> None:
    """Remember when the key was last used, at most once a minute (a write per request is waste)."""
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def api_source(actor: Actor, key: ApiKey, person: Person | None = None) -> Source:
    """Return the provenance of what *key* writes: "API, key of <user>"."""
    return actor_source(
        actor,
        kind=Source.Kind.API,
        person=person,
        label=f"API, key of {key.user.email} ({key.name})",
    )


def add_identifier(
    *, actor: Actor, person: Person, system: str, value: str, source: Source
) -> PersonIdentifier | None:
    """Remember *person*'s id in another system; one already held by someone else is refused."""
    access.require(actor, "people.edit", person)
    system, value = system.strip().lower(), value.strip()
    if not system or not value or system == "powerbase":
        return None
    taken = InvalidInput(f"The identifier {system}:{value} already names another person.")
    held = access.scoped(actor, PersonIdentifier.objects.filter(system=system, value=value))
    if found := held.first():
        if found.person_id != person.pk:
            raise taken
        return found
    try:
        with transaction.atomic():
            found = PersonIdentifier.objects.create(
                organization=actor.organization,
                person=person,
                system=system,
                value=value,
                source=source,
            )
            mark_modified(person)
            audit.record(
                actor,
                "identifier.added",
                person,
                changes={"identifier": [None, f"{system}:{value}"]},
            )
    except IntegrityError:  # someone the actor may not see holds it: say no more than that
        raise taken from None
    return found


def subscribe(*, actor: Actor, url: str, events: list[str]) -> WebhookSubscription:
    """Ask for *events* to be sent to *url*, signed with a new secret."""
    from powerbase.api.webhooks import EVENTS

    access.require(actor, "api.manage_webhooks")
    url = url.strip()
    if not url.startswith(("https://", "http://")):
        raise InvalidInput(
            f"The webhook URL must start with https:// (got {url[:60]!r}).", field="url"
        )
    refuse_private_destination(url)
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise InvalidInput(f"Choose events among {', '.join(EVENTS)}; unknown: {unknown}.")
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            organization=actor.organization,
            url=url,
            events=sorted(set(events)),
            secret=secrets.token_hex(32),
            created_by=actor.user,
        )
        audit.record(
            actor,
            "webhook.subscribed",
            subscription,
            changes={"url": [None, url], "events": [None, subscription.events]},
        )
    return subscription


def unsubscribe(*, actor: Actor, subscription: WebhookSubscription) -> None:
    """Stop sending to *subscription*; its past deliveries stay visible."""
    access.require(actor, "api.manage_webhooks", subscription)
    if subscription.organization_id != actor.organization.pk:
        raise NotFound("That webhook")
    with transaction.atomic():
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
        audit.record(actor, "webhook.unsubscribed", subscription)


# People through the API ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonDocument:
    """What an OSDI person document says, checked and normalized before anything is written."""

    given_name: str | None
    family_name: str | None
    languages: list[str] | None
    emails: list[str]
    phones: list[tuple[str, bool | None]]  # E.164 and SMS consent when the status was given
    addresses: list[tuple[str, dict | None]]  # as received, and parts when it parsed
    custom_fields: dict[str, str]
    identifiers: list[tuple[str, str]]
    add_tags: list[str]
    remove_tags: list[str]


# Both are CharFields, which always have a max_length; the stubs allow any field here.
IDENTIFIER_SYSTEM_LIMIT = cast(int, PersonIdentifier._meta.get_field("system").max_length)
IDENTIFIER_VALUE_LIMIT = cast(int, PersonIdentifier._meta.get_field("value").max_length)
# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and none
# of them belongs in a name, an address or a tag.
_CONTROL = {chr(code) for code in range(32)} - {"\t", "\n", "\r"}


ADDRESS_FIELDS = ("address_lines", "locality", "region", "postal_code")


def _stored_text(body: dict, person) -> dict:
    """The parts of a person document the API stores as text (other keys are ignored)."""
    if not isinstance(person, dict):
        return {}
    addresses = person.get("postal_addresses")
    return {
        "add_tags": body.get("add_tags"),
        "remove_tags": body.get("remove_tags"),
        **{key: person.get(key) for key in ("given_name", "family_name", "languages_spoken")},
        "identifiers": person.get("identifiers"),
        "postal_addresses": [
            {key: entry.get(key) for key in ADDRESS_FIELDS} if isinstance(entry, dict) else None
            for entry in addresses
        ]
        if isinstance(addresses, list)
        else None,
    }


def _refuse_control_characters(value, where: str = "person") -> None:
    """Refuse text holding a control character, naming where it is."""
    if isinstance(value, str):
        if _CONTROL.intersection(value):
            raise InvalidInput(f"'{where}' holds a control character; send plain text.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control_characters(item, f"{where}.{key}"[:80])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_control_characters(item, f"{where}[{index}]"[:80])


def read_person_document(body: dict) -> PersonDocument:
    """Check an OSDI person (or signup helper) body, naming the field that is wrong."""
    from powerbase.imports.addresses import normalize_address
    from powerbase.imports.errors import InvalidValue
    from powerbase.imports.normalizing import normalize_email, normalize_phone

    if not isinstance(body, dict):
        raise InvalidInput('The body must be a JSON object, e.g. {"person": {...}}.')
    person = body.get("person", body)
    _refuse_control_characters(_stored_text(body, person))
    if not isinstance(person, dict):
        raise InvalidInput("'person' must be an object with the person's fields.")

    def text(name: str, limit: int = 100) -> str | None:
        value = person.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidInput(f"'person.{name}' must be text of at most {limit} characters.")
        return " ".join(value.split())

    def objects(name: str, where=person) -> list:
        value = where.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise InvalidInput(f"'{name}' must be a list of objects.")
        return value

    def strings(name: str, where: dict) -> list[str]:
        value = where.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"'{name}' must be a list of text values.")
        return [" ".join(v.split()) for v in value if v.strip()]

    emails, phones, addresses = [], [], []
    for index, entry in enumerate(objects("email_addresses")):
        try:
            emails.append(normalize_email(str(entry.get("address") or "")).lower())
        except InvalidValue as problem:
            raise InvalidInput(
                f"'person.email_addresses[{index}].address': {problem.reason}"
            ) from None
    for index, entry in enumerate(objects("phone_numbers")):
        try:
            number = normalize_phone(str(entry.get("number") or "")).e164
        except InvalidValue as problem:
            raise InvalidInput(
                f"'person.phone_numbers[{index}].number': {problem.reason}"
            ) from None
        status = entry.get("status")
        phones.append((number, None if status is None else status == "subscribed"))
    for index, entry in enumerate(objects("postal_addresses")):
        lines = entry.get("address_lines") or []
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise InvalidInput(
                f"'person.postal_addresses[{index}].address_lines' must be a list of text lines."
            )
        fields = {k: str(entry.get(k) or "") for k in ("locality", "region", "postal_code")}
        original = ", ".join(
            p
            for p in (
                *lines,
                fields["locality"],
                f"{fields['region']} {fields['postal_code']}".strip(),
            )
            if p
        )[:300]
        if not original:
            continue
        parsed, warning = normalize_address(
            street=lines[0] if lines else "",
            street2=" ".join(lines[1:]),
            city=fields["locality"],
            state=fields["region"],
            zip=fields["postal_code"],
        )
        parts = (
            None
            if warning
            else {
                "line1": parsed.line1,
                "line2": parsed.line2,
                "city": parsed.city,
                "state": parsed.state,
                "zip_code": parsed.zip,
            }
        )
        addresses.append((original, parts))
    custom = person.get("custom_fields") or {}
    if not isinstance(custom, dict):
        raise InvalidInput("'person.custom_fields' must be an object of field names to values.")
    identifiers = []
    for value in strings("identifiers", person):
        system, colon, rest = value.partition(":")
        if not colon or not system or not rest:
            raise InvalidInput(
                f"The identifier {value[:60]!r} must read system:id, e.g. van:12345."
            )
        if len(system) > IDENTIFIER_SYSTEM_LIMIT or len(rest) > IDENTIFIER_VALUE_LIMIT:
            raise InvalidInput(
                f"The identifier {value[:60]!r} is too long: at most {IDENTIFIER_SYSTEM_LIMIT} "
                f"characters before the colon and {IDENTIFIER_VALUE_LIMIT} after it."
            )
        identifiers.append((system, rest))
    languages = person.get("languages_spoken")
    return PersonDocument(
        given_name=text("given_name"),
        family_name=text("family_name"),
        languages=None if languages is None else strings("languages_spoken", person),
        emails=list(dict.fromkeys(emails)),
        phones=phones,
        addresses=addresses,
        custom_fields={str(k): "" if v is None else str(v) for k, v in custom.items()},
        identifiers=identifiers,
        add_tags=strings("add_tags", body),
        remove_tags=strings("remove_tags", body),
    )


def signup_person(*, actor: Actor, key: ApiKey, body: dict) -> tuple[Person, bool]:
    """Action Network's person signup helper: match by email, else phone; update or add.

    Returns the person and whether they were added. Matching only looks at people and
    contact facts the key's user may see. Everything happens in one transaction: a bad tag or
    custom field leaves nothing half written.
    """
    from powerbase.api import queries
    from powerbase.people.services import PersonDetails, create_person

    access.require(actor, "people.edit")
    document = read_person_document(body)
    if not document.emails and not document.phones:
        raise InvalidInput(
            "A person needs an email address or a phone number "
            "('person.email_addresses' or 'person.phone_numbers')."
        )
    with transaction.atomic():
        person = queries.person_by_contact(
            actor, document.emails, [number for number, _ in document.phones]
        )
        created = person is None
        if person is None:
            source = api_source(actor, key)
            details = PersonDetails(
                given_name=document.given_name or "",
                family_name=document.family_name or "",
                languages=document.languages or [],
            )
            if not (details.given_name or details.family_name):
                # Action Network accepts a bare email; our people need a name to be found.
                details.given_name = (
                    document.emails[0].split("@")[0] if document.emails else "Unknown"
                )
            person = create_person(
                actor=actor,
                details=details,
                email=document.emails[0] if document.emails else "",
                affiliate=_leads_affiliate(actor),
                source=source,
            )
        apply_person_document(
            actor=actor, key=key, person=person, document=document, names=not created
        )
    return person, created


def apply_person_document(
    *, actor: Actor, key: ApiKey, person: Person, document: PersonDocument, names: bool = True
) -> Person:
    """Write what *document* says about *person*: names, contact facts, fields, tags."""
    from powerbase.people import queries as people_queries
    from powerbase.people import services as people

    with transaction.atomic():
        source = api_source(actor, key, person)
        changes = {
            name: value
            for name, value in (
                ("given_name", document.given_name),
                ("family_name", document.family_name),
                ("languages", document.languages),
            )
            if value is not None and names
        }
        if changes:
            person = people.update_person(
                actor=actor, person=person, changes=changes, version=person.version, source=source
            )
        for address in document.emails:
            people.add_email(actor=actor, person=person, address=address, source=source)
        for number, consent in document.phones:
            people.add_phone(
                actor=actor,
                person=person,
                e164=number,
                kind="mobile",
                sms_consent=bool(consent),
                source=source,
            )
        known = {a.original for a in person.addresses.all()}
        for original, parts in document.addresses:
            if original not in known:
                people.add_address(
                    actor=actor, person=person, original=original, parts=parts, source=source
                )
        fields = {f.key: f for f in people_queries.custom_fields(actor)}
        for name, value in document.custom_fields.items():
            if name not in fields:
                raise InvalidInput(
                    f"'person.custom_fields.{name}' is not a field of this "
                    f"organization; its fields are: {', '.join(fields) or 'none'}."
                    " An admin can add it on the custom fields page."
                )
            people.set_custom_value(
                actor=actor, person=person, field=fields[name], value=value, source=source
            )
        for system, value in document.identifiers:
            add_identifier(actor=actor, person=person, system=system, value=value, source=source)
        for name in document.add_tags:
            people.tag_person(actor=actor, person=person, name=name, source=source)
        tags = {t.name: t for t in people_queries.tags(actor).filter(name__in=document.remove_tags)}
        for name in document.remove_tags:
            if name in tags:
                people.untag_person(actor=actor, person=person, tag=tags[name])
    return person


def _leads_affiliate(actor: Actor):
    """The affiliate an affiliate lead's key adds people to: their one affiliate."""
    from powerbase.coalition.models import Affiliate

    if not actor.is_affiliate_scoped:
        return None
    if len(actor.affiliate_ids) != 1:
        raise InvalidInput(
            "Your key's user leads several affiliates, so a new person cannot be "
            "placed in one through the API yet; add them on the people page."
        )
    return access.get(actor, Affiliate, pk=next(iter(actor.affiliate_ids)))


def tag_through_api(*, actor: Actor, key: ApiKey, tag, person: Person):
    """Put *tag* on *person*, recording the key as the source."""
    from powerbase.people.services import tag_person

    return tag_person(
        actor=actor, person=person, name=tag.name, source=api_source(actor, key, person)
    )


def rsvp_through_api(*, actor: Actor, event, person: Person):
    """Record that *person* will come to *event* (OSDI's record attendance helper)."""
    from powerbase.actions.models import Rsvp
    from powerbase.actions.services import record_rsvp

    return record_rsvp(actor=actor, action=event, person=person, channel=Rsvp.Channel.STAFF)
