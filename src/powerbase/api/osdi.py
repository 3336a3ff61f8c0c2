"""Translate powerbase records to OSDI (HAL+JSON) documents, as Action Network shapes them.

Translation only: what an actor may see was decided before a record reaches here (the rows
through `access`, a person's contact facts through `access.person_visibility`).

Identifiers: every record lists `powerbase:<id>` first, then the ids other systems gave it
(`van:…`, `action_network:…`). A record without an Action Network id of its own also lists
`action_network:<powerbase id>`: Action Network's clients (Parsons among them) read the id for
the next request from that identifier, and powerbase's addresses accept it.
"""

from collections.abc import Sequence

from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.people.models import Person, PersonTag, SavedList, Tag

BASE = "/api/v2"
CURIES = [{"name": "osdi", "href": "https://actionnetwork.org/docs/v2/{rel}", "templated": True}]


def url(request, path: str) -> str:
    return request.build_absolute_uri(f"{BASE}/{path}")


def iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def identifiers(pk, external: Sequence[str] = ()) -> list[str]:
    found = [f"powerbase:{pk}", *external]
    if not any(i.startswith("action_network:") for i in external):
        found.append(f"action_network:{pk}")
    return found


def person(request, record: Person, seen) -> dict:
    """Return *record* as an OSDI person, showing only the contact facts *seen* allows."""
    href = url(request, f"people/{record.pk}")
    emails = [e for e in record.emails.all() if seen.shows_contact(e)]
    phones = [p for p in record.phones.all() if seen.shows_contact(p)]
    addresses = [a for a in record.addresses.all() if seen.shows_contact(a)]
    return {
        "identifiers": identifiers(record.pk, [str(i) for i in record.external_identifiers.all()]),
        "created_date": iso(record.created_at),
        "modified_date": iso(record.updated_at),
        "given_name": record.given_name,
        "family_name": record.family_name,
        "languages_spoken": list(record.languages or []),
        "email_addresses": [{"address": e.address, "primary": e.is_primary} for e in emails],
        "phone_numbers": [
            {
                "number": p.e164,
                "primary": p.is_primary,
                "number_type": p.get_kind_display(),
                "status": "subscribed" if p.sms_consent else "unsubscribed",
            }
            for p in phones
        ],
        "postal_addresses": [postal_address(a) for a in addresses],
        "custom_fields": {v.field.key: v.value for v in record.custom_values.all()},
        "_links": {
            "self": {"href": href},
            "osdi:taggings": {"href": f"{href}/taggings"},
            "osdi:attendances": {"href": f"{href}/attendances"},
            "curies": CURIES,
        },
    }


def postal_address(address) -> dict:
    if not address.is_normalized:
        return {"primary": address.is_primary, "address_lines": [address.original], "country": "US"}
    return {
        "primary": address.is_primary,
        "address_lines": [line for line in (address.line1, address.line2) if line],
        "locality": address.city,
        "region": address.state,
        "postal_code": address.zip_code,
        "country": "US",
    }


def tag(request, record: Tag) -> dict:
    href = url(request, f"tags/{record.pk}")
    return {
        "identifiers": identifiers(record.pk),
        "name": record.name,
        "created_date": None,
        "modified_date": None,
        "_links": {
            "self": {"href": href},
            "osdi:taggings": {"href": f"{href}/taggings"},
            "curies": CURIES,
        },
    }


def tagging(request, record: PersonTag) -> dict:
    href = url(request, f"tags/{record.tag_id}/taggings/{record.pk}")
    return {
        "identifiers": identifiers(record.pk),
        "item_type": "osdi:person",
        "created_date": iso(record.recorded_at),
        "modified_date": iso(record.recorded_at),
        "_links": {
            "self": {"href": href},
            "osdi:tag": {"href": url(request, f"tags/{record.tag_id}")},
            "osdi:person": {"href": url(request, f"people/{record.person_id}")},
            "curies": CURIES,
        },
    }


def saved_list(request, record: SavedList, total: int | None = None) -> dict:
    href = url(request, f"lists/{record.pk}")
    return {
        "identifiers": identifiers(record.pk),
        "name": record.name,
        "title": record.name,
        "description": "A saved search of the people page.",
        "created_date": iso(record.created_at),
        "modified_date": iso(record.created_at),
        "_links": {
            "self": {"href": href},
            "osdi:items": {"href": f"{href}/items"},
            "curies": CURIES,
        },
    }


def item(request, list_id: int, record: Person) -> dict:
    return {
        "identifiers": identifiers(record.pk),
        "item_type": "osdi:person",
        "created_date": iso(record.created_at),
        "modified_date": iso(record.updated_at),
        "_links": {
            "self": {"href": url(request, f"lists/{list_id}/items/{record.pk}")},
            "osdi:list": {"href": url(request, f"lists/{list_id}")},
            "osdi:person": {"href": url(request, f"people/{record.pk}")},
            "curies": CURIES,
        },
    }


def event(request, record: Action) -> dict:
    href = url(request, f"events/{record.pk}")
    return {
        "identifiers": identifiers(record.pk),
        "title": record.title,
        "name": record.title,
        "description": record.description,
        "start_date": iso(record.starts_at),
        "end_date": iso(record.ends_at),
        "status": "confirmed",
        "type": "open" if record.is_public else "private",
        "location": {"venue": record.place},
        "created_date": iso(record.created_at),
        "modified_date": iso(record.created_at),
        "_links": {
            "self": {"href": href},
            "osdi:attendances": {"href": f"{href}/attendances"},
            "curies": CURIES,
        },
    }


def attendance_id(record: Rsvp | Attendance) -> str:
    """An RSVP and a check-in without RSVP are both attendances; their ids say which."""
    return f"{'rsvp' if isinstance(record, Rsvp) else 'checkin'}-{record.pk}"


def attendance(request, record: Rsvp | Attendance, attended: bool) -> dict:
    href = url(request, f"events/{record.action_id}/attendances/{attendance_id(record)}")
    when = record.created_at if isinstance(record, Rsvp) else record.checked_in_at
    return {
        "identifiers": [
            f"powerbase:{attendance_id(record)}",
            f"action_network:{attendance_id(record)}",
        ],
        "status": "accepted",
        "attended": attended,
        "created_date": iso(when),
        "modified_date": iso(when),
        "_links": {
            "self": {"href": href},
            "osdi:event": {"href": url(request, f"events/{record.action_id}")},
            "osdi:person": {"href": url(request, f"people/{record.person_id}")},
            "curies": CURIES,
        },
    }


def collection(
    request, rel: str, documents: list[dict], *, page: int, per_page: int, total: int, path: str
) -> dict:
    """Return one page of a collection with Action Network's paging fields and links."""
    total_pages = max(1, -(-total // per_page))
    query = request.GET.copy()
    query["per_page"] = per_page

    def page_href(number: int) -> dict:
        query["page"] = number
        return {"href": f"{url(request, path)}?{query.urlencode()}"}

    links = {
        "self": page_href(page),
        rel: [d["_links"]["self"] for d in documents],
        "curies": CURIES,
    }
    if page < total_pages:
        links["next"] = page_href(page + 1)
    if page > 1:
        links["previous"] = page_href(page - 1)
    return {
        "total_pages": total_pages,
        "per_page": per_page,
        "page": page,
        "total_records": total,
        "_links": links,
        "_embedded": {rel: documents},
    }
