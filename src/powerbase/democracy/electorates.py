"""Turn an electorate's rule into the people (or affiliates) entitled to vote, and count quorum.

**Good standing.** A person is a member in good standing when their record is not merged
away, their status is active (or "do not contact", which limits how we reach them, not their
rights), and they are either a direct member of the IPO or hold an active membership of an
affiliate whose status is "member" (not an ally or a prospect). Lapsed and former
memberships, inactive and deceased people do not count.

Each kind of electorate gives entries of (person, affiliate, weight, basis):

    members            every member in good standing, weight 1; the affiliate is the first
                       (by name) member affiliate they are active in, if any
    affiliate_members  members in good standing active in one of the chosen affiliates
    delegates          the delegates (not alternates) appointed by member affiliates, or the
                       chosen ones; an alternate votes by holding a delegate's proxy
    governing_body     the holders of the body's seats
    affiliate_blocs    one entry per member affiliate (or chosen one) weighted by its BlocWeight,
                       cast by the affiliate's first delegate or with a printed code

**Affiliates in arrears.** An affiliate whose dues are not in good standing (the money app's
rule, `money.queries.not_in_good_standing`, which also knows the recorded waivers) loses the
rights that come through it as an organization: its delegates' votes, its reserved seats'
votes and its bloc weight. Its members keep their own votes as members. `suspensions` says
which and why, for the pages that show an electorate or an assembly.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core.exceptions import InvalidInput
from powerbase.democracy.models import (
    Assembly,
    AssemblyAttendance,
    Delegate,
    Electorate,
    Eligibility,
    Proxy,
)
from powerbase.money import queries as money
from powerbase.people.models import Person

GOOD_STANDING_STATUSES = (Person.Status.ACTIVE, Person.Status.DO_NOT_CONTACT)


@dataclass(frozen=True)
class Entry:
    """One voting right before it is frozen into an Eligibility row."""

    person_id: int | None
    affiliate_id: int | None
    weight: Decimal
    basis: str
    holder_id: int | None = None

    @property
    def casts(self) -> int | None:
        """Return who casts this right: the holder if someone else holds it, else the person."""
        return self.holder_id or self.person_id


def active_memberships(organization) -> QuerySet[AffiliateMembership]:
    """Return the memberships that put a person in good standing."""
    # The member affiliates as a list of ids rather than a join: the memberships are then
    # found in one index (`membership_good_standing`) without reading either table.
    member_affiliates = Affiliate.objects.filter(
        organization=organization, status=Affiliate.Status.MEMBER
    ).values("id")
    return AffiliateMembership.objects.filter(
        organization=organization,
        status=AffiliateMembership.Status.ACTIVE,
        affiliate_id__in=member_affiliates,
    )


def members_in_good_standing(organization) -> QuerySet[Person]:
    """Return the people of *organization* in good standing (see the module docstring)."""
    in_an_affiliate = active_memberships(organization).values("person_id")
    return Person.objects.filter(
        organization=organization,
        merged_into__isnull=True,
        status__in=GOOD_STANDING_STATUSES,
    ).filter(Q(is_direct_member=True) | Q(id__in=in_an_affiliate))


def entries(electorate: Electorate) -> list[Entry]:
    """Return every voting right *electorate*'s rule gives today, in a stable order."""
    kept, _suspended = _rights(electorate)
    return kept


# Members' own votes: never suspended, one per person, and tens of thousands of them.
PERSONAL_KINDS = (Electorate.Kind.MEMBERS, Electorate.Kind.AFFILIATE_MEMBERS)


def size(electorate: Electorate) -> int:
    """Return how many rights the rule gives today: `len(entries(electorate))`, counted in the
    database for the members' electorates rather than built one right at a time (an
    electorate of every member is the whole base)."""
    if electorate.kind == Electorate.Kind.MEMBERS:
        return members_in_good_standing(electorate.organization).count()
    if electorate.kind == Electorate.Kind.AFFILIATE_MEMBERS:
        in_chosen = active_memberships(electorate.organization).filter(
            affiliate_id__in=_chosen_affiliate_ids(electorate)
        )
        return (
            members_in_good_standing(electorate.organization)
            .filter(id__in=in_chosen.values("person_id"))
            .count()
        )
    return len(entries(electorate))


def entries_among(electorate: Electorate, person_ids: set[int]) -> list[Entry]:
    """Return the rights of `entries(electorate)` a quorum count can find present among
    *person_ids*: for the members' electorates only theirs, for the others every right (an
    affiliate's bloc is present through its people, and those electorates are small)."""
    if electorate.kind not in PERSONAL_KINDS:
        return entries(electorate)
    builder = _members if electorate.kind == Electorate.Kind.MEMBERS else _affiliate_members
    return builder(electorate, among=person_ids)


@dataclass(frozen=True)
class Suspension:
    """Voting rights an affiliate loses in an electorate because it is not in good standing."""

    affiliate_id: int
    affiliate_name: str
    rights: int
    weight: Decimal
    reason: str


# The rights an affiliate holds as an organization; a member's own vote is never suspended.
THROUGH_THE_AFFILIATE = (
    Eligibility.Basis.DELEGATE,
    Eligibility.Basis.SEAT,
    Eligibility.Basis.BLOC,
)


def suspensions(electorate: Electorate) -> list[Suspension]:
    """Return the affiliates whose rights in *electorate* do not count today, and why."""
    if electorate.kind in PERSONAL_KINDS:
        return []  # a member's own vote is never suspended
    _kept, suspended, reasons = _rights_and_reasons(electorate)
    return _suspensions(suspended, reasons)


def size_and_suspensions(electorate: Electorate) -> tuple[int, list[Suspension]]:
    """Return `size(electorate)` and `suspensions(electorate)` from one build of the rights
    (an electorate's page shows both; each builds them and reads the dues standing)."""
    if electorate.kind in PERSONAL_KINDS:
        return size(electorate), []
    kept, suspended, reasons = _rights_and_reasons(electorate)
    return len(kept), _suspensions(suspended, reasons)


def _suspensions(suspended: list[Entry], reasons: dict[int, str]) -> list[Suspension]:
    if not suspended:
        return []
    names = dict(
        Affiliate.objects.filter(id__in={e.affiliate_id for e in suspended}).values_list(
            "id", "name"
        )
    )
    found: dict[int, Suspension] = {}
    for entry in suspended:
        affiliate_id = entry.affiliate_id or 0
        before = found.get(affiliate_id)
        found[affiliate_id] = Suspension(
            affiliate_id,
            names[affiliate_id],
            (before.rights if before else 0) + 1,
            (before.weight if before else Decimal(0)) + entry.weight,
            reasons[affiliate_id],
        )
    return sorted(found.values(), key=lambda s: s.affiliate_name)


def _rights(electorate: Electorate) -> tuple[list[Entry], list[Entry]]:
    """Return the rights that count and those suspended for their affiliate's dues."""
    kept, suspended, _reasons = _rights_and_reasons(electorate)
    return kept, suspended


def _rights_and_reasons(electorate: Electorate) -> tuple[list[Entry], list[Entry], dict[int, str]]:
    """Return `_rights(electorate)` and, by affiliate id, why each affiliate not in good
    standing is not (empty when no right comes through an affiliate)."""
    builders: dict[str, Callable[[Electorate], list[Entry]]] = {
        Electorate.Kind.MEMBERS: _members,
        Electorate.Kind.AFFILIATE_MEMBERS: _affiliate_members,
        Electorate.Kind.DELEGATES: _delegates,
        Electorate.Kind.GOVERNING_BODY: _seat_holders,
        Electorate.Kind.AFFILIATE_BLOCS: _blocs,
    }
    built = builders[electorate.kind](electorate)
    if not any(entry.basis in THROUGH_THE_AFFILIATE and entry.affiliate_id for entry in built):
        return built, [], {}
    lapsed = money.not_in_good_standing(electorate.organization)
    kept, suspended = [], []
    for entry in built:
        through = entry.basis in THROUGH_THE_AFFILIATE and entry.affiliate_id in lapsed
        (suspended if through else kept).append(entry)
    return kept, suspended, lapsed


def chosen_affiliates(electorate: Electorate) -> QuerySet[Affiliate]:
    """Return the affiliates the rule names, or every member affiliate when it names none."""
    chosen = electorate.affiliates.all()
    if chosen.exists():
        return chosen
    return Affiliate.objects.filter(
        organization=electorate.organization, status=Affiliate.Status.MEMBER
    )


def _first_affiliates(organization, affiliate_ids=None, among=None) -> dict[int, int]:
    """Return person id (of *among* when given) -> the first affiliate (by name) they are
    active in (of *affiliate_ids* when given)."""
    memberships = active_memberships(organization)
    if affiliate_ids is not None:
        memberships = memberships.filter(affiliate_id__in=affiliate_ids)
    if among is not None:
        memberships = memberships.filter(person_id__in=among)
    first: dict[int, int] = {}
    for person_id, affiliate_id in memberships.order_by(
        "affiliate__name", "affiliate_id"
    ).values_list("person_id", "affiliate_id"):
        first.setdefault(person_id, affiliate_id)
    return first


def _members(electorate: Electorate, among: set[int] | None = None) -> list[Entry]:
    """Every member in good standing (of *among* when given)."""
    first = _first_affiliates(electorate.organization, among=among)
    people = members_in_good_standing(electorate.organization).order_by("id")
    if among is not None:
        people = people.filter(id__in=among)
    return [
        Entry(person_id, first.get(person_id), Decimal(1), Eligibility.Basis.MEMBER)
        for person_id in people.values_list("id", flat=True)
    ]


def _affiliate_members(electorate: Electorate, among: set[int] | None = None) -> list[Entry]:
    """The members in good standing of the chosen affiliates (of *among* when given)."""
    first = _first_affiliates(
        electorate.organization, _chosen_affiliate_ids(electorate), among=among
    )
    people = members_in_good_standing(electorate.organization).filter(id__in=list(first))
    return [
        Entry(person_id, first[person_id], Decimal(1), Eligibility.Basis.MEMBER)
        for person_id in people.order_by("id").values_list("id", flat=True)
    ]


def _chosen_affiliate_ids(electorate: Electorate) -> list[int]:
    affiliate_ids = list(electorate.affiliates.values_list("id", flat=True))
    if not affiliate_ids:
        raise InvalidInput(
            f"The electorate '{electorate}' is members of chosen affiliates but "
            "names no affiliate; choose at least one."
        )
    return affiliate_ids


def _delegates(electorate: Electorate) -> list[Entry]:
    delegates = _unmerged(
        Delegate.objects.filter(
            affiliate__in=chosen_affiliates(electorate), role=Delegate.Role.DELEGATE
        )
    ).order_by("affiliate__name", "order", "id")
    found: dict[int, Entry] = {}
    for person_id, affiliate_id in delegates.values_list("person_id", "affiliate_id"):
        # A person appointed by two affiliates still has one vote.
        found.setdefault(
            person_id, Entry(person_id, affiliate_id, Decimal(1), Eligibility.Basis.DELEGATE)
        )
    return list(found.values())


def _unmerged(delegates: QuerySet[Delegate]) -> QuerySet[Delegate]:
    """Leave out the delegates whose person record was merged into another.

    Written as "not merged" rather than `person__merged_into__isnull=True`: SQLite, which
    keeps no statistics here, took `merged_into_id IS NULL` for a selective lookup and read
    every unmerged person through that index to find a hundred delegates (470 ms on the full
    demo, against 2 ms starting from the delegates).
    """
    return delegates.exclude(person__merged_into__isnull=False)


def _seat_holders(electorate: Electorate) -> list[Entry]:
    body = electorate.governing_body
    if body is None:
        raise InvalidInput(
            f"The electorate '{electorate}' is a governing body but names none; choose the body."
        )
    found: dict[int, Entry] = {}
    for person_id, affiliate_id in (
        body.seats.filter(holder__isnull=False)
        .order_by("order", "id")
        .values_list("holder_id", "affiliate_id")
    ):
        found.setdefault(
            person_id, Entry(person_id, affiliate_id, Decimal(1), Eligibility.Basis.SEAT)
        )
    return list(found.values())


def _blocs(electorate: Electorate) -> list[Entry]:
    affiliates = list(chosen_affiliates(electorate).order_by("name", "id"))
    weights = {w.affiliate_id: w.weight for w in electorate.weights.all()}
    missing = [a.name for a in affiliates if a.pk not in weights]
    if missing:
        raise InvalidInput(
            f"The weighted electorate '{electorate}' has no weight for "
            f"{', '.join(missing)}; set a weight for every affiliate (0 to leave "
            "one out)."
        )
    first_delegates = _first_delegates([a.pk for a in affiliates])
    return [
        Entry(
            None, a.pk, weights[a.pk], Eligibility.Basis.BLOC, holder_id=first_delegates.get(a.pk)
        )
        for a in affiliates
        if weights[a.pk] > 0
    ]


def _first_delegates(affiliate_ids: list[int]) -> dict[int, int]:
    first: dict[int, int] = {}
    for affiliate_id, person_id in (
        _unmerged(
            Delegate.objects.filter(affiliate_id__in=affiliate_ids, role=Delegate.Role.DELEGATE)
        )
        .order_by("order", "id")
        .values_list("affiliate_id", "person_id")
    ):
        first.setdefault(affiliate_id, person_id)
    return first


def member_counts(electorate: Electorate) -> dict[int, int]:
    """Return affiliate id -> its members in good standing, to suggest bloc weights."""
    counts: dict[int, int] = {}
    good = members_in_good_standing(electorate.organization).values("id")
    for affiliate_id in (
        active_memberships(electorate.organization)
        .filter(person_id__in=good)
        .values_list("affiliate_id", flat=True)
    ):
        counts[affiliate_id] = counts.get(affiliate_id, 0) + 1
    return counts


# Quorum ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    """Whether an assembly has quorum now, with the figures that decide it."""

    electorate_size: int
    present: int
    required: int
    affiliates_present: int
    affiliates_required: int

    @property
    def met(self) -> bool:
        return self.present >= self.required and self.affiliates_present >= self.affiliates_required

    def sentence(self) -> str:
        """Return e.g. 'Quorum: 30 of 52 present, 26 needed; 4 affiliates, 3 needed. Met.'"""
        text = f"{self.present} of {self.electorate_size} present, {self.required} needed"
        if self.affiliates_required:
            text += (
                f"; {self.affiliates_present} affiliates represented, "
                f"{self.affiliates_required} needed"
            )
        return f"Quorum: {text}. {'Met' if self.met else 'Not met'}."

    def as_record(self) -> dict:
        return {
            "electorate_size": self.electorate_size,
            "present": self.present,
            "required": self.required,
            "affiliates_present": self.affiliates_present,
            "affiliates_required": self.affiliates_required,
            "met": self.met,
            "sentence": self.sentence(),
        }


@dataclass(frozen=True)
class RosterLine:
    """Someone entitled to take part in an assembly, and in what capacity."""

    person_id: int
    affiliate_id: int | None
    role: str

    def describe(self, affiliates: dict[int, str]) -> str:
        """Return e.g. 'Tenant Union, delegate'."""
        affiliate = affiliates.get(self.affiliate_id) if self.affiliate_id else None
        return f"{affiliate}, {self.role}" if affiliate else self.role


def assembly_roster(assembly: Assembly) -> dict[int, RosterLine]:
    """Return person id -> why they may take part in *assembly*: their right in its electorate
    (member, delegate, seat), as an alternate or bloc delegate of an affiliate in it, or as the
    holder of a proxy for one of its votes. Anyone else attends as a guest."""
    roster: dict[int, RosterLine] = {}
    for entry in entries(assembly.electorate):
        if entry.person_id is not None:
            roster[entry.person_id] = RosterLine(
                entry.person_id, entry.affiliate_id, _role(entry, assembly)
            )
    kind = assembly.electorate.kind
    if kind in (Electorate.Kind.DELEGATES, Electorate.Kind.AFFILIATE_BLOCS):
        appointed = _unmerged(
            Delegate.objects.filter(affiliate__in=chosen_affiliates(assembly.electorate))
        ).order_by("role", "order", "id")
        lapsed = {s.affiliate_id for s in suspensions(assembly.electorate)}
        for delegate in appointed:
            role = delegate.get_role_display().lower()
            if delegate.affiliate_id in lapsed:
                role += ", no vote: dues in arrears"
            roster.setdefault(
                delegate.person_id, RosterLine(delegate.person_id, delegate.affiliate_id, role)
            )
    for proxy in Proxy.objects.filter(vote__assembly=assembly).select_related("grantor"):
        roster.setdefault(
            proxy.holder_id, RosterLine(proxy.holder_id, None, f"holds {proxy.grantor}'s proxy")
        )
    return roster


def _role(entry: Entry, assembly: Assembly) -> str:
    if entry.basis == Eligibility.Basis.SEAT:
        body = assembly.electorate.governing_body
        assert body is not None, "seat rights come only from a governing body's electorate"
        title = body.seats.filter(holder_id=entry.person_id).values_list("title", flat=True)
        return f"{body}: {title.first()}"
    return Eligibility.Basis(entry.basis).label.lower()


def present_people(assembly: Assembly) -> set[int]:
    """Return who has checked in at *assembly* other than as a guest."""
    return set(
        AssemblyAttendance.objects.filter(assembly=assembly, guest=False).values_list(
            "person_id", flat=True
        )
    )


def quorum(assembly: Assembly) -> Quorum:
    """Count who of *assembly*'s electorate is present against its quorum rule.

    This is the one definition of quorum: the assembly page, the vote page and opening a vote
    all call it. A person entry is present when the person has checked in (guests never count;
    a proxy holder's presence does not make the absent grantor present); an affiliate's bloc is
    present when one of its delegates or active members has. The affiliates represented are those of
    present entries and the member affiliates of everyone present from the electorate.
    """
    attending = present_people(assembly)
    # Only the rights of people who came can be present: the members' electorates are read
    # for them alone, not for the whole base, and counted in the database.
    rights = entries_among(assembly.electorate, attending)
    size_of_electorate = (
        size(assembly.electorate) if assembly.electorate.kind in PERSONAL_KINDS else len(rights)
    )
    present = [entry for entry in rights if _is_present(entry, attending, assembly)]
    affiliates = {entry.affiliate_id for entry in present if entry.affiliate_id}
    people_present = [entry.person_id for entry in present if entry.person_id]
    affiliates |= set(
        active_memberships(assembly.organization)
        .filter(person_id__in=people_present)
        .values_list("affiliate_id", flat=True)
    )
    return Quorum(
        electorate_size=size_of_electorate,
        present=len(present),
        required=_required(assembly, size_of_electorate),
        affiliates_present=len(affiliates),
        affiliates_required=assembly.quorum_min_affiliates or 0,
    )


def _is_present(entry: Entry, attending: set[int], assembly: Assembly) -> bool:
    if entry.person_id is not None:
        return entry.person_id in attending
    assert entry.affiliate_id is not None, "an entry is a person's right or an affiliate's bloc"
    delegates = Delegate.objects.filter(affiliate_id=entry.affiliate_id, person_id__in=attending)
    members = active_memberships(assembly.organization).filter(
        affiliate_id=entry.affiliate_id, person_id__in=attending
    )
    return delegates.exists() or members.exists()


def _required(assembly: Assembly, size: int) -> int:
    by_count = assembly.quorum_count or 0
    by_share = 0
    if assembly.quorum_percent is not None:
        by_share = math.ceil(Decimal(size) * assembly.quorum_percent / 100)
    return max(by_count, by_share)
