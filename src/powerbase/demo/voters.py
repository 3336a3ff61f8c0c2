"""A fictional voter file for the demo state, imported through the real voter file pipeline.

About 500,000 invented registrations across Connecticut's real district counts (5 congressional,
36 state senate and 151 state house districts), with twelve elections of vote history. Most of
the people on the demo rosters are registered in it, written the way a registrar writes them
(full given name where a roster has a nickname, sometimes a middle initial, sometimes at the
address they lived at before), so linking the base to the voter file has real work to do.

Every name, address and voter id here is invented. Written as a generic-layout CSV pair (voters
and a `*hist*` file) and imported with `voterfile.services.start_import`, as a data director
would import a vendor's file.
"""

import csv
import random
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings

from powerbase.core import access, jobs
from powerbase.core.models import Job, Organization
from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES, STREET_KINDS, STREETS, TOWNS, Resident
from powerbase.voterfile import services as voterfile
from powerbase.voterfile.models import VoterFileVersion

VOTERS_AT_FULL_SCALE = 500_000
REGISTERED_SHARE = 0.8  # of the base; the IPO's work includes registering the rest
MOVED_SHARE = 0.08  # registered at an address they have since left
HOUSE_DISTRICTS, SENATE_DISTRICTS, CONGRESSIONAL_DISTRICTS = 151, 36, 5

COUNTY_OF_TOWN = {
    "Hartford": "Hartford",
    "New Britain": "Hartford",
    "East Hartford": "Hartford",
    "Bristol": "Hartford",
    "New Haven": "New Haven",
    "Waterbury": "New Haven",
    "Meriden": "New Haven",
    "West Haven": "New Haven",
    "Bridgeport": "Fairfield",
    "Stamford": "Fairfield",
    "Norwalk": "Fairfield",
    "Danbury": "Fairfield",
    "New London": "New London",
    "Norwich": "New London",
    "Middletown": "Middlesex",
    "Windham": "Windham",
}
FEMININE_NAMES = {
    "Maria",
    "Ana",
    "Carmen",
    "Rosa",
    "Lucia",
    "Keisha",
    "Aaliyah",
    "Tanisha",
    "Jasmine",
    "Imani",
    "Elizabeth",
    "Margaret",
    "Katherine",
    "Patricia",
    "Jennifer",
    "Mei",
    "Priya",
    "Yuki",
    "Anh",
    "Fatima",
    "Layla",
    "Amira",
    "Nadia",
    "Samira",
    "Kateri",
    "Winona",
    "Tallulah",
    "Deborah",
    "Rebecca",
    "Susan",
    "Barbara",
    "Dorothy",
    "Frances",
    "Isabella",
    "Sofia",
    "Valentina",
    "Esperanza",
    "Guadalupe",
    "Xiomara",
    "Yolanda",
    "Shanice",
    "Latoya",
    "Ebony",
    "Ngozi",
    "Abena",
    "Olga",
    "Agnieszka",
    "Francesca",
}
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"
# Party registration in the demo state, for the base and for everyone else: the base leans to
# the Democratic and Working Families lines and to no party at all.
PARTIES = ["DEM", "UNA", "REP", "WF", "GRN", "LIB"]
PARTY_WEIGHTS_BASE = [48, 40, 8, 3, 0.6, 0.4]
PARTY_WEIGHTS_OTHERS = [37, 40, 20, 1.5, 0.8, 0.7]
RACES = ["W", "B", "H", "A", "N", "M", "U"]  # as some states record it; U is not given


@dataclass(frozen=True)
class Election:
    day: date
    kind: str  # as the history file writes it: GENERAL, PRIMARY, MUNICIPAL
    turnout: float  # how strongly a typical voter's propensity turns into a vote


ELECTIONS = [
    Election(date(2018, 8, 14), "PRIMARY", 0.42),
    Election(date(2018, 11, 6), "GENERAL", 0.95),
    Election(date(2019, 11, 5), "MUNICIPAL", 0.55),
    Election(date(2020, 8, 11), "PRIMARY", 0.5),
    Election(date(2020, 11, 3), "GENERAL", 1.2),
    Election(date(2021, 11, 2), "MUNICIPAL", 0.5),
    Election(date(2022, 8, 9), "PRIMARY", 0.38),
    Election(date(2022, 11, 8), "GENERAL", 0.9),
    Election(date(2023, 11, 7), "MUNICIPAL", 0.52),
    Election(date(2024, 8, 13), "PRIMARY", 0.4),
    Election(date(2024, 11, 5), "GENERAL", 1.15),
    Election(date(2025, 11, 4), "MUNICIPAL", 0.5),
]
VOTER_COLUMNS = [
    "voter_id",
    "first_name",
    "middle_name",
    "last_name",
    "birth_date",
    "sex",
    "race",
    "party",
    "status",
    "registration_date",
    "address",
    "city",
    "zip",
    "phone",
    "county",
    "municipality",
    "precinct",
    "congressional_district",
    "state_senate_district",
    "state_house_district",
]
HISTORY_COLUMNS = ["voter_id", "election_date", "election_type", "party", "vote_method"]


def load_voter_file_demo(
    state: Organization, *, residents: list[Resident], voters: int
) -> VoterFileVersion:
    """Import the demo voter file for *state* unless it has one already."""
    current = VoterFileVersion.objects.filter(organization=state).current()
    if current is not None:
        return current
    folder = Path(tempfile.mkdtemp(prefix="demo-voterfile-", dir=settings.DATA_DIR))
    try:
        paths = write_voter_file(folder, residents=residents, voters=voters)
        job = voterfile.start_import(
            actor=access.system(state), paths=paths, layout="generic", enqueue=False
        )
        jobs.execute(job.pk)
        job.refresh_from_db()
        if job.status == Job.Status.FAILED:
            raise RuntimeError(f"The demo voter file import failed: {job.error}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    version = VoterFileVersion.objects.filter(organization=state).current()
    assert version is not None, "the demo file passes the sanity gates, so it is in use"
    return version


def demo_voter_count(scale: float) -> int:
    """~500,000 registrations at full scale; never fewer than one per house district."""
    return max(HOUSE_DISTRICTS * 20, int(VOTERS_AT_FULL_SCALE * scale))


def write_voter_file(
    folder: Path, *, residents: list[Resident], voters: int, seed: int = 2027
) -> list[Path]:
    """Write `demo-voters.csv` and `demo-voters-hist.csv` into *folder*; return their paths."""
    rng = random.Random(seed)
    voters_path, history_path = folder / "demo-voters.csv", folder / "demo-voters-hist.csv"
    with (
        open(voters_path, "w", newline="") as voter_file,
        open(history_path, "w", newline="") as history_file,
    ):
        voter_rows, history_rows = csv.writer(voter_file), csv.writer(history_file)
        voter_rows.writerow(VOTER_COLUMNS)
        history_rows.writerow(HISTORY_COLUMNS)
        registered = [person for person in residents if rng.random() < REGISTERED_SHARE]
        for number in range(max(voters, len(registered))):
            person = registered[number] if number < len(registered) else _stranger(rng)
            row = _registration(
                rng, person, voter_id=str(1_000_001 + number), in_base=number < len(registered)
            )
            voter_rows.writerow(row)
            history_rows.writerows(_history(rng, row))
    return [voters_path, history_path]


def _stranger_names() -> tuple[list[str], list[str]]:
    """Names for voters on no roster: the rosters' own lists, and a long tail beyond them.

    A state's voters carry far more names than the rosters' hundred or so of each; drawn
    from the rosters' lists alone, every member would have dozens of namesakes in their zip
    code, and linking the base would compare millions of pairs a real file never produces.
    """
    from powerbase.identity.linkage import fictional_names as names

    given = [name.title() for name in (*names.FEMALE_FIRST_NAMES, *names.MALE_FIRST_NAMES)]
    family = [name.title() for name in names.SURNAMES] + [
        (prefix + suffix).title()
        for prefix in names.SURNAME_PREFIXES
        for suffix in names.SURNAME_SUFFIXES
    ]
    return list(GIVEN_NAMES) + given, list(FAMILY_NAMES) + family


STRANGER_GIVEN_NAMES, STRANGER_FAMILY_NAMES = _stranger_names()


def _feminine_names() -> frozenset[str]:
    """The rosters' feminine names and the long tail's female names: a voter's recorded sex."""
    from powerbase.identity.linkage import fictional_names as names

    return frozenset(FEMININE_NAMES) | {name.title() for name in names.FEMALE_FIRST_NAMES}


FEMININE_GIVEN_NAMES = _feminine_names()


def _stranger(rng: random.Random) -> Resident:
    """A registered voter who is on no roster."""
    town, zip_code = rng.choice(TOWNS)
    return Resident(
        given=rng.choice(STRANGER_GIVEN_NAMES),
        family=rng.choice(STRANGER_FAMILY_NAMES),
        birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 66)),
        email="",
        phone=f"{rng.choice(['203', '860'])}555{rng.randrange(0, 10000):04d}",
        street=_street(rng),
        town=town,
        zip_code=zip_code,
        language="",
    )


def _registration(
    rng: random.Random, person: Resident, *, voter_id: str, in_base: bool
) -> list[str]:
    street, town, zip_code = person.street, person.town, person.zip_code
    if in_base and rng.random() < MOVED_SHARE:
        town, zip_code = rng.choice(TOWNS)
        street = _street(rng)
    born = person.birth_date or date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    registered = max(
        born + timedelta(days=365 * 18 + 5 + rng.randrange(0, 400)),
        date(1972, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50)),
    )
    registered = min(registered, date(2026, 6, 1))
    house = _house_district(town, zip_code, street)
    senate = (house - 1) * SENATE_DISTRICTS // HOUSE_DISTRICTS + 1
    county = COUNTY_OF_TOWN[town]
    weights = PARTY_WEIGHTS_BASE if in_base else PARTY_WEIGHTS_OTHERS
    return [
        voter_id,
        person.given,
        rng.choice(MIDDLE_INITIALS) if rng.random() < 0.4 else "",
        person.family,
        born.isoformat(),
        "F" if person.given in FEMININE_GIVEN_NAMES else "M",
        _race(rng, person.family),
        rng.choices(PARTIES, weights=weights)[0],
        "A" if rng.random() < 0.94 else "I",
        registered.isoformat(),
        street.upper(),
        town.upper(),
        zip_code,
        person.phone if person.phone and rng.random() < 0.3 else "",
        county,
        town,
        f"{house}-{zlib.crc32(street.encode()) % 3 + 1}",
        str((senate - 1) * CONGRESSIONAL_DISTRICTS // SENATE_DISTRICTS + 1),
        str(senate),
        str(house),
    ]


def _history(rng: random.Random, row: list[str]) -> list[list[str]]:
    """Vote history for one registration: a propensity to vote, shaped by each election."""
    voter_id, party, registered = row[0], row[7], date.fromisoformat(row[9])
    propensity = rng.betavariate(2, 2.4)
    votes = []
    for election in ELECTIONS:
        if election.day < registered:
            continue
        if election.kind == "PRIMARY" and party not in {"DEM", "REP"}:
            continue  # closed primaries: only a party's registrants take its ballot
        if rng.random() < propensity * election.turnout:
            method = (
                "ABS" if rng.random() < (0.35 if election.day.year == 2020 else 0.07) else "POLL"
            )
            votes.append(
                [
                    voter_id,
                    election.day.isoformat(),
                    election.kind,
                    party if election.kind == "PRIMARY" else "",
                    method,
                ]
            )
    return votes


def _house_district(town: str, zip_code: str, street: str) -> int:
    """Each (town, zip) holds its own share of the 151 house districts; a street falls in one."""
    area = TOWNS.index((town, zip_code))
    owned = [d for d in range(1, HOUSE_DISTRICTS + 1) if (d - 1) % len(TOWNS) == area]
    return owned[zlib.crc32(street.encode()) % len(owned)]


def _street(rng: random.Random) -> str:
    return f"{rng.randrange(1, 1999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"


def _race(rng: random.Random, family: str) -> str:
    """An invented distribution, loosely shaped by the family name, so the base-composition
    view has something to compare; nothing here describes real people."""
    # A name beyond the rosters' list leans as a stable pick from the list would.
    index = (
        FAMILY_NAMES.index(family)
        if family in FAMILY_NAMES
        else zlib.crc32(family.encode()) % len(FAMILY_NAMES)
    )
    leaning = (
        "H"
        if index < 17
        else "B"
        if index < 33
        else "W"
        if index < 47
        else "A"
        if index < 61
        else "O"
    )
    if leaning == "O" or rng.random() < 0.25:
        return rng.choices(RACES, weights=[40, 18, 20, 6, 1, 5, 10])[0]
    return leaning
