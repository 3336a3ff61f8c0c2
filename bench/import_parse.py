"""How fast the import layer reads, maps, normalises and validates a messy 100,000-row list.

    .venv/bin/python bench/import_parse.py [--rows 100000] [--seed 7]

Generates a seeded, fictional member list (555-01xx phone numbers, example.org emails, made-up
streets) with the mess real lists have: names in ALL CAPS or lower case, phones in five
formats, birth dates in three formats, ZIP codes that lost their leading zero, duplicated
people, a formula cell now and then, about 6% of addresses in shapes only usaddress reads (or
nobody does), and about 3% bad rows. Prints rows per second for each
stage next to plain `csv.reader` over the same file in the same run, and the ratio, because
absolute times vary up to 2x on shared machines; each stage runs --repeat times and the best
run's CPU time counts.
"""

import argparse
import csv
import io
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from powerbase.imports.addresses import (  # noqa: E402
    _normalize_address,
    _scourgify,
    normalize_address,
)
from powerbase.imports.mapping import propose_mapping  # noqa: E402
from powerbase.imports.reading import open_table  # noqa: E402
from powerbase.imports.validating import ImportOptions, validate_table  # noqa: E402

HEADER = [
    "First Name",
    "LAST NAME",
    "E-mail",
    "Cell Phone",
    "Home Phone",
    "Address",
    "City",
    "State",
    "Zip",
    "Date of Birth",
    "Race/Ethnicity",
    "Language",
    "Tags",
    "Notes",
    "Member ID",
    "Role",
    "Member Since",
]
GIVEN = [
    "Maria",
    "Jose",
    "Aisha",
    "Wei",
    "Tamika",
    "Luis",
    "Fatima",
    "Kwame",
    "Olga",
    "Nguyen",
    "Patrick",
    "Rosa",
    "Darnell",
    "Mei",
    "Samir",
    "Keisha",
    "Ana",
    "Tomasz",
    "Ifeoma",
    "Juan",
]
FAMILY = [
    "Lopez",
    "O'Brien",
    "McDonald",
    "Smith-Jones",
    "de la Cruz",
    "Okafor",
    "Chen",
    "Haddad",
    "Washington",
    "Nguyen",
    "Kowalski",
    "Rivera",
    "Baptiste",
    "Santos",
    "Kim",
    "Abebe",
]
STREETS = [
    "Main",
    "Elm",
    "Chapel",
    "Orange",
    "Whalley",
    "Dixwell",
    "Congress",
    "Grand",
    "Ferry",
    "Blatchley",
    "Howard",
    "Lombard",
    "Park",
    "Edgewood",
    "Winchester",
    "Shelton",
]
TYPES = ["St", "Street", "Ave", "Avenue", "Rd", "Blvd", "Place"]
CITIES = [
    ("New Haven", "06511"),
    ("Hartford", "06103"),
    ("Bridgeport", "06604"),
    ("Waterbury", "06702"),
    ("New London", "06320"),
    ("Stamford", "06901"),
]
RACES = [
    "Black",
    "Latina",
    "White",
    "Asian",
    "Black; Puerto Rican",
    "Middle Eastern",
    "Prefer not to say",
    "Multiracial",
    "Hispanic, White",
    "",
]
LANGUAGES = ["English", "Spanish", "English; Spanish", "Haitian Creole", "Vietnamese", ""]
TAGS = ["rally", "housing; rally", "phonebank, canvass", "", "", "steward training"]
ROLES = ["Member", "Steward", "member", "Captain", "Staff", ""]
AREA_CODES = ["203", "860", "475", "959"]


def phone(rng: random.Random) -> str:
    area, line = rng.choice(AREA_CODES), f"01{rng.randrange(100):02d}"
    return rng.choice(
        [
            f"({area}) 555-{line}",
            f"{area}-555-{line}",
            f"{area}.555.{line}",
            f"+1 {area} 555 {line}",
            f"{area}555{line}",
        ]
    )


def birth_date(rng: random.Random) -> str:
    day = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    return rng.choice([day.isoformat(), day.strftime("%m/%d/%Y"), day.strftime("%d-%b-%Y")])


def person(rng: random.Random, number: int) -> list[str]:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    shown_given = rng.choice([given, given, given.upper(), given.lower()])
    city, zip_code = rng.choice(CITIES)
    street = f"{rng.randrange(1, 2000)} {rng.choice(STREETS)} {rng.choice(TYPES)}"
    if rng.random() < 0.3:
        street += rng.choice(
            [
                f" Apt {rng.randrange(1, 40)}",
                f" #{rng.randrange(1, 9)}",
                f" Unit {rng.choice('ABCD')}",
            ]
        )
    if rng.random() < 0.06:  # the kind a grammar leaves to usaddress
        street = rng.choice(
            [
                f"PO Box {rng.randrange(1, 900)}",
                f"{rng.randrange(1, 99)} Avenue A",
                f"{rng.randrange(1, 99)} St Marys Rd",
                "12-14 Orange St",
                f"{rng.randrange(1, 99)} Elm St Rear",
                "Route 9 near the mill",
            ]
        )
    email = f"{given}.{family.replace(' ', '').replace(chr(39), '')}{number}@example.org"
    return [
        shown_given,
        family.upper() if rng.random() < 0.2 else family,
        rng.choice([email, email.upper(), email]),
        phone(rng),
        phone(rng) if rng.random() < 0.3 else "",
        street,
        city,
        "CT",
        zip_code.lstrip("0") if rng.random() < 0.2 else zip_code,
        birth_date(rng),
        rng.choice(RACES),
        rng.choice(LANGUAGES),
        rng.choice(TAGS),
        "=1+1" if rng.random() < 0.002 else rng.choice(["", "", "Met at the rally"]),
        str(100000 + number),
        rng.choice(ROLES),
        rng.choice(["", (date(2010, 1, 1) + timedelta(days=rng.randrange(5000))).isoformat()]),
    ]


def spoil(rng: random.Random, row: list[str]) -> list[str]:
    """Break one field the way real lists break."""
    row = list(row)
    column, bad = rng.choice(
        [
            (3, "555-01"),
            (2, "maria@"),
            (9, "13/45/1990"),
            (9, "2099-01-01"),
            (15, "janitor"),
            (2, "no email"),
        ]
    )
    row[column] = bad
    return row


def messy_file(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    people: list[list[str]] = []
    for number in range(rows):
        if people and rng.random() < 0.05:
            row = list(rng.choice(people))  # the same person again, on another list
            row[3] = phone(rng) if rng.random() < 0.5 else row[3]
        else:
            row = person(rng, number)
            people.append(row)
        if rng.random() < 0.03:
            row = spoil(rng, row)
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def rate(count: int, seconds: float, unit: str = "rows") -> str:
    return f"{count / seconds:>10,.0f} {unit}/s  ({seconds:6.2f} s CPU)"


def timed(action, repeat: int) -> tuple[object, float]:
    """Run *action* *repeat* times; return its result and the best CPU time it took.

    CPU time of this process rather than wall-clock time: every stage is single-threaded
    and CPU-bound, and other work on a shared machine then disturbs the figures less.
    """
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = action()
        best = min(best, time.process_time() - start)
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; the best counts")
    args = parser.parse_args()

    data = messy_file(args.rows, args.seed)
    print(f"file: {args.rows:,} rows, {len(HEADER)} columns, {len(data) / 2**20:.1f} MB")

    def baseline() -> int:
        return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline="")))

    def read_only() -> int:
        return sum(1 for _ in open_table(data, file_name="bench.csv").rows())

    def full(standardize: bool):
        def run():
            _normalize_address.cache_clear()
            table = open_table(data, file_name="bench.csv")
            options = ImportOptions(today=date(2026, 11, 27), standardize_addresses=standardize)
            return validate_table(table, propose_mapping(table.header), options)

        return run

    _, base = timed(baseline, args.repeat)
    _, read = timed(read_only, args.repeat)
    report, lazy = timed(full(standardize=False), args.repeat)
    report_full, eager = timed(full(standardize=True), args.repeat)
    print(f"baseline csv.reader              {rate(args.rows, base)}")
    print(
        f"read (detect + rows)             {rate(args.rows, read)}  "
        f"{read / base:5.1f}x baseline time"
    )
    print(
        f"read+map+validate, no addresses  {rate(args.rows, lazy)}  "
        f"{lazy / base:5.1f}x baseline time"
    )
    print(
        f"read+map+validate, addresses     {rate(args.rows, eager)}  "
        f"{eager / base:5.1f}x baseline time"
    )
    print(report_full.summary())
    print(f"problems: {len(report_full.errors):,} errors, {len(report_full.warnings):,} warnings")
    addresses = [
        (row[5], row[6], row[7], row[8])
        for row in csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    ][1:5001]

    def through(standardise):
        def run():
            _normalize_address.cache_clear()
            return sum(
                1
                for street, city, state, zip_code in addresses
                if standardise(street, city, state, zip_code)
            )

        return run

    fast_count, fast = timed(
        through(
            lambda street, city, state, zip_code: (
                normalize_address(street=street, city=city, state=state, zip=zip_code)[
                    0
                ].standardized
            )
        ),
        args.repeat,
    )
    slow_count, slow = timed(
        through(
            lambda street, city, state, zip_code: _scourgify(
                {"address_line_1": street, "city": city, "state": state, "postal_code": zip_code}
            )
        ),
        args.repeat,
    )
    print(
        f"addresses alone, powerbase       {rate(len(addresses), fast, 'addresses')}  "
        f"({fast_count:,} of {len(addresses):,} standardised)"
    )
    print(
        f"addresses alone, scourgify only  {rate(len(addresses), slow, 'addresses')}  "
        f"({slow_count:,} of {len(addresses):,} standardised)"
    )
    assert report.accepted == report_full.accepted


if __name__ == "__main__":
    main()
