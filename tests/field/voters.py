"""A small fictional voter file for the field tests: two precincts of house district 10 and
one of district 11, a few streets each, several voters at some doors.

Built straight into the organization's voter file folder with `build_version` (no job), so a
test or the URL world gets a version in use in a fraction of a second.
"""

import csv
from pathlib import Path

from powerbase.voterfile import store
from powerbase.voterfile.build import build_version
from powerbase.voterfile.layout import load_layout
from powerbase.voterfile.models import VoterFileVersion

HEADER = [
    "Voter ID",
    "First Name",
    "Last Name",
    "DOB",
    "Street Address",
    "City",
    "Zip",
    "Party",
    "Status",
    "Phone",
    "County",
    "Precinct",
    "State House District",
    "Senate District",
    "Congressional District",
]
# (precinct, house district, street, house numbers)
BLOCKS = [
    ("PCT 1", "10", "Elm St", range(1, 13)),
    ("PCT 1", "10", "Oak Ave", range(2, 10)),
    ("PCT 2", "10", "Chapel St", range(100, 112)),
    ("PCT 3", "11", "Maple Rd", range(5, 11)),
]
FIRST = ["Amara", "Wen", "Tomasz", "Lucia", "Kofi", "Priya", "Dara", "Ines"]
LAST = ["Diallo", "Zhao", "Nowak", "Reyes", "Mensah", "Raman", "Quill", "Sousa"]
PARTIES = ["DEM", "DEM", "UNA", "REP", "WF"]


def voter_rows(blocks=BLOCKS) -> list[list[str]]:
    """Return the registrations: one voter at most doors, two at every third door. A block
    with a fifth item, (latitude, longitude) of its first house, adds those two columns."""
    rows, number = [], 0
    for precinct, district, street, houses, *where in blocks:
        for house in houses:
            for resident in range(2 if house % 3 == 0 else 1):
                number += 1
                rows.append(
                    [
                        f"F{number:05d}",
                        FIRST[number % len(FIRST)],
                        LAST[(number // 2) % len(LAST)],
                        f"{1950 + number % 50}-0{1 + number % 9}-15",
                        f"{house} {street}",
                        "Springfield",
                        "01105",
                        PARTIES[number % len(PARTIES)],
                        "Inactive" if number % 17 == 0 else "Active",
                        f"413555{number:04d}",
                        "Hampden",
                        precinct,
                        district,
                        "2",
                        "1",
                    ]
                )
                if where:  # houses a few metres apart along the street, going east
                    latitude, longitude = where[0]
                    rows[-1] += [f"{latitude:.6f}", f"{longitude + house * 0.0001:.6f}"]
                del resident
    return rows


def history_rows() -> list[list[str]]:
    """Every other voter voted in the 2022 primary; every third in the 2024 primary too."""
    rows = []
    for index, row in enumerate(voter_rows()):
        if index % 2 == 0:
            rows.append([row[0], "2022-09-06", "State Primary", "In person"])
        if index % 3 == 0:
            rows.append([row[0], "2024-09-03", "State Primary", "In person"])
        rows.append([row[0], "2024-11-05", "General", "Mail"])
    return rows


def make_voter_file(organization, folder: Path, blocks=BLOCKS) -> VoterFileVersion:
    """Build the fictional file (of other *blocks* if given) and make it the organization's
    voter file in use."""
    folder.mkdir(parents=True, exist_ok=True)
    voters, history = folder / "field_voters.csv", folder / "field_history.csv"
    with voters.open("w", newline="") as out:
        placed = any(len(block) > 4 for block in blocks)
        header = HEADER + (["Latitude", "Longitude"] if placed else [])
        csv.writer(out).writerows([header, *voter_rows(blocks)])
    with history.open("w", newline="") as out:
        csv.writer(out).writerows(
            [["voter_id", "election_date", "election_type", "vote_method"], *history_rows()]
        )
    number = VoterFileVersion.objects.filter(organization=organization).count() + 1
    file_name = f"field{number}.duckdb"
    store.remove(store.folder(organization) / file_name)
    build_version(
        files=[voters, history],
        layout=load_layout("generic"),
        target=store.folder(organization) / file_name,
    )
    return VoterFileVersion.objects.create(
        organization=organization, number=number, file_name=file_name, layout="generic"
    )
