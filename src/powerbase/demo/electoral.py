"""The electoral demo: two fictional past primaries with results, census figures for a few
districts, three people from the base in the candidate pipeline, and an endorsement decided by
the members' vote.

Results are made to agree with the demo voter file: each house district's total is its
Democratic primary turnout in the vote history, split between a fictional incumbent and a
challenger, and imported through the same CSV import a data director uses. The power map
needs nothing more: it is computed from the voter file and the base.
"""

import random
from datetime import date

from django.db import transaction

from powerbase.core.access import actor_for
from powerbase.core.models import Organization, User
from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
from powerbase.democracy.models import Endorsement
from powerbase.electoral import services as electoral
from powerbase.electoral.models import Election, PipelineEntry, Race
from powerbase.legislature.models import Demand
from powerbase.people.models import Person
from powerbase.power import services as power
from powerbase.power.map import district_facts
from powerbase.voterfile import store
from powerbase.voterfile.models import District, VoterFileVersion

PRIMARIES = [
    ("Democratic primary 2022 (fictional)", date(2022, 8, 9)),
    ("Democratic primary 2024 (fictional)", date(2024, 8, 13)),
]
NEXT_PRIMARY = ("Democratic primary 2026 (fictional)", date(2026, 8, 11))
ENDORSED = "Jordan Reyes-Whitfield"  # the democracy demo's endorsement vote names her
# (question, the legislature demo's platform demand it asks about, or None for a free one)
QUESTIONS = [
    ("Will you vote to cap yearly rent increases at 4%?", "Cap yearly rent increases at 4%"),
    (
        "Will you fund a $25 minimum wage for home care workers?",
        "A $25 minimum wage for home care workers",
    ),
    (
        "Will you vote for a right to counsel in eviction court?",
        "Right to counsel in eviction court",
    ),
    ("Will you hold a yearly accountability session with our members?", None),
]


def load_electoral_demo(organization: Organization) -> dict:
    """Add the electoral demo to *organization* once (fictional, seeded, repeatable)."""
    if Election.objects.filter(organization=organization, name=PRIMARIES[0][0]).exists():
        return {"status": "already loaded"}
    rng = random.Random(2026)
    organizer = actor_for(User.objects.get(email="organizer@nutmeg.example"), organization.slug)
    data = actor_for(User.objects.get(email="data@nutmeg.example"), organization.slug)
    with transaction.atomic():
        races = _past_primaries(organizer, rng)
        census = _census(data, rng)
        pipeline = _pipeline(organizer)
        endorsement = _endorsement(organizer)
    return {
        "past primary races": races,
        "census figures": census,
        "in the pipeline": pipeline,
        "endorsement": endorsement,
    }


def _turnouts(organization: Organization) -> dict[str, dict[str, int]]:
    """Return {district code: {primary date: Democratic primary voters, "DEM": registered
    Democrats}} from the voter file."""
    version = VoterFileVersion.objects.filter(organization=organization).current()
    if version is None:
        return {}
    with store.reading(version) as con:
        facts = district_facts(con, kind="state_house", party="DEM", primaries=2)
    days = (facts.schema.metadata or {}).get(b"primaries", b"").decode().split(",")
    return {
        row["code"]: {day: int(row.get(f"t{n}") or 0) for n, day in enumerate(days) if day}
        | {"DEM": int(row["in_party"])}
        for row in facts.to_pylist()
    }


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"


def _past_primaries(actor, rng: random.Random) -> int:
    """Create the two primaries with one race per house district, and import their results."""
    organization = actor.organization
    turnouts = _turnouts(organization)
    districts = {
        d.code: d for d in District.objects.filter(organization=organization, kind="state_house")
    }
    lines = ["election,race,candidate,votes,party,incumbent"]
    incumbents = {code: _name(rng) for code in districts}
    for name, day in PRIMARIES:
        election = electoral.create_election(
            actor=actor,
            name=name,
            date=day,
            kind=Election.Kind.PRIMARY,
            notes="Invented results for the demo.",
        )
        for code, district in sorted(
            districts.items(), key=lambda item: int(item[0]) if item[0].isdigit() else 0
        ):
            office = f"State House District {code}"
            voters = turnouts.get(code, {}).get(day.isoformat(), 0) or rng.randint(40, 90)
            electoral.create_race(
                actor=actor,
                election=election,
                office=office,
                district=district,
                party="DEM",
                eligible_voters=turnouts.get(code, {}).get("DEM") or district.voter_count,
            )
            # Most incumbents win, some narrowly: those are the districts a base can decide.
            incumbent_share = min(0.85, max(0.35, rng.gauss(0.58, 0.09)))
            incumbent_votes = round(voters * incumbent_share)
            lines.append(f"{name},{office},{incumbents[code]},{incumbent_votes},DEM,yes")
            challenger = _name(rng)
            while challenger == incumbents[code]:
                challenger = _name(rng)
            lines.append(f"{name},{office},{challenger},{voters - incumbent_votes},DEM,")
    if districts:
        electoral.import_results(
            actor=actor,
            file_name="demo_primary_results.csv",
            content=("\n".join(lines) + "\n").encode(),
        )
    return 2 * len(districts)


def _census(actor, rng: random.Random) -> int:
    """Invent census figures for the first five house districts."""
    codes = sorted(
        District.objects.filter(organization=actor.organization, kind="state_house").values_list(
            "code", flat=True
        ),
        key=lambda c: int(c) if c.isdigit() else 0,
    )
    rows = ["district_kind,district,category,group,count"]
    for code in codes[:5]:
        for group in ("White", "Black", "Hispanic or Latino", "Asian", "Other"):
            rows.append(f"state_house,{code},race,{group},{rng.randint(800, 9000)}")
        for group in ("Under $35k", "$35k-$75k", "Over $75k"):
            rows.append(f"state_house,{code},household income,{group},{rng.randint(900, 6000)}")
    if len(rows) == 1:
        return 0
    return power.import_census(
        actor=actor,
        file_name="demo_census_by_house_district.csv",
        content=("\n".join(rows) + "\n").encode(),
    )


def _pipeline(actor) -> int:
    """Put three people from the base in the pipeline: recruited, trained and running."""
    people = list(
        Person.objects.filter(organization=actor.organization)
        .unmerged()
        .exclude(status=Person.Status.DECEASED)
        .order_by("-ladder_standing__level__rank", "id")[:3]
    )
    if len(people) < 3:
        return 0
    election = electoral.create_election(
        actor=actor, name=NEXT_PRIMARY[0], date=NEXT_PRIMARY[1], kind=Election.Kind.PRIMARY
    )
    house = District.objects.filter(
        organization=actor.organization, kind="state_house", code="94"
    ).first()
    race = electoral.create_race(
        actor=actor,
        election=election,
        office="State House District 94",
        district=house,
        party="DEM",
    )
    stages = [
        (people[0], "City Council, Ward 3", [("recruited", date(2026, 3, 4))]),
        (
            people[1],
            "Board of Education",
            [("recruited", date(2025, 10, 2)), ("trained", date(2026, 2, 20))],
        ),
        (
            people[2],
            "State House District 94",
            [
                ("recruited", date(2025, 6, 1)),
                ("trained", date(2025, 11, 15)),
                ("running", date(2026, 5, 12)),
            ],
        ),
    ]
    for person, office, moves in stages:
        entry = electoral.add_to_pipeline(
            actor=actor,
            person=person,
            target_office=office,
            on=date(2025, 4, 1),
            notes="Came up through their union local.",
        )
        for stage, day in moves:
            electoral.move_in_pipeline(
                actor=actor,
                entry=entry,
                stage=stage,
                on=day,
                race=race if stage == PipelineEntry.Stage.RUNNING else None,
            )
    electoral.add_candidate(
        actor=actor,
        race=race,
        name=people[2].display_name,
        person=people[2],
        party="DEM",
        fusion_lines=["WF"],
    )
    electoral.add_candidate(
        actor=actor, race=race, name="Morgan Vail-Castellano", incumbent=True, party="DEM"
    )
    return 3


def _endorsement(actor) -> str:
    """Run the endorsement for State Senate District 10, decided by the democracy demo's vote."""
    election = Election.objects.get(organization=actor.organization, name=NEXT_PRIMARY[0])
    senate = District.objects.filter(
        organization=actor.organization, kind="state_senate", code="10"
    ).first()
    race = electoral.create_race(
        actor=actor,
        election=election,
        office="State Senate District 10",
        district=senate,
        party="DEM",
    )
    # She holds the seat in the legislature demo; the centrist challenges her in the primary.
    endorsee = electoral.add_candidate(
        actor=actor, race=race, name=ENDORSED, party="DEM", incumbent=True, fusion_lines=["WF"]
    )
    challenger = electoral.add_candidate(
        actor=actor, race=race, name="Pat Okafor-Lind", party="DEM"
    )
    process = electoral.open_endorsement(actor=actor, race=race)
    demands = _platform_demands(actor.organization)
    questions = [
        electoral.add_question(
            actor=actor,
            process=process,
            text=text,
            platform_demand=demands.get(demand) if demand else None,
        )
        for text, demand in QUESTIONS
    ]
    answers = {
        endorsee: [
            "Yes, and I will co-sponsor it.",
            "Yes: care work is work.",
            "Yes; no one should face eviction alone.",
            "Yes, every year, in the district.",
        ],
        challenger: [
            "I support studying it.",
            "When the budget allows.",
            "The courts are busy enough.",
            "If my schedule permits.",
        ],
    }
    for candidate, replies in answers.items():
        for question, reply in zip(questions, replies, strict=True):
            electoral.record_response(
                actor=actor, question=question, candidate=candidate, answer=reply
            )
    electoral.record_interview(
        actor=actor,
        process=process,
        candidate=endorsee,
        held_on=date(2026, 4, 18),
        notes="A tenant organizer for ten years; knows the platform by "
        "heart and asked how we will hold her to it.",
    )
    electoral.recommend(
        actor=actor,
        process=process,
        candidate=endorsee,
        reasons="Yes on every demand, and accountable to the base.",
    )
    vote = Endorsement.objects.filter(
        organization=actor.organization, endorsee__startswith=ENDORSED
    ).first()
    if vote is None:
        return "recommended (no endorsement vote in the democracy demo)"
    process = electoral.link_endorsement_vote(actor=actor, process=process, endorsement_vote=vote)
    if process.stage == process.Stage.ENDORSED:
        # The organizer also manages the legislature, and Reyes-Whitfield is already the
        # district's senator there, so these become her pledges (those she had not made yet).
        electoral.record_pledges(
            actor=actor,
            process=process,
            pledges="Cap yearly rent increases at 4%; a $25 minimum wage for home care "
            "workers; a right to counsel in eviction court; a yearly accountability "
            "session with our members.",
            demands=[
                question.platform_demand
                for question in questions
                if question.platform_demand is not None
            ],
        )
    return process.get_stage_display()


def _platform_demands(organization: Organization) -> dict[str, Demand]:
    """The legislature demo's platform demands by title (none if that step did not run)."""
    return {
        demand.title: demand
        for demand in Demand.objects.filter(
            organization=organization, title__in=[d for _, d in QUESTIONS if d]
        )
    }


def races_with_results(organization: Organization) -> int:
    """Count the demo's races with results (for tests)."""
    return (
        Race.objects.filter(organization=organization, result_lines__isnull=False)
        .distinct()
        .count()
    )
