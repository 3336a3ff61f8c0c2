"""The base, its members and leaders, and the districts they live in: defined once, here.

Every page that counts the base reads these (the power map and its district pages, the
legislature's official and whip pages, the ladder's funnel, the structure-test report,
universes, the voter file's district page), so one district has one number everywhere.
docs/base.md says the same for people.

- **The base**: the organization's people, except records merged into another and people
  who have died. Inactive and do-not-contact people are still in it: those statuses decide
  who is contacted, not who is counted.
- **A member** of the base: a direct member, or someone with an active affiliate membership.
- **A leader**: someone on the ladder's leader rung or above. The leader rung is the rung
  named "Leader", else the third rung from the bottom.
- **Placed in a district**: someone linked (identity.VoterLink) to a registration in the
  voter file in use is placed in that registration's district, whatever its status. Someone
  with no link is placed where their primary postal address matches a registration's street
  address and five-digit ZIP (the address places them, whoever is registered there). Anyone
  else is not placed yet ("District not known yet").

Figures without names (counts per district) are of the whole organization; lists of people
go through `access` as always.
"""

import hashlib
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from threading import Lock
from typing import Any

from django.db.models import QuerySet

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.models import Organization
from powerbase.people.models import Person

PLACEMENT_RULE = (
    "placed by their link to a registration in the voter file, else by their "
    "primary address matching a registration's address and ZIP"
)
DEFINITION = (
    "The base is everyone on our lists except merged records and people who have "
    "died; a leader is someone on the ladder's Leader rung or above; people are "
    f"{PLACEMENT_RULE}."
)


def people(organization: Organization, actor: Actor | None = None) -> QuerySet[Person]:
    """Return the base: of the whole *organization*, or as far as *actor* may see people."""
    found = Person.objects.unmerged().exclude(status=Person.Status.DECEASED)
    if actor is not None:
        return access.scoped(actor, found)
    return found.filter(organization=organization)


def leader_rank(organization: Organization) -> int:
    """Return the rank of the leader rung: the rung named "Leader", else the third rung."""
    from powerbase.actions import ladder

    rungs = ladder.levels(organization)
    named = [rung.rank for rung in rungs if rung.name.strip().lower() == "leader"]
    if named:
        return named[0]
    return rungs[min(2, len(rungs) - 1)].rank if rungs else 2


def leader_ids(organization: Organization) -> set[int]:
    """Return the ids of the organization's leaders (on the leader rung or above)."""
    from powerbase.actions.models import LadderStanding

    return set(
        LadderStanding.objects.filter(
            organization=organization,
            level__rank__gte=leader_rank(organization),
            person__in=people(organization),
        ).values_list("person_id", flat=True)
    )


def member_ids(organization: Organization) -> set[int]:
    """Return the ids of the base's members: direct, or through an active affiliate
    membership."""
    from powerbase.coalition.models import AffiliateMembership

    base = people(organization)
    direct = set(base.filter(is_direct_member=True).values_list("id", flat=True))
    through_affiliates = set(
        AffiliateMembership.objects.filter(
            organization=organization, status=AffiliateMembership.Status.ACTIVE, person__in=base
        ).values_list("person_id", flat=True)
    )
    return direct | through_affiliates


def voter_links(base: QuerySet[Person]) -> dict[int, str]:
    """Return {person id: voter id} for the people of *base* linked to a registration."""
    from powerbase.identity.models import VoterLink

    # The links whose person is in *base*: half the time of joining every person to a link.
    return dict(VoterLink.objects.filter(person__in=base).values_list("person_id", "voter_id"))


def placements(
    organization: Organization, kind: str, *, base: QuerySet[Person] | None = None, version=None
) -> dict[int, str]:
    """Return {person id: district code of *kind*} for the base (or *base*, a narrower set of
    it) as the module docstring places them, in the voter file in use (or *version*).

    Empty when the organization has no voter file yet.
    """
    from powerbase.voterfile import queries as voterfile

    version = version or voterfile.version_in_use(organization)
    if version is None:
        return {}
    if base is None:
        return _whole_base_placements(organization, kind, version)
    return _place(organization, kind, base, version)


# A fingerprint misses a change that leaves every count, highest id and latest change as they
# were (one person leaves the base as another joins, in the same instant): an hour bounds it.
PLACEMENT_CACHE_SECONDS = 3600


def _whole_base_placements(organization: Organization, kind: str, version) -> dict[int, str]:
    """Place the whole base, kept (see `kept_of_kinds`) until the base, a link or an address
    changes.

    Placing reads every voter link and address and joins them in DuckDB (0.3-0.5 s on the
    demo); the whip board, an official's page, every saved stance, the power map and a
    district's pages need it.
    """
    return placements_of_kinds(organization, [kind], version)[kind]


def placements_of_kinds(
    organization: Organization, kinds: list[str], version, *, keep_here: bool = True
) -> dict[str, dict[int, str]]:
    """Return {kind: `placements` of the whole base} for *kinds*, kept as `kept_of_kinds`:
    placing the base in one kind of district places it in every kind the version has."""
    return kept_of_kinds(
        organization,
        "placements",
        kinds,
        version,
        lambda every_kind: _place_kinds(organization, every_kind, people(organization), version),
        keep_here=keep_here,
    )


# Figures of the whole base kept in this process too: reading a placing of 49,000 people
# back from the database cache (and unpickling it) took longer than the page around it.
_KEPT: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_KEPT_LOCK = Lock()
_KEPT_IN_PROCESS = 32


def kept(organization: Organization, name: str, compute: Callable[[], Any]) -> Any:
    """Return `compute()`, a figure of the whole base named *name*, computed again only after
    the base changed.

    Kept in the cache (every process) and in this process, under `fingerprint`: any import,
    link, merge, status change, new address, membership change or ladder move changes the key,
    so a page shows the change at once. What it returns is shared: callers must not change it.
    """
    from django.core.cache import cache

    key = _kept_key(organization, name, _fingerprint_now(organization))
    value = _kept_here(key)
    if value is None:
        value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=PLACEMENT_CACHE_SECONDS)
    _keep_here(key, value)
    return value


def kept_of_kinds(
    organization: Organization,
    name: str,
    kinds: list[str],
    version,
    compute: Callable[[list[str]], dict[str, Any]],
    *,
    keep_here: bool = True,
) -> dict[str, Any]:
    """Return {kind: a `kept` figure of the whole base in *kinds* of district of *version*}.

    What is not kept yet is computed by `compute(kinds)` ({kind: figure}) for every kind of
    district the version has at once, and each kind is kept under its own name
    ("{name}:{kind}:{version id}"): most of the work (reading the base, its links and
    addresses, the voter file) is the same for every kind, and the first page of each kind
    after a change of the base paid it again (0.5-0.7 s on the full demo). *keep_here*
    False keeps them in the cache only, not in this process (for a figure computed from
    them).
    """
    from django.core.cache import cache

    from powerbase.voterfile import queries as voterfile

    taken = _fingerprint_now(organization)

    def key_of(kind: str) -> str:
        return _kept_key(organization, f"{name}:{kind}:{version.pk}", taken)

    keys = {kind: key_of(kind) for kind in kinds}
    found = {kind: value for kind in kinds if (value := _kept_here(keys[kind])) is not None}
    if len(found) < len(keys):
        stored = cache.get_many([keys[kind] for kind in kinds if kind not in found])
        found |= {kind: stored[keys[kind]] for kind in kinds if keys[kind] in stored}
    missing = [kind for kind in kinds if kind not in found]
    if missing:
        every_kind = [*missing, *(k for k in voterfile.district_kinds(version) if k not in missing)]
        computed = compute(every_kind)
        cache.set_many(
            {key_of(kind): computed[kind] for kind in every_kind}, timeout=PLACEMENT_CACHE_SECONDS
        )
        found |= {kind: computed[kind] for kind in missing}
    if keep_here:
        for kind in kinds:
            _keep_here(keys[kind], found[kind])
    return found


def _kept_key(organization: Organization, name: str, fingerprint: str) -> str:
    return f"identity:{name}:{organization.pk}:{fingerprint}"


def _kept_here(key: str) -> Any:
    """Return what this process keeps under *key*, or None."""
    with _KEPT_LOCK:
        found = _KEPT.get(key)
        if found is None:
            return None
        if time.monotonic() - found[0] >= PLACEMENT_CACHE_SECONDS:
            del _KEPT[key]  # as long as the cache keeps it, no longer: see PLACEMENT_CACHE_SECONDS
            return None
    return found[1]


def _keep_here(key: str, value: Any) -> None:
    with _KEPT_LOCK:
        if key not in _KEPT:
            _KEPT[key] = (time.monotonic(), value)
        _KEPT.move_to_end(key)
        while len(_KEPT) > _KEPT_IN_PROCESS:
            _KEPT.popitem(last=False)


def forget_kept() -> None:
    """Drop what this process keeps (tests: a rolled-back test's ids come back in the next)."""
    with _KEPT_LOCK:
        _KEPT.clear()


# The fingerprints taken inside `one_fingerprint` blocks of this thread (or task): {org id: it}.
_TAKEN: ContextVar[dict[int, str] | None] = ContextVar("base_fingerprints", default=None)


@contextmanager
def one_fingerprint() -> Iterator[None]:
    """Take the base's fingerprint once for every `kept` figure read inside the block.

    For a page that reads several kept figures and writes nothing in between (a power-map
    district reads the map's count and the placing): the fingerprint reads every person,
    link, address, membership and ladder move of the organization (a quarter of a second
    on the full demo on SQLite), and it cannot change between reads that write nothing.
    """
    if _TAKEN.get() is not None:
        yield  # inside a page's block already: one fingerprint for both
        return
    token = _TAKEN.set({})
    try:
        yield
    finally:
        _TAKEN.reset(token)


# What the fingerprint reads (`fingerprint_sources`, `leader_rank`): a save or delete of one of
# these inside a `one_fingerprint` block takes the fingerprint afresh at the next read.
FINGERPRINTED_MODELS = frozenset(
    {
        "people.person",
        "identity.voterlink",
        "people.postaladdress",
        "coalition.affiliatemembership",
        "actions.laddermove",
        "actions.ladderlevel",
    }
)


def forget_taken_fingerprint(sender, instance, **kwargs) -> None:
    """A post_save/post_delete receiver (identity.apps): drop the fingerprint taken in this
    block for the organization of a row the fingerprint reads."""
    taken = _TAKEN.get()
    if taken and sender._meta.label_lower in FINGERPRINTED_MODELS:
        taken.pop(instance.organization_id, None)


def _fingerprint_now(organization: Organization) -> str:
    taken = _TAKEN.get()
    if taken is None:
        return fingerprint(organization)
    if organization.pk not in taken:
        taken[organization.pk] = fingerprint(organization)
    return taken[organization.pk]


def fingerprint(organization: Organization) -> str:
    """Counts, highest ids and latest changes of every row the base's figures read: the
    people, voter links, addresses, active affiliate memberships and ladder moves (every
    change of rung is one), and the leader rung. Two queries."""
    sources = [rows for _label, rows in fingerprint_sources(organization)]
    stamps = sorted(map(str, sources[0].union(*sources[1:], all=True).order_by()))
    figures = [str(leader_rank(organization)), *stamps]
    return hashlib.sha256("|".join(figures).encode()).hexdigest()[:16]


def fingerprint_sources(organization: Organization) -> list[tuple[str, QuerySet]]:
    """The five aggregates of `fingerprint`, by label: each one row of (label, count, highest
    id, latest change). Each reads an index only, not its table (people 0004 and the indexes
    named `*_stamp`): the fingerprint runs on every page that shows the base's figures."""
    from powerbase.actions.models import LadderMove
    from powerbase.coalition.models import AffiliateMembership
    from powerbase.identity.models import VoterLink
    from powerbase.people.models import PostalAddress

    active = AffiliateMembership.Status.ACTIVE
    return [
        ("people", _stamp("people", people(organization), "updated_at")),
        (
            "links",
            _stamp("links", VoterLink.objects.filter(organization=organization), "linked_at"),
        ),
        (
            "addresses",
            _stamp(
                "addresses", PostalAddress.objects.filter(organization=organization), "recorded_at"
            ),
        ),
        (
            "memberships",
            _stamp(
                "memberships",
                AffiliateMembership.objects.filter(organization=organization, status=active),
                "recorded_at",
            ),
        ),
        (
            "moves",
            _stamp("moves", LadderMove.objects.filter(organization=organization), "recorded_at"),
        ),
    ]


def _stamp(label: str, rows: QuerySet, latest: str) -> QuerySet:
    """One row of *rows*' count, highest id and latest *latest* (none when *rows* is empty)."""
    from django.db.models import CharField, Count, Max, Value

    return (
        rows.order_by()
        .values("organization_id")
        .annotate(
            label=Value(label, output_field=CharField()),
            n=Count("id"),
            top=Max("id"),
            latest=Max(latest),
        )
        .values_list("label", "n", "top", "latest")
    )


def _place(
    organization: Organization, kind: str, base: QuerySet[Person], version
) -> dict[int, str]:
    return _place_kinds(organization, [kind], base, version)[kind]


def _place_kinds(
    organization: Organization, kinds: list[str], base: QuerySet[Person], version
) -> dict[str, dict[int, str]]:
    """Return {kind: {person id: district code}} for *base*, placed in each of *kinds* as the
    module docstring says, reading the links, the addresses and the voter file once."""
    from powerbase.people.models import PostalAddress
    from powerbase.voterfile import queries as voterfile

    links = voter_links(base)
    of_voters = voterfile.district_codes_of_kinds(version, kinds, links.values())
    addresses = (
        PostalAddress.objects.filter(
            organization=organization,
            is_primary=True,
            person__in=base.filter(voter_link__isnull=True),
        )
        .exclude(line1="")
        .values_list("person_id", "line1", "zip_code")
    )
    at_addresses = voterfile.districts_at_addresses_of_kinds(version, kinds, list(addresses))
    placed = {}
    for kind in kinds:
        district_of_voter = of_voters[kind]
        found = {
            person_id: district_of_voter[voter_id]
            for person_id, voter_id in links.items()
            if voter_id in district_of_voter
        } | at_addresses[kind]
        # One string per district, not per person: kept, it pickles to a third of the size
        # and reads back in half the time (each process reads it from the cache).
        codes: dict[str, str] = {}
        placed[kind] = {
            person_id: codes.setdefault(code, code) for person_id, code in found.items()
        }
    return placed


def placed_in(
    organization: Organization, kind: str, code: str, *, base: QuerySet[Person] | None = None
) -> list[int]:
    """Return the ids of the base (or *base*) placed in district *code* of *kind*."""
    return sorted(
        person_id
        for person_id, found in placements(organization, kind, base=base).items()
        if found == code
    )


def count_by_district(placed: dict[int, str], person_ids: Iterable[int] | None = None) -> Counter:
    """Return {district code: how many of *person_ids* (default: all placed) are there}."""
    chosen = placed if person_ids is None else {pk: placed[pk] for pk in person_ids if pk in placed}
    return Counter(chosen.values())
