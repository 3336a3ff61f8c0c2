"""Fictional affiliate rosters for the demo, written the way real lists are.

One invented population of Connecticut residents is dealt out to ~40 affiliates' rosters and
the IPO's own sign-up list. About a fifth of people are on two or more lists, and each list
writes them its own way: a nickname on one, a typo on another, a different phone format, no
birth date, an old address. Each roster has its own column headers and date format, so the
import's mapping and normalisation have real work to do.

Everything is invented and marked as such: emails use the reserved example.* domains, phone
numbers use the fictional 555 exchange, and no name is meant to be a real person.
"""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

GIVEN_NAMES = [
    "Maria",
    "Jose",
    "Luis",
    "Ana",
    "Carmen",
    "Juan",
    "Rosa",
    "Carlos",
    "Lucia",
    "Miguel",
    "Keisha",
    "Darnell",
    "Aaliyah",
    "Marcus",
    "Tanisha",
    "Andre",
    "Jasmine",
    "Terrence",
    "Imani",
    "Malik",
    "William",
    "Elizabeth",
    "Robert",
    "Margaret",
    "James",
    "Katherine",
    "Michael",
    "Patricia",
    "Thomas",
    "Jennifer",
    "Nguyen",
    "Mei",
    "Wei",
    "Priya",
    "Arjun",
    "Hyun",
    "Yuki",
    "Minh",
    "Anh",
    "Ravi",
    "Fatima",
    "Omar",
    "Layla",
    "Yusuf",
    "Amira",
    "Khalid",
    "Nadia",
    "Tariq",
    "Samira",
    "Hassan",
    "Kateri",
    "Dakota",
    "Winona",
    "Tallulah",
    "Joseph",
    "Daniel",
    "Anthony",
    "Christopher",
    "Samuel",
    "Benjamin",
    "Alexander",
    "Nicholas",
    "Deborah",
    "Rebecca",
    "Susan",
    "Barbara",
    "Dorothy",
    "Frances",
    "Gabriel",
    "Isabella",
    "Sofia",
    "Valentina",
    "Mateo",
    "Santiago",
    "Esperanza",
    "Guadalupe",
    "Xiomara",
    "Yolanda",
    "Shanice",
    "DeShawn",
    "Latoya",
    "Tyrone",
    "Ebony",
    "Jamal",
    "Olumide",
    "Chidi",
    "Ngozi",
    "Kwame",
    "Abena",
    "Dmitri",
    "Olga",
    "Tomasz",
    "Agnieszka",
    "Giuseppe",
    "Francesca",
]
NICKNAMES = {
    "William": "Bill",
    "Elizabeth": "Liz",
    "Robert": "Bob",
    "Margaret": "Peggy",
    "James": "Jim",
    "Katherine": "Kate",
    "Michael": "Mike",
    "Patricia": "Pat",
    "Thomas": "Tom",
    "Jennifer": "Jen",
    "Joseph": "Joe",
    "Daniel": "Dan",
    "Anthony": "Tony",
    "Christopher": "Chris",
    "Samuel": "Sam",
    "Benjamin": "Ben",
    "Alexander": "Alex",
    "Nicholas": "Nick",
    "Deborah": "Debbie",
    "Rebecca": "Becky",
    "Susan": "Sue",
    "Barbara": "Barb",
    "Dorothy": "Dot",
    "Frances": "Fran",
    "Jose": "Pepe",
    "Guadalupe": "Lupe",
    "Francesca": "Frankie",
    "Gabriel": "Gabe",
    "Isabella": "Bella",
}
FAMILY_NAMES = [
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Perez",
    "Rivera",
    "Torres",
    "Ramirez",
    "Cruz",
    "Ortiz",
    "Morales",
    "Reyes",
    "Santiago",
    "Colon",
    "Vazquez",
    "Williams",
    "Johnson",
    "Brown",
    "Jones",
    "Davis",
    "Jackson",
    "Washington",
    "Harris",
    "Robinson",
    "Thompson",
    "Coleman",
    "Freeman",
    "Battle",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Smith",
    "Miller",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Murphy",
    "O'Brien",
    "Sullivan",
    "Kowalski",
    "Nowak",
    "Russo",
    "Esposito",
    "DeLuca",
    "Nguyen",
    "Tran",
    "Le",
    "Pham",
    "Kim",
    "Park",
    "Lee",
    "Chen",
    "Wang",
    "Patel",
    "Shah",
    "Singh",
    "Khan",
    "Haddad",
    "Nasser",
    "Saleh",
    "Mansour",
    "Begay",
    "Yazzie",
    "Tsosie",
    "Running Bear",
    "Two Crows",
    "Pierre-Louis",
    "Jean-Baptiste",
    "Dubois",
    "Fernandes",
    "Silva",
    "Costa",
    "Medeiros",
    "Okonkwo-Hill",
    "Mbeki",
    "Abdi",
    "Warsame",
    "Ali",
    "Hassan",
    "Ibrahim",
    "Sokolov",
    "Ivanova",
    "Petrenko",
    "Kovalenko",
    "Bianchi",
    "Ferrari",
    "Lindqvist",
    "Bellweather",
]
TOWNS = [
    ("Hartford", "06105"),
    ("Hartford", "06106"),
    ("Hartford", "06112"),
    ("Hartford", "06114"),
    ("New Haven", "06511"),
    ("New Haven", "06513"),
    ("New Haven", "06519"),
    ("Bridgeport", "06604"),
    ("Bridgeport", "06605"),
    ("Bridgeport", "06608"),
    ("Waterbury", "06704"),
    ("Waterbury", "06706"),
    ("Stamford", "06902"),
    ("Norwalk", "06854"),
    ("New Britain", "06051"),
    ("Meriden", "06450"),
    ("East Hartford", "06108"),
    ("West Haven", "06516"),
    ("New London", "06320"),
    ("Norwich", "06360"),
    ("Middletown", "06457"),
    ("Bristol", "06010"),
    ("Danbury", "06810"),
    ("Windham", "06280"),
]
STREETS = [
    "Maple",
    "Oak",
    "Elm",
    "Chapel",
    "Main",
    "Park",
    "Washington",
    "Grand",
    "Farmington",
    "Whalley",
    "Dixwell",
    "Congress",
    "Fairfield",
    "Wethersfield",
    "Broad",
    "Blue Hills",
    "Albany",
    "Franklin",
    "Ferry",
    "Lombard",
    "Howard",
    "Kimberly",
    "Barnum",
    "Sylvan",
]
STREET_KINDS = ["St", "Ave", "Rd", "Blvd", "Street", "Avenue", "Road", "Ter"]
AREA_CODES = ["203", "860", "475", "959"]
EMAIL_DOMAINS = ["example.org", "example.com", "example.net"]
LANGUAGES = [
    "English",
    "Spanish",
    "Portuguese",
    "Haitian Creole",
    "Polish",
    "Vietnamese",
    "Arabic",
    "Somali",
    "Mandarin",
]

AFFILIATE_PLAN = [
    # (name, kind, share contact, share demographics, roster size)
    ("Nutmeg Educators Association Local 12", "labor_union", True, True, 4200),
    ("Home Care Workers United 1199-Z", "labor_union", True, False, 3800),
    ("Riverside Nurses Alliance", "labor_union", True, True, 2600),
    ("Transit Operators Local 1777", "labor_union", False, False, 2100),
    ("Capitol Region Food & Commercial Workers 371-N", "labor_union", True, False, 3400),
    ("Shoreline Building Trades Council", "labor_union", False, False, 1900),
    ("School Support Staff Local 4400", "labor_union", True, True, 1700),
    ("Laundry and Hospital Workers Guild", "labor_union", True, False, 1200),
    ("Warehouse Workers Organizing Committee", "labor_union", False, False, 900),
    ("Public Library Workers Union", "labor_union", True, True, 500),
    ("Graduate Workers of the Elm (GWE)", "labor_union", True, True, 1400),
    ("Childcare Providers Together", "labor_union", True, False, 800),
    ("Quinnipiac Tenants Union", "tenant_union", False, False, 1600),
    ("Frog Hollow Tenants Council", "tenant_union", True, False, 700),
    ("North End Renters Assembly", "tenant_union", True, True, 650),
    ("Park Terrace Building Committee", "tenant_union", False, False, 300),
    ("Bridgeport Housing Justice Tenants", "tenant_union", True, False, 900),
    ("Mobile Home Residents of the Valley", "tenant_union", True, True, 350),
    ("Greater Hartford Interfaith Table", "faith", True, False, 1500),
    ("Iglesia Nueva Esperanza (fictional)", "faith", True, True, 600),
    ("Mount Calvary Fellowship (fictional)", "faith", True, False, 750),
    ("Masjid Al-Noor Community (fictional)", "faith", False, False, 450),
    ("Temple Beth Tikkun (fictional)", "faith", True, True, 300),
    ("St. Brigid Parish Social Ministry (fictional)", "faith", True, False, 500),
    ("Naugatuck Valley Worker Center", "worker_center", True, False, 800),
    ("Centro de Trabajadores del Shoreline", "worker_center", True, True, 650),
    ("Day Laborers of Fair Haven", "worker_center", False, False, 400),
    ("Students for Nutmeg Futures", "student", True, True, 1100),
    ("Community College Student Union", "student", True, False, 600),
    ("Youth Power Hartford", "student", True, True, 450),
    ("Elm City Bus Riders Union", "community", True, False, 700),
    ("Disability Justice Nutmeg", "community", True, True, 380),
    ("Black Parents for Public Schools", "community", True, True, 900),
    ("Asian American Neighbors of the Valley", "community", True, True, 420),
    ("Somali Community Association (fictional)", "community", False, False, 350),
    ("Brazilian Workers Network (fictional)", "community", True, False, 300),
    ("Climate Justice Shoreline", "community", True, True, 550),
    ("Retirees for a Fair Nutmeg", "community", True, False, 1300),
    ("Veterans for Working Families (fictional)", "other", True, False, 400),
    ("Small Farmers and Farmworkers Alliance", "other", True, True, 250),
]
DIRECT_SIGNUPS = 3500

HEADER_STYLES = [
    {
        "given": "First Name",
        "family": "Last Name",
        "dob": "Date of Birth",
        "email": "Email",
        "phone": "Cell Phone",
        "address": "Street Address",
        "city": "City",
        "zip": "Zip",
        "since": "Member Since",
        "role": "Position",
    },
    {
        "given": "first_name",
        "family": "last_name",
        "dob": "dob",
        "email": "email_address",
        "phone": "mobile",
        "address": "address1",
        "city": "city",
        "zip": "postcode",
        "since": "join_date",
        "role": "role",
    },
    {
        "given": "FNAME",
        "family": "LNAME",
        "dob": "BIRTHDATE",
        "email": "E-MAIL",
        "phone": "PHONE",
        "address": "ADDRESS",
        "city": "CITY",
        "zip": "ZIP CODE",
        "since": "SINCE",
        "role": "TITLE",
    },
    {
        "given": "Given name",
        "family": "Surname",
        "dob": "Birthday",
        "email": "E-mail address",
        "phone": "Phone number",
        "address": "Address",
        "city": "Town",
        "zip": "Postal code",
        "since": "Joined",
        "role": "Leadership",
    },
]
DATE_STYLES = ["%Y-%m-%d", "%m/%d/%Y", "%-m/%-d/%y"]


@dataclass
class Resident:
    """One invented human, as they are; rosters write them imperfectly."""

    given: str
    family: str
    birth_date: date | None
    email: str
    phone: str
    street: str
    town: str
    zip_code: str
    language: str
    lists: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Roster:
    """One list: who it is from, its CSV text, and the sharing terms of its affiliate."""

    affiliate_name: str | None  # None for the IPO's own sign-up list
    kind: str
    share_contact: bool
    share_demographics: bool
    file_name: str
    text: str
    rows: int


def build_rosters(seed: int = 2026, scale: float = 1.0) -> list[Roster]:
    """Return the demo rosters; *scale* shrinks them for tests (0.01 -> ~500 rows)."""
    rng, residents, plan = _population(seed, scale)
    rosters = []
    for index, (name, kind, contact, demographics, _size) in enumerate(plan):
        members = [r for r in residents if index in r.lists]
        rosters.append(_roster(rng, name, kind, contact, demographics, members, index))
    own = [r for r in residents if len(plan) in r.lists]
    rosters.append(_roster(rng, None, "", True, True, own, len(plan)))
    return rosters


def build_residents(seed: int = 2026, scale: float = 1.0) -> list[Resident]:
    """Return the invented people the rosters are written from, as they really are: the
    demo voter file registers most of them, so linking has true matches to find."""
    return _population(seed, scale)[1]


def _population(seed: int, scale: float) -> tuple[random.Random, list[Resident], list[tuple]]:
    rng = random.Random(seed)
    plan = [
        (name, kind, contact, demo, max(5, int(size * scale)))
        for name, kind, contact, demo, size in AFFILIATE_PLAN
    ]
    direct = max(5, int(DIRECT_SIGNUPS * scale))
    total_slots = sum(entry[4] for entry in plan) + direct
    residents = [_resident(rng) for _ in range(int(total_slots * 0.84))]
    _deal(rng, residents, [entry[4] for entry in plan] + [direct])
    return rng, residents, plan


def _resident(rng: random.Random) -> Resident:
    given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
    town, zip_code = rng.choice(TOWNS)
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    handle = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
    return Resident(
        given=given,
        family=family,
        birth_date=born if rng.random() < 0.85 else None,
        email=f"{handle}{rng.randrange(1, 9999)}@{rng.choice(EMAIL_DOMAINS)}"
        if rng.random() < 0.8
        else "",
        phone=f"{rng.choice(AREA_CODES)}555{rng.randrange(0, 10000):04d}"
        if rng.random() < 0.75
        else "",
        street=f"{rng.randrange(1, 1999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}",
        town=town,
        zip_code=zip_code,
        language=rng.choices(LANGUAGES, weights=[60, 22, 4, 3, 2, 3, 2, 2, 2])[0],
    )


def _deal(rng: random.Random, residents: list[Resident], sizes: list[int]) -> None:
    """Give each list its members; about a fifth of residents land on two or more lists."""
    pool = list(residents)
    rng.shuffle(pool)
    cursor = 0
    for list_index, size in enumerate(sizes):
        for _ in range(size):
            if cursor < len(pool) and rng.random() < 0.86:
                person = pool[cursor]
                cursor += 1
            else:
                person = rng.choice(residents)  # already on another list
            if list_index not in person.lists:
                person.lists.append(list_index)


def _roster(
    rng: random.Random,
    name: str | None,
    kind: str,
    contact: bool,
    demographics: bool,
    members: list[Resident],
    index: int,
) -> Roster:
    headers = HEADER_STYLES[index % len(HEADER_STYLES)]
    date_style = DATE_STYLES[index % len(DATE_STYLES)]
    columns = ["given", "family", "dob", "email", "phone", "address", "city", "zip"]
    if name is not None:
        columns += ["since", "role"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([headers[column] for column in columns])
    for member in members:
        writer.writerow(
            _written(rng, member, columns, date_style, on_several=len(member.lists) > 1)
        )
    file_name = f"{_slug(name)}-roster.csv" if name else "ipo-signups.csv"
    return Roster(
        affiliate_name=name,
        kind=kind,
        share_contact=contact,
        share_demographics=demographics,
        file_name=file_name,
        text=out.getvalue(),
        rows=len(members),
    )


def _written(
    rng: random.Random, person: Resident, columns: list[str], date_style: str, on_several: bool
) -> list[str]:
    """Write *person* as one list would: mostly right, sometimes not quite."""
    given = person.given
    if on_several and person.given in NICKNAMES and rng.random() < 0.3:
        given = NICKNAMES[person.given]
    family = person.family
    if on_several and rng.random() < 0.05:
        family = _typo(rng, family)
    if rng.random() < 0.1:
        given, family = given.upper(), family.upper()
    phone = person.phone
    if phone:
        style = rng.random()
        if style < 0.3:
            phone = f"({phone[:3]}) {phone[3:6]}-{phone[6:]}"
        elif style < 0.6:
            phone = f"{phone[:3]}-{phone[3:6]}-{phone[6:]}"
        elif style < 0.7:
            phone = f"+1 {phone[:3]} {phone[3:6]} {phone[6:]}"
    email = person.email if rng.random() < 0.92 else ""
    if on_several and email and rng.random() < 0.15:
        email = email.upper()
    values = {
        "given": given,
        "family": family,
        "dob": person.birth_date.strftime(date_style)
        if person.birth_date and rng.random() < 0.9
        else "",
        "email": email,
        "phone": phone if rng.random() < 0.95 else "",
        "address": person.street,
        "city": person.town,
        "zip": person.zip_code,
        "since": str(rng.randrange(1995, 2027)) + "-01-01" if rng.random() < 0.6 else "",
        "role": rng.choices(["member", "steward", "staff"], weights=[88, 10, 2])[0],
    }
    return [values[column] for column in columns]


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    position = rng.randrange(1, len(text) - 1)
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60]
