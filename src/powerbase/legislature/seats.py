"""Which kind of voter-file district an official's seat is, and which codes name it.

An official's seat is written the way its source writes it: Open States gives a chamber
(`upper`, `lower`, `legislature`, `mayor`...) and a district ('7'); an official entered by hand
has an office ('U.S. Representative', 'Alder, Ward 7', 'County Commissioner') and a district.
The voter file names districts by kind (`voterfile.District.Kind`) and code: statewide kinds
as numbers ('7', zero-padded in some states: '007'), kinds that repeat from county to county
with the county's code in front ('32/07'). Nothing here touches the database: the service
that links an official reads the districts and asks these functions which one fits.

    kind = seat_kind(chamber="council", office="Alder, Ward 7")     # -> "ward"
    codes = code_variants("7")                                       # {"7", "07", "007"}
"""

import re

from powerbase.legislature.models import DISTRICT_KIND_OF_CHAMBER, Chamber

# Words in an office's title and the district kind such an office is elected from, first match
# wins (so "County Board of Education" is a school board, not a county commission). Titles
# are those states and Open States use; an office with none of these has no district of its
# own in the voter file (a governor, a secretary of state).
OFFICE_WORDS_OF_KIND: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "u.s. representative",
            "us representative",
            "u.s. house",
            "us house",
            "congress",
            "representative in congress",
        ),
        "congressional",
    ),
    (("school board", "board of education", "school committee", "school director"), "school_board"),
    (("superior court",), "superior_court"),
    (("court of appeals", "appeals court", "appellate"), "appeals_court"),
    (("municipal court",), "municipal_court"),
    (("district court", "judicial", "judge", "district attorney"), "judicial"),
    (
        (
            "county commission",
            "board of commissioners",
            "county board",
            "county council",
            "county legislat",
            "supervisor",
            "freeholder",
        ),
        "county_commission",
    ),
    (("township",), "township"),
    (
        (
            "alder",
            "ward",
            "city council",
            "council member",
            "councilmember",
            "councilor",
            "councillor",
            "selectman",
            "selectwoman",
            "selectperson",
        ),
        "ward",
    ),
    (("mayor", "first selectman", "first selectwoman"), "municipality"),
)
# Chambers whose seats are drawn as districts whatever the office is called.
SEAT_KIND_OF_CHAMBER: dict[str, str] = {**DISTRICT_KIND_OF_CHAMBER, Chamber.COUNCIL: "ward"}
# Words a place's name may carry or not: 'Durham County', 'City of Durham', 'DURHAM'.
PLACE_WORDS = re.compile(r"\b(county|city|town|village|borough|of|the)\b")


def seat_kind(*, chamber: str, office: str = "") -> str | None:
    """Return the district kind of a seat: from the office's title when it names one (a
    council member's 'Alder, Ward 7', a 'U.S. Representative' entered as another body), else
    from the chamber (house, senate, council); None when the seat has no district."""
    title = " ".join(office.lower().split())
    for words, kind in OFFICE_WORDS_OF_KIND:
        if any(word in title for word in words):
            return kind
    return SEAT_KIND_OF_CHAMBER.get(chamber)


def district_number(code: str, office: str = "") -> str:
    """Return the district as the voter file writes it: 'Ward 7' or 'District 07' -> '07'; a
    seat without a code takes the number its office names ('Alder, Ward 7' -> '7')."""
    code = " ".join(code.split())
    if not code:
        found = re.search(
            r"(?:ward|district|dist\.?|seat|no\.?)\s*#?\s*([0-9]+[a-z]?)\b", office.lower()
        )
        return found.group(1).upper() if found else ""
    found = re.fullmatch(r"(?i)(?:ward|district|dist\.?|seat|no\.?)\s*#?\s*(\S+)", code)
    return found.group(1) if found else code


def code_variants(code: str) -> set[str]:
    """Return the spellings of a district number a voter file may use: '7', '07', '007'."""
    code = code.strip().upper()
    if not code:
        return set()
    codes = {code, code.lstrip("0") or "0"}
    if code.isdigit():
        codes |= {code.lstrip("0").zfill(width) for width in (2, 3)}
    return codes


def local_part(code: str) -> str:
    """Return a district code without its county's: '32/07' -> '07'."""
    return code.rsplit("/", 1)[-1]


def place_key(name: str) -> str:
    """Return a place name reduced to compare: 'Durham County' and 'DURHAM' -> 'DURHAM'."""
    return " ".join(PLACE_WORDS.sub(" ", name.lower().replace(",", " ")).split()).upper()
