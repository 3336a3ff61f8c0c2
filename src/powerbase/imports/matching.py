"""Find the people a list's rows already are, by the three rules of an import.

A row is the same person as someone already in the base (or an earlier row of the same file)
when they share an email address; or a phone number and the whole name; or the whole name and
the birth date. A shared family phone or email with a *different* name is not enough for the
phone rule, and identity's fuzzy matching handles nicknames and typos across the whole base.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from powerbase.core.bulk import in_chunks
from powerbase.people.models import EmailAddress, Person, PhoneNumber
from powerbase.people.names import name_key


@dataclass(frozen=True)
class MatchKeys:
    """The keys one row (or one person) can be found by."""

    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    given_key: str = ""
    family_key: str = ""
    birth_date: date | None = None

    @property
    def full_name(self) -> tuple[str, str] | None:
        return (self.given_key, self.family_key) if self.given_key and self.family_key else None


@dataclass
class MatchIndex:
    """Who is findable how: person ids (existing) or pending keys (new in this file)."""

    by_email: dict[str, object] = field(default_factory=dict)
    by_phone_name: dict[tuple, object] = field(default_factory=dict)
    by_name_birth: dict[tuple, object] = field(default_factory=dict)

    def find(self, keys: MatchKeys) -> object | None:
        """Return who *keys* match, trying the rules in order of confidence."""
        for email in keys.emails:
            if email in self.by_email:
                return self.by_email[email]
        if keys.full_name:
            for phone in keys.phones:
                found = self.by_phone_name.get((phone, *keys.full_name))
                if found is not None:
                    return found
            if keys.birth_date:
                found = self.by_name_birth.get((*keys.full_name, keys.birth_date))
                if found is not None:
                    return found
        return None

    def add(self, who: object, keys: MatchKeys) -> None:
        """Make *who* findable by *keys* (first come keeps a key: the base before the file)."""
        for email in keys.emails:
            self.by_email.setdefault(email, who)
        if keys.full_name:
            for phone in keys.phones:
                self.by_phone_name.setdefault((phone, *keys.full_name), who)
            if keys.birth_date:
                self.by_name_birth.setdefault((*keys.full_name, keys.birth_date), who)


def index_of_base(organization_id: int, keys: Iterable[MatchKeys]) -> MatchIndex:
    """Load the base's people who could match any of *keys*, in a few set-based queries.

    Only candidates are loaded (people sharing an email, a phone, or a family name with the
    file), so a 100,000-row list against a base of millions stays a few queries per chunk.
    """
    keys = list(keys)
    emails = {email for k in keys for email in k.emails}
    phones = {phone for k in keys for phone in k.phones}
    names_born = {(*k.full_name, k.birth_date) for k in keys if k.full_name and k.birth_date}
    birth_dates = {born for *_, born in names_born}
    index = MatchIndex()
    people = Person.objects.filter(organization_id=organization_id, merged_into__isnull=True)
    for chunk in _chunks(sorted(emails)):
        for address, person_id in EmailAddress.objects.filter(
            organization_id=organization_id, address__among=chunk, person__merged_into__isnull=True
        ).values_list("address", "person_id"):
            index.by_email.setdefault(address, person_id)
    for chunk in _chunks(sorted(phones)):
        for e164, person_id, given, family in PhoneNumber.objects.filter(
            organization_id=organization_id, e164__among=chunk, person__merged_into__isnull=True
        ).values_list("e164", "person_id", "person__given_key", "person__family_key"):
            index.by_phone_name.setdefault((e164, given, family), person_id)
    # Birth dates are far more selective than family names: ask by date, keep exact matches.
    for chunk in _chunks(sorted(birth_dates)):
        for person_id, given, family, born in people.filter(birth_date__among=chunk).values_list(
            "id", "given_key", "family_key", "birth_date"
        ):
            if (given, family, born) in names_born:
                index.by_name_birth.setdefault((given, family, born), person_id)
    return index


def keys_for(
    *,
    given: str,
    family: str,
    birth_date: date | None,
    emails: Iterable[str],
    phones: Iterable[str],
) -> MatchKeys:
    return MatchKeys(
        emails=tuple(emails),
        phones=tuple(phones),
        given_key=name_key(given),
        family_key=name_key(family),
        birth_date=birth_date,
    )


def _chunks(values: list):
    return in_chunks(values)
