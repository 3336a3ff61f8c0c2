"""The field demo: one universe of primary voters in the house district where the base
is strongest, cut into turfs, with a few days of canvassing on the first turfs.

Every door result is invented, recorded by the demo leader's account and by a fictional
volunteer's link. Runs after the voter file (and, when the demo has it, identity linking);
without a voter file it does nothing. Safe to run again: an existing demo universe is kept.
"""

import random
from datetime import timedelta

from django.utils import timezone

from powerbase.core import access
from powerbase.core.models import Organization, User
from powerbase.field import services
from powerbase.field.models import Attempt, Door, Universe
from powerbase.identity import base
from powerbase.voterfile.models import District, VoterFileVersion

UNIVERSE_PREFIX = "Primary doors, HD"
SURVEY = (
    "Top issue for your family? | Rent | Wages | Schools | Transit\n"
    "Will you vote in the August primary? | Yes | No | Not sure"
)
DOORS_PER_TURF = 40
CANVASSED_TURFS = 3
LEADER_EMAIL = "leader@nutmeg.example"
RESULTS = ["not_home", "not_home", "not_home", "talked", "talked", "refused", "moved"]
SCRIPT = (
    "Hi, I'm a volunteer with Nutmeg For All, talking with neighbours before the "
    "primary. What's the biggest issue for your family right now?\n"
    "(Listen.) Our candidates are running on rent stabilisation and fair wages. "
    "Can we count on your vote in the primary?"
)
SUPPORT_WEIGHTS = [37, 30, 20, 8, 5]  # of 1 (strong support) .. 5 (strong oppose) among talks


def load_field_demo(state: Organization) -> Universe | None:
    """Build the demo universe, cut it and canvass part of it, unless already there."""
    existing = Universe.objects.filter(organization=state, name__startswith=UNIVERSE_PREFIX).first()
    if existing is not None:
        return existing
    version = VoterFileVersion.objects.filter(organization=state).current()
    if version is None:
        return None
    district = _strongest_district(state, version)
    if not district:
        return None
    system = access.system(state)
    universe = services.save_universe(
        actor=system,
        name=f"{UNIVERSE_PREFIX} {district} (fictional)",
        filters={
            "district_kind": "state_house",
            "districts": [district],
            "parties": ["DEM", "WF", "UNA"],
        },
        survey=SURVEY,
        daily_goal=150,
        script=SCRIPT,
    )
    turfs = services.cut_turfs(actor=system, universe=universe, doors_per_turf=DOORS_PER_TURF)
    _canvass(state, turfs[:CANVASSED_TURFS])
    return universe


def _strongest_district(state: Organization, version: VoterFileVersion) -> str:
    """Return the house district where the most of the base is placed, or the largest."""
    placed = base.count_by_district(base.placements(state, "state_house", version=version))
    if placed:
        return min(placed.items(), key=lambda item: (-item[1], item[0]))[0]
    largest = (
        District.objects.filter(organization=state, version=version, kind=District.Kind.STATE_HOUSE)
        .order_by("-voter_count", "code")
        .first()
    )
    return largest.code if largest else ""


def _canvass(state: Organization, turfs) -> None:
    """Knock most doors of *turfs* over the last three days: a leader and a volunteer's link."""
    rng = random.Random(7)
    leader = User.objects.filter(email=LEADER_EMAIL).first()
    system = access.system(state)
    by_leader = access.actor_for(leader, state.slug) if leader is not None else system
    now = timezone.now()
    for index, turf in enumerate(turfs):
        link, _token = services.create_link(
            actor=system, turf=turf, label=f"Volunteer {index + 1} (fictional)"
        )
        if leader is not None:
            services.assign(actor=system, turf=turf, user_id=leader.pk)
        knocked: dict[bool, list[services.PastAttempt]] = {True: [], False: []}
        for door in Door.objects.filter(turf=turf).order_by("position"):
            if rng.random() > 0.7:
                continue
            attempt = _attempt(turf, door, rng, now - timedelta(days=index))
            knocked[rng.random() < 0.4].append(attempt)
        services.record_attempts_in_bulk(
            actor=by_leader, turf=turf, attempts=knocked[False], canvasser_label=LEADER_EMAIL
        )
        services.record_attempts_in_bulk(actor=system, turf=turf, attempts=knocked[True], link=link)


def _attempt(turf, door: Door, rng, day) -> services.PastAttempt:
    """Return an invented result at *door*, some hours before the end of *day*."""
    result = rng.choice(RESULTS)
    talked = result == Attempt.Result.TALKED
    return services.PastAttempt(
        door=door,
        result=result,
        voter_id=door.voters[0]["voter_id"] if talked and door.voters else "",
        support=rng.choices(range(1, 6), weights=SUPPORT_WEIGHTS)[0] if talked else None,
        answers={q["key"]: rng.choice(q["choices"]) for q in turf.universe.survey}
        if talked
        else {},
        recorded_at=day - timedelta(hours=rng.randrange(0, 6), minutes=rng.randrange(0, 60)),
    )
