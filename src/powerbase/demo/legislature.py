"""The legislature demo: the inside game in a CT-like state, every official and vote invented.

A fictional legislature (36 senate and 151 house seats, one official each, linked to the demo
voter file's districts), a bloc of allied officials, a platform of 5 planks and 12 demands
adopted by the democracy demo's platform decision, a session of 20 roll-call votes, a published
scorecard, pledges from endorsed officials, and a live budget fight with a whip count, inside
events and actions aimed at the undecided. Written through the app's own services.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from powerbase.actions import services as actions
from powerbase.actions.models import Action
from powerbase.core.access import actor_for
from powerbase.core.models import Organization, User
from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
from powerbase.democracy.models import Decision
from powerbase.legislature import services
from powerbase.legislature.models import Chamber, Official, Stance

JURISDICTION = "Connecticut"
SESSION = "2026"
SENATE_SEATS, HOUSE_SEATS = 36, 151
ENDORSED_SENATOR = ("Jordan", "Reyes-Whitfield")  # the democracy demo endorsed them (SD 10)
BUDGET_FIGHT = "2027 budget: $300 million more for public schools (fictional)"
PLATFORM: list[tuple[str, list[tuple[str, Decimal | None]]]] = [
    (
        "Tax the rich to fund public schools",
        [
            ("Pass the Fair Share Amendment: a 5% surcharge on income over $1 million", None),
            ("$300 million more for public schools in the 2027 budget", Decimal(300_000_000)),
            ("Fully fund the Education Cost Sharing formula by 2029", None),
        ],
    ),
    (
        "Homes for all",
        [
            ("Cap yearly rent increases at 4%", None),
            ("Right to counsel in eviction court", Decimal(20_000_000)),
            ("Build 10,000 social homes", None),
        ],
    ),
    (
        "Care for those who care",
        [
            ("A $25 minimum wage for home care workers", None),
            ("Paid family leave for every worker", None),
        ],
    ),
    (
        "Fare-free transit",
        [
            ("Fare-free buses statewide by 2029", Decimal(90_000_000)),
            ("Restore the cut bus routes", None),
        ],
    ),
    (
        "The freedom to organize",
        [
            ("Ban captive-audience meetings", None),
            ("Collective bargaining for public-sector workers everywhere", None),
        ],
    ),
]
# (identifier, title, our position, the demands it carries (plank, demand), chamber of votes)
BILLS = [
    ("SB 1", "An Act Concerning a Fair Share Surcharge", "support", [(0, 0)]),
    ("HB 5001", "The 2027-2029 Biennial Budget", "support", [(0, 1), (3, 0)]),
    ("SB 7", "An Act Concerning Rent Stabilization", "support", [(1, 0)]),
    ("HB 5120", "An Act Establishing a Right to Counsel in Evictions", "support", [(1, 1)]),
    ("SB 4", "An Act Concerning Home Care Wages", "support", [(2, 0)]),
    ("HB 6300", "An Act Concerning Paid Family Leave", "support", [(2, 1)]),
    ("SB 11", "An Act Concerning Captive-Audience Meetings", "support", [(4, 0)]),
    ("HB 5555", "An Act Preempting Local Rent Rules", "oppose", [(1, 0)]),
    ("SB 300", "An Act Cutting the Top Income Tax Rate", "oppose", [(0, 0)]),
    ("HB 7010", "An Act Concerning Bus Service", "amend", [(3, 1)]),
]


def load_legislature_demo(organization: Organization) -> dict:
    """Load the fictional legislature into *organization*; once only."""
    if Official.objects.filter(organization=organization, source=Official.Source.DEMO).exists():
        return {"status": "already loaded"}
    with transaction.atomic():
        return _load(organization)


def _load(organization: Organization) -> dict:
    rng = random.Random(2026)
    actor = actor_for(User.objects.get(email="organizer@nutmeg.example"), organization.slug)
    senate, house = _officials(actor, rng)
    bloc = _bloc(actor, senate, house, rng)
    demands = _platform(actor, organization)
    bills = _bills(actor, demands)
    roll_calls = _session(actor, senate, house, bloc, bills, rng)
    _scorecard(actor, roll_calls)
    _pledges(actor, bloc, demands, rng)
    _budget_fight(actor, house, bloc, demands, bills, rng)
    return {"officials": len(senate) + len(house), "bloc": len(bloc), "roll calls": len(roll_calls)}


def _officials(actor, rng) -> tuple[list[Official], list[Official]]:
    """One invented official per seat; about two in three Democrats, a third of those also on
    the Working Families line."""
    used: set[str] = set()
    chambers = []
    for chamber, seats, office in [
        (Chamber.UPPER, SENATE_SEATS, "State Senator"),
        (Chamber.LOWER, HOUSE_SEATS, "State Representative"),
    ]:
        officials = []
        for seat in range(1, seats + 1):
            if chamber == Chamber.UPPER and seat == 10:
                given, family = ENDORSED_SENATOR
                party = "Democratic/Working Families"
            else:
                given, family = _new_name(rng, used)
                party = _party(rng)
            used.add(f"{given} {family}")
            officials.append(
                services.create_official(
                    actor=actor,
                    name=f"{given} {family}",
                    given_name=given,
                    family_name=family,
                    office=office,
                    chamber=chamber,
                    jurisdiction=JURISDICTION,
                    district_code=str(seat),
                    party=party,
                    term_starts=date(2025, 1, 8),
                    term_ends=date(2027, 1, 6),
                    source=Official.Source.DEMO,
                    email=f"{given}.{family}".lower().replace(" ", "").replace("'", "")
                    + "@legislature.example",
                    phone=_demo_phone(seat, chamber),
                )
            )
        chambers.append(officials)
    return chambers[0], chambers[1]


def _new_name(rng, used: set[str]) -> tuple[str, str]:
    while True:
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        if f"{given} {family}" not in used:
            return given, family


def _party(rng) -> str:
    roll = rng.random()
    if roll < 0.22:
        return "Democratic/Working Families"
    if roll < 0.65:
        return "Democratic"
    if roll < 0.68:
        return "Working Families"
    return "Republican"


def _bloc(actor, senate, house, rng) -> list[Official]:
    """Most Working Families officials and a few Democrats caucus with the bloc."""
    bloc = []
    for official in senate + house:
        fusion = "Working Families" in official.party
        if (fusion and rng.random() < 0.85) or (
            official.party == "Democratic" and rng.random() < 0.1
        ):
            services.join_bloc(
                actor=actor,
                official=official,
                joined_on=date(2025, 1, 8),
                note="Endorsed in the 2024 cycle (fictional).",
            )
            bloc.append(official)
    return bloc


def _platform(actor, organization) -> list[list]:
    version = services.create_platform(actor=actor, title="People's Platform 2027 (fictional)")
    demands = []
    for title, items in PLATFORM:
        plank = services.add_plank(actor=actor, version=version, title=title)
        demands.append(
            [
                services.add_demand(
                    actor=actor,
                    plank=plank,
                    title=demand,
                    amount=amount,
                    budget_item="Education Cost Sharing" if amount == 300_000_000 else "",
                )
                for demand, amount in items
            ]
        )
    decision = Decision.objects.filter(
        organization=organization,
        outcome=Decision.Outcome.ADOPTED,
        proposal__title="2027 People's Platform",
    ).first()
    services.adopt_version(actor=actor, version=version, decision=decision)
    return demands


def _bills(actor, demands) -> list:
    bills = []
    for identifier, title, position, carries in BILLS:
        bill = services.create_bill(
            actor=actor,
            jurisdiction=JURISDICTION,
            session=SESSION,
            identifier=identifier,
            title=f"{title} (fictional)",
            status="In committee",
            position=position,
            position_reason={
                "support": "It wins a demand of the platform.",
                "oppose": "It takes away what the platform fights for.",
                "amend": "Good as far as it goes; it must restore the cut routes.",
            }[position],
        )
        for plank, demand in carries:
            services.link_bill(actor=actor, demand=demands[plank][demand], bill=bill)
        services.add_bill_action(
            actor=actor,
            bill=bill,
            on=date(2026, 2, 4),
            description="Introduced and referred to committee",
        )
        bills.append(bill)
    return bills


def _session(actor, senate, house, bloc, bills, rng) -> list:
    """Twenty roll calls, February to May: two per bill, one in each chamber."""
    in_bloc = {official.pk for official in bloc}
    roll_calls = []
    day = date(2026, 2, 18)
    for number, bill in enumerate(bills):
        for chamber, members in [(Chamber.UPPER, senate), (Chamber.LOWER, house)]:
            day += timedelta(days=rng.randint(2, 6))
            motion = "On final passage" if number % 3 else "On the amendment"
            votes = {
                official: _vote(official, bill.position, official.pk in in_bloc, rng)
                for official in members
            }
            yes = sum(1 for option in votes.values() if option == "yes")
            no = sum(1 for option in votes.values() if option == "no")
            roll_calls.append(
                services.record_roll_call(
                    actor=actor,
                    chamber=chamber,
                    motion=motion,
                    on=day,
                    bill=bill,
                    votes=votes,
                    result="pass" if yes > no else "fail",
                )
            )
        services.add_bill_action(
            actor=actor,
            bill=bill,
            on=day,
            description="Voted in both chambers",
            status="Passed" if roll_calls[-1].result == "pass" else "Failed in the House",
        )
    return roll_calls


def _vote(official: Official, position: str, in_bloc: bool, rng) -> str:
    """An invented vote: the bloc mostly follows our position, others lean by party line."""
    if rng.random() < 0.04:
        return "absent"
    toward = {"support": "yes", "oppose": "no"}.get(position, "yes")
    away = "no" if toward == "yes" else "yes"
    loyal = 0.93 if in_bloc else 0.6 if "Democratic" in official.party else 0.15
    return toward if rng.random() < loyal else away


def _scorecard(actor, roll_calls) -> None:
    card = services.create_scorecard(
        actor=actor,
        title="2026 Legislative Scorecard (fictional)",
        session=SESSION,
        introduction="How each (fictional) legislator voted on the platform's bills.",
    )
    for roll_call in roll_calls[:16]:
        bill = roll_call.bill
        if not bill.right_vote:
            continue
        services.score_vote(
            actor=actor,
            scorecard=card,
            roll_call=roll_call,
            right_option=bill.right_vote,
            weight=2 if bill.identifier in ("SB 1", "HB 5001") else 1,
            note=bill.position_reason,
        )
    services.publish_scorecard(actor=actor, scorecard=card, publish=True)


def _pledges(actor, bloc, demands, rng) -> None:
    """Endorsed officials (the bloc) answered the questionnaire: three to five pledges each."""
    flat = [demand for plank in demands for demand in plank]
    for official in bloc:
        for demand in rng.sample(flat, rng.randint(3, 5)):
            services.record_pledge(
                actor=actor,
                official=official,
                demand=demand,
                pledged_on=date(2025, 10, 1),
                notes="Answered yes on the endorsement questionnaire.",
            )


def _budget_fight(actor, house, bloc, demands, bills, rng) -> None:
    """The live fight: the House votes on school funding in three weeks; 76 votes pass it."""
    campaign = actions.create_campaign(
        actor=actor,
        name="Fund Our Schools (fictional)",
        goal="$300 million more for public schools in the 2027 budget (fictional).",
        targets="Undecided representatives\nHouse Appropriations chairs",
    )
    budget = demands[0][1]
    vote_day = timezone.localdate() + timedelta(days=21)
    board = services.create_whip_board(
        actor=actor,
        title=BUDGET_FIGHT,
        chamber=Chamber.LOWER,
        needed=76,
        demand=budget,
        bill=bills[1],
        campaign=campaign,
        vote_expected_on=vote_day,
    )
    in_bloc = {official.pk for official in bloc}
    today = timezone.localdate()
    undecided = []
    for official in house:
        stance = _stance(official, official.pk in in_bloc, rng)
        if stance is None:
            continue
        if rng.random() < 0.3:  # an earlier reading, so the history shows movement
            services.set_stance(
                actor=actor,
                board=board,
                official=official,
                stance=Stance.UNDECIDED,
                as_of=today - timedelta(days=20),
                source="First lobby visit (fictional)",
            )
        services.set_stance(
            actor=actor,
            board=board,
            official=official,
            stance=stance,
            as_of=today - timedelta(days=rng.randint(0, 10)),
            source=rng.choice(
                ["Lobby visit", "Told a constituent", "Public statement", "Call from a member"]
            ),
        )
        if stance == Stance.UNDECIDED:
            undecided.append(official)
    _inside_events(actor, campaign, bills[1], board, vote_day)
    _aim_actions(actor, campaign, undecided, vote_day)


def _stance(official: Official, in_bloc: bool, rng) -> str | None:
    if rng.random() < 0.12:
        return None  # not asked yet
    if in_bloc:
        return rng.choice([Stance.YES] * 8 + [Stance.LEAN_YES] * 2)
    if official.party == "Republican":
        return rng.choice([Stance.NO] * 6 + [Stance.LEAN_NO] * 2 + [Stance.UNDECIDED])
    return rng.choice(
        [Stance.YES, Stance.LEAN_YES, Stance.UNDECIDED, Stance.UNDECIDED, Stance.LEAN_NO]
    )


def _inside_events(actor, campaign, bill, board, vote_day: date) -> None:
    def at(day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    for kind, title, day, hour in [
        (
            "hearing",
            "Appropriations Committee public hearing on school funding",
            vote_day - timedelta(days=14),
            10,
        ),
        ("committee_vote", "Appropriations Committee vote", vote_day - timedelta(days=7), 14),
        ("floor_vote", "House floor vote on the budget", vote_day, 13),
        ("budget_deadline", "Constitutional budget deadline", vote_day + timedelta(days=10), 23),
    ]:
        services.create_inside_event(
            actor=actor,
            kind=kind,
            title=f"{title} (fictional)",
            starts_at=at(day, hour),
            place="Legislative Office Building, Hartford (fictional)",
            campaign=campaign,
            bill=bill,
            board=board,
        )


def _aim_actions(actor, campaign, undecided, vote_day: date) -> None:
    """Two upcoming actions press the undecided: a district canvass and a lobby day."""
    start = timezone.make_aware(datetime.combine(vote_day - timedelta(days=10), time(10)))
    for offset, (title, kind) in enumerate(
        [
            ("Door-knock the undecided districts for school funding", Action.Kind.CANVASS),
            ("Lobby day: $300 million for our schools", Action.Kind.LOBBY_DAY),
        ]
    ):
        action = actions.create_action(
            actor=actor,
            campaign=campaign,
            title=f"{title} (fictional)",
            kind=kind,
            starts_at=start + timedelta(days=3 * offset),
            place="State Capitol, Hartford (fictional)",
            target="Undecided representatives",
        )
        for official in undecided[offset::2][:8]:
            services.target_official(actor=actor, action=action, official=official)


def _demo_phone(seat: int, chamber: str) -> str:
    """A fictional 555 number: senators' seats from 0000, representatives' from 0200."""
    offset = 0 if chamber == Chamber.UPPER else 200
    return f"860-555-{(seat + offset) % 10000:04d}"
