"""The one rule for what an actor may see of a person, fact by fact.

Every fact about a person was provided by someone: an affiliate (its `Source` names the
affiliate: a roster import, a lead typing it in) or the IPO itself (a source without an
affiliate: staff, a public sign-up, the door at an action). The provider's sharing terms and
the person's own affiliations decide who may see the fact, in every rendering: the person
page, its history, the audit log, exports, search, the voter-file link and field lists.

    seen = visibility.of_person(actor, person)     # person with memberships prefetched
    seen.shows_contact(email)                      # an EmailAddress, PhoneNumber, PostalAddress
    seen.shows_membership(membership)
    seen.shows_note(note)
    seen.shows_change_value(change)                # a PersonChange line's values
    seen.home_address                              # the voter file's "Registered at"
    EmailAddress.objects.filter(visibility.contact_facts_filter(actor))   # for search

The rule, for contact facts (emails, phones, postal addresses):

- The IPO's staff (every role not scoped to affiliates) see a fact an affiliate provided only
  when that affiliate shares contact details. A fact the IPO collected itself is shown when
  the person is a direct member or one of their affiliates shares contact details.
- An affiliate lead sees the facts their own affiliates provided, never another affiliate's,
  even for a member both share. A fact the IPO collected is shown unless the person also
  belongs to another affiliate that withholds contact details.

Memberships: staff see all of them; a lead sees only memberships of their own affiliates (a
membership of a worker center can itself be the sensitive fact). Notes: staff see every note
that is not sensitive; a lead sees notes their affiliates provided. Sensitive notes and
demographics need a role allowed sensitive fields, and demographics the person's affiliates'
consent (or direct membership).
"""

from dataclasses import dataclass

from django.db import models

from powerbase.coalition.models import AffiliateMembership
from powerbase.core.access import Actor

CONTACT_CHANGE_FIELDS = frozenset({"email", "phone", "address"})
NOTE_CHANGE_FIELDS = frozenset({"note"})


@dataclass(frozen=True)
class PersonVisibility:
    """What one actor may see of one person. Names and districts are always shown."""

    actor: Actor
    own_affiliates: frozenset[int]
    sharing_affiliates: frozenset[int]
    member_of: frozenset[int]
    ipo_contact: bool
    demographics: bool
    sensitive_notes: bool
    visible_affiliate_names: frozenset[str]

    @property
    def contact(self) -> bool:
        """Whether the IPO's own contact facts (and so some contact section) are shown."""
        return self.ipo_contact

    @property
    def home_address(self) -> bool:
        """Whether the voter file's address may be shown beside this person.

        The voter file is the IPO's own data, but beside a member whose affiliate withholds
        their address it would say where they live: it follows the IPO-fact rule.
        """
        return self.ipo_contact

    def shows_provided_by(self, affiliate_id: int | None) -> bool:
        """Whether a contact fact provided by *affiliate_id* (None: the IPO) is shown."""
        if affiliate_id is None:
            return self.ipo_contact
        if self.actor.is_affiliate_scoped:
            return affiliate_id in self.own_affiliates
        return affiliate_id in self.sharing_affiliates

    def shows_contact(self, fact) -> bool:
        return self.shows_provided_by(fact.source.affiliate_id)

    def shows_membership(self, membership: AffiliateMembership) -> bool:
        return not self.actor.is_affiliate_scoped or membership.affiliate_id in self.own_affiliates

    def shows_note(self, note) -> bool:
        if note.is_sensitive and not self.sensitive_notes:
            return False
        if not self.actor.is_affiliate_scoped:
            return True
        user = self.actor.user
        return note.source.affiliate_id in self.own_affiliates or (
            user is not None and note.author_id == user.pk
        )

    def shows_source(self, source) -> bool:
        """Whether a source's label ("Day Laborers roster") may be named: it names an affiliate."""
        return (
            not self.actor.is_affiliate_scoped
            or source.affiliate_id is None
            or source.affiliate_id in self.own_affiliates
        )

    def shows_change(self, change) -> bool:
        """Whether a history line appears at all (a membership line is itself the fact)."""
        if change.field == "affiliate":
            return change.new_value in self.visible_affiliate_names or (
                change.old_value in self.visible_affiliate_names
            )
        return True

    def shows_change_value(self, change) -> bool:
        """Whether a history line may show its old and new values."""
        from powerbase.people.models import Person

        if change.field in CONTACT_CHANGE_FIELDS:
            return self.shows_provided_by(change.source.affiliate_id)
        if change.field in Person.SENSITIVE_FIELDS:
            return self.demographics
        if change.field in NOTE_CHANGE_FIELDS and self.actor.is_affiliate_scoped:
            return change.source.affiliate_id in self.own_affiliates
        return True


def of_person(actor: Actor, person, *, memberships: list | None = None) -> PersonVisibility:
    """Decide what *actor* may see of *person*, already looked up through `access`.

    Expects the person's memberships prefetched with their affiliates (`people.queries`
    does), or all of them given as *memberships* (an export reads them a batch at a time);
    facts need their `source` loaded to be tested.
    """
    if memberships is None:
        memberships = list(person.affiliate_memberships.all())
    member_of = frozenset(m.affiliate_id for m in memberships)
    sharing = frozenset(m.affiliate_id for m in memberships if m.affiliate.share_contact)
    own = frozenset(actor.affiliate_ids) if actor.is_affiliate_scoped else frozenset()
    sensitive_role = actor.can("people.view_sensitive")
    if actor.is_affiliate_scoped:
        ipo_contact = not (member_of - own - sharing)
        names = frozenset(m.affiliate.name for m in memberships if m.affiliate_id in own)
        demographics = False
    else:
        ipo_contact = person.is_direct_member or bool(sharing)
        names = frozenset(m.affiliate.name for m in memberships)
        demographics = sensitive_role and (
            person.is_direct_member or any(m.affiliate.share_demographics for m in memberships)
        )
    return PersonVisibility(
        actor=actor,
        own_affiliates=own,
        sharing_affiliates=sharing,
        member_of=member_of,
        ipo_contact=ipo_contact,
        demographics=demographics,
        sensitive_notes=sensitive_role,
        visible_affiliate_names=names,
    )


def contact_visible_filter(actor: Actor) -> models.Q:
    """Return a filter on Person keeping those whose IPO-held contact details *actor* may see
    (`access.contact_visible_filter` asks this): direct members, and members of an affiliate
    that shares contact details. An affiliate lead's reach is already narrowed by scoping."""
    if actor.is_affiliate_scoped:
        return models.Q()
    shared = AffiliateMembership.objects.filter(
        person=models.OuterRef("pk"), affiliate__share_contact=True
    )
    return models.Q(is_direct_member=True) | models.Q(models.Exists(shared))


def contact_facts_filter(actor: Actor, prefix: str = "") -> models.Q:
    """Return the condition "this contact fact is shown to *actor*", for a fact queryset.

    The same rule as `PersonVisibility.shows_contact`, written for the database so a search by
    email or phone finds only people through facts the searcher may see. *prefix* reaches the
    fact from another model ("emails__").
    """
    person = f"{prefix}person"
    provider = f"{prefix}source__affiliate"
    memberships = AffiliateMembership.objects.filter(person=models.OuterRef(person))
    if actor.is_affiliate_scoped:
        own = list(actor.affiliate_ids)
        withheld_elsewhere = memberships.exclude(affiliate_id__in=own).filter(
            affiliate__share_contact=False
        )
        return models.Q(**{f"{provider}__in": own}) | (
            models.Q(**{f"{provider}__isnull": True}) & models.Q(~models.Exists(withheld_elsewhere))
        )
    shared = memberships.filter(affiliate__share_contact=True)
    return models.Q(**{f"{provider}__share_contact": True}) | (
        models.Q(**{f"{provider}__isnull": True})
        & (models.Q(**{f"{person}__is_direct_member": True}) | models.Q(models.Exists(shared)))
    )


def withheld_contact_people(actor: Actor, person_ids) -> set[int]:
    """Return those of *person_ids* whose IPO-held contact details *actor* may not see.

    For lists drawn from the voter file (walk and phone lists): a voter who is a member whose
    affiliate withholds contact details keeps their name on the list, not their phone.
    """
    from powerbase.people.models import Person

    ids = [pk for pk in person_ids if pk]
    if not ids:
        return set()
    people = Person.objects.filter(organization=actor.organization, pk__in=ids).prefetch_related(
        models.Prefetch(
            "affiliate_memberships",
            queryset=AffiliateMembership.objects.select_related("affiliate"),
        )
    )
    return {p.pk for p in people if not of_person(actor, p).home_address}
