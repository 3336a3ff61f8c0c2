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
    now = timezone.now()
    attempts = []
    for index, turf in enumerate(turfs):
        link, _token = services.create_link(
            actor=access.system(state), turf=turf, label=f"Volunteer {index + 1} (fictional)"
        )
        if leader is not None:
            turf.canvassers.add(leader)
        questions = turf.universe.survey
        for door in Door.objects.filter(turf=turf).order_by("position"):
            if rng.random() > 0.7:
                continue
            result = rng.choice(RESULTS)
            talked = result == Attempt.Result.TALKED
            by_link = rng.random() < 0.4
            attempts.append(
                Attempt(
                    organization=state,
                    turf=turf,
                    door=door,
                    result=result,
                    voter_id=door.voters[0]["voter_id"] if talked and door.voters else "",
                    support=rng.choices(range(1, 6), weights=SUPPORT_WEIGHTS)[0]
                    if talked
                    else None,
                    answers={q["key"]: rng.choice(q["choices"]) for q in questions}
                    if talked
                    else {},
                    canvasser=None if by_link else leader,
                    link=link if by_link else None,
                    canvasser_label=f"Link: {link.label}" if by_link else LEADER_EMAIL,
                    recorded_at=now
                    - timedelta(
                        days=index, hours=rng.randrange(0, 6), minutes=rng.randrange(0, 60)
                    ),
                )
            )
    Attempt.objects.bulk_create(attempts)
