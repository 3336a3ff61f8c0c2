"""Fictional voter files and member lists with the errors real lists have, and the truth.

A population of households is generated in DuckDB (fast enough for five million voters):
people share a household's surname, address, zip, sometimes a landline and an email. The
registered ones form the voter file. Members are drawn from the whole population, registered
or not, so many members have a relative in the voter file who is *not* them: the hard case
for precision. Each member row then gets the errors lists have, at ErrorRates:
typos, nicknames, swapped day and month, other birth-date slips, a missing birth date, a
move, a changed surname, shared household phone and email, and different formatting.
Everything is seeded: the same arguments give the same lists.

Places. Zip codes are grouped into cities of ZIPS_PER_CITY consecutive zips; the voter file
always has the city (res_city), a member row only when ErrorRates.city_given says so (the
original benchmark lists had none). Where a mover goes is ErrorRates' choice too: by default
half keep their zip and the rest pick a new zip anywhere in the state, uniformly, which is
harsher than real moves (about three in five American moves stay within the county, Census
CPS); `moved_within_city` keeps that share of the zip-changers in their city.
"""

import random
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
from nicknames import NickNamer

from powerbase.identity.linkage import fictional_names as words

REGISTERED_SHARE = 0.88
PEOPLE_PER_HOUSEHOLD = 2.4
VOTERS_PER_ZIP = 5000
ZIP_BASE = 6000  # the first zip code, 06000
ZIPS_PER_CITY = 5
CITY_SUFFIXES = ("ton", "ville", "field", "burg", "wood", "ford")
REFERENCE_YEAR = 2026

# How common American surnames are: the share of people whose surname is among the r
# commonest, (r, share), from the Census Bureau's 1990 surname list (dist.all.last: 88,799
# names covering 90.5% of people; Smith 1.0%). With `census_surnames` the population draws
# surnames along this curve (log-linear between the points) instead of the original lists'
# 55% common names and a flat tail of 2,257 fictional ones. Why: the original lists give
# surnames far too few holders' worth of variety. At ~500,000 voters (seed 7) they have
# 2,628 surnames, none held by one voter, and 53% of voters share first + last name with
# another voter; the same voters renamed from the Census frequencies have 53,280 surnames
# and 20% (bench/linkage_generator_audit.py). Namesakes are what keeps a member who moved
# and gave no birth date from being found, so the original lists overstate that case.
# First names were checked the same way and are about right (first name + birth date
# shared with another voter: 5.2% against 5.1%), so they are left alone.
CENSUS_SURNAME_CURVE = (
    (1, 0.01006), (2, 0.01816), (3, 0.02515), (4, 0.03136), (5, 0.03757), (6, 0.04237),
    (7, 0.04660), (8, 0.05000), (9, 0.05312), (10, 0.05623), (20, 0.08372), (50, 0.13714),
    (100, 0.18825), (200, 0.25195), (372, 0.31836), (500, 0.35175), (1000, 0.43388),
    (2000, 0.51960), (3000, 0.57036), (5000, 0.63234), (10000, 0.71104), (20000, 0.78039),
    (30000, 0.81669), (50000, 0.85925), (88799, 0.90483),
)  # fmt: skip
# Past the list (9.5% of people) names are rare: in 2000 about six million surnames held by
# fewer than 100 Americans each. Drawn uniformly from this many fictional ones.
CENSUS_RARE_SURNAMES = 6_000_000
SURNAME_SYLLABLES = ("ba", "de", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu", "va", "ze")


@dataclass(frozen=True)
class ErrorRates:
    """How often each kind of error touches a member row (independently of each other)."""

    nickname: float = 0.15  # of people whose name has a nickname
    first_name_typo: float = 0.04
    last_name_typo: float = 0.04
    surname_change: float = 0.06  # of women: a married or maiden name on one list
    birth_date_missing: float = 0.08
    day_month_swapped: float = 0.04  # when the day is 12 or less
    birth_date_slip: float = 0.02  # one digit of the day or year wrong
    moved: float = 0.15  # a new address; half of movers also change zip
    address_typo: float = 0.03  # a slip in the street name
    phone_missing: float = 0.2
    household_phone: float = 0.3  # of households with a landline: the member gives it
    email_missing: float = 0.35
    household_email: float = 0.3  # of households with a shared email: the member gives it
    accents: float = 0.5  # of names usually accented: written with accents
    # Places (see the module's docstring); both 0 gives the original benchmark lists.
    city_given: float = 0.0  # of member rows: the city is filled in
    moved_within_city: float = 0.0  # of movers who change zip: the new zip is in the city


# A realistic mover: half keep their zip, and of the rest 30% stay in the city, so 65% of
# movers stay in their city (a city here is smaller than a county); members give a city.
LOCAL_MOVES = ErrorRates(city_given=0.95, moved_within_city=0.3)


@dataclass(frozen=True)
class SyntheticLists:
    """A voter file, a member list and which voter (if any) each member is."""

    voters: pa.Table
    members: pa.Table
    # member_id, person_id, voter_id (null for an unregistered member), and whether the
    # member row has moved or changed surname (booleans)
    truth: pa.Table


@dataclass
class _Draw:
    """The seeded random choices that turn people into member rows."""

    rng: random.Random
    rates: ErrorRates
    zips: list[str]
    cities: dict[str, str]
    nicknamer: NickNamer = field(default_factory=NickNamer)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability


def build_synthetic_lists(
    *,
    voters: int,
    members: int,
    seed: int = 1,
    duplicate_share: float = 0.0,
    rates: ErrorRates | None = None,
) -> SyntheticLists:
    """Return a voter file of about *voters* rows and a list of *members* rows, in memory.

    *duplicate_share* of the members appear a second time (as if on a second affiliate's
    list), with errors of their own: the case deduplication must find.
    """
    con = duckdb.connect()
    try:
        create_population(con, voters=voters, seed=seed)
        voter_table = con.sql(VOTER_FILE_SQL).to_arrow_table()
        member_table, truth = draw_members(
            con, members=members, seed=seed, duplicate_share=duplicate_share, rates=rates
        )
    finally:
        con.close()
    return SyntheticLists(voters=voter_table, members=member_table, truth=truth)


def create_population(
    con: duckdb.DuckDBPyConnection, *, voters: int, seed: int, census_surnames: bool = False
) -> None:
    """Create a fictional population in *con*, about *voters* of them registered.

    *census_surnames* draws surnames as often as Americans hold them (CENSUS_SURNAME_CURVE)
    rather than from the original lists' short tail.

    Tables `synthetic_households` and `synthetic_people` hold everyone (and
    `synthetic_words` the word lists); view `synthetic_voters` has the registered people
    with a voter file's columns (voter_id, first_name, last_name, birth_date,
    res_street_address, zip_code, phone, email).
    """
    people = max(10, round(voters / REGISTERED_SHARE))
    households = max(4, round(people / PEOPLE_PER_HOUSEHOLD))
    zips = max(3, voters // VOTERS_PER_ZIP)
    _register_word_lists(con, seed)
    surname = _census_surname_sql if census_surnames else _surname_sql
    con.execute(_households_sql(seed=seed, households=households, zips=zips, surname=surname))
    con.execute("CREATE OR REPLACE TABLE synthetic_cities (zip VARCHAR, city VARCHAR)")
    con.executemany(
        "INSERT INTO synthetic_cities VALUES (?, ?)", list(_cities(_zip_codes(zips)).items())
    )
    con.execute(_people_sql(seed, surname=surname))
    con.execute(f"CREATE OR REPLACE VIEW synthetic_voters AS {VOTER_FILE_SQL}")


def draw_members(
    con: duckdb.DuckDBPyConnection,
    *,
    members: int,
    seed: int,
    duplicate_share: float = 0.0,
    rates: ErrorRates | None = None,
) -> tuple[pa.Table, pa.Table]:
    """Draw *members* member rows from `synthetic_people` in *con*; return (members, truth)."""
    rates = rates or ErrorRates()
    distinct = round(members / (1 + duplicate_share))
    people = (
        con.sql(f"""
        SELECT p.*, h.house_number, h.street, h.street_type, h.apartment, h.zip,
               h.landline, h.household_email
        FROM synthetic_people AS p JOIN synthetic_households AS h USING (household_id)
        ORDER BY {_uniform(seed, "person_id", "'member'")} LIMIT {distinct}
    """)  # noqa: S608
        .to_arrow_table()
        .to_pylist()
    )  # noqa: S608 - only our own table names
    zips = [
        row[0]
        for row in con.sql("SELECT DISTINCT zip FROM synthetic_households ORDER BY zip").fetchall()
    ]
    draw = _Draw(random.Random(seed), rates, zips, _cities(zips))
    rows = people + draw.rng.sample(people, members - len(people))
    draw.rng.shuffle(rows)
    member_rows, truth_rows = [], []
    for number, person in enumerate(rows, start=1):
        member_id = f"M{number:07d}"
        fields, kinds = _member_fields(person, draw)
        member_rows.append({"Member ID": member_id, **fields})
        truth_rows.append(
            {
                "member_id": member_id,
                "person_id": person["person_id"],
                "voter_id": person["voter_id"] if person["registered"] else None,
                **kinds,
            }
        )
    return pa.Table.from_pylist(member_rows), pa.Table.from_pylist(truth_rows)


VOTER_FILE_SQL = """
    SELECT p.voter_id, upper(p.first_name) AS first_name, upper(p.last_name) AS last_name,
           CAST(p.birth_date AS VARCHAR) AS birth_date,
           upper(h.house_number || ' ' || h.street || ' ' || h.street_type
                 || coalesce(' APT ' || h.apartment, '')) AS res_street_address,
           h.zip AS zip_code,
           CASE WHEN h.landline IS NOT NULL AND p.voter_phone_roll < 0.6 THEN h.landline
                WHEN p.voter_phone_roll < 0.45 THEN p.cell END AS phone,
           CASE WHEN p.voter_email_roll < 0.15 THEN p.email END AS email,
           upper(c.city) AS res_city
    FROM synthetic_people AS p JOIN synthetic_households AS h USING (household_id)
    JOIN synthetic_cities AS c ON c.zip = h.zip
    WHERE p.registered
    ORDER BY p.person_id
"""


def _zip_codes(zips: int) -> list[str]:
    return [f"{ZIP_BASE + number:05d}" for number in range(zips)]


def _cities(zip_codes: list[str]) -> dict[str, str]:
    return {code: city_of_zip(code) for code in zip_codes}


def city_of_zip(zip_code: str) -> str:
    """Return the city of a generated zip code: ZIPS_PER_CITY zips in a row share one."""
    names = [street + suffix for suffix in CITY_SUFFIXES for street in words.STREET_NAMES]
    return names[((int(zip_code) - ZIP_BASE) // ZIPS_PER_CITY) % len(names)].title()


def _uniform(seed: int, *parts: str) -> str:
    """SQL for a uniform number in [0, 1) determined by *seed* and *parts*.

    The parts are hashed as one string: DuckDB's many-argument hash combines the hashes of
    its arguments in a way that leaves draws sharing an argument correlated.
    """
    return f"((hash(concat_ws('/', {seed}, {', '.join(parts)})) >> 11) / 9007199254740992.0)"


def _skewed_index(seed: int, size: str, *parts: str, skew: float = 1.6) -> str:
    """SQL for an index in [0, size) where small indexes (common names) come up more often."""
    return f"CAST(floor({size} * pow({_uniform(seed, *parts)}, {skew})) AS INTEGER)"


def _register_word_lists(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Create `synthetic_words`: one row whose columns are the word lists, to index into."""
    rng = random.Random(seed)
    tail = sorted(
        {prefix + suffix for prefix in words.SURNAME_PREFIXES for suffix in words.SURNAME_SUFFIXES}
    )
    rng.shuffle(tail)
    con.execute(
        """
        CREATE OR REPLACE TABLE synthetic_words AS
        SELECT $female AS female_names, $male AS male_names, $common AS common_surnames,
               $tail AS tail_surnames, $streets AS streets, $types AS street_types,
               $domains AS domains, $area_codes AS area_codes, $syllables AS syllables
    """,
        {
            "female": list(dict.fromkeys(words.FEMALE_FIRST_NAMES)),
            "male": list(dict.fromkeys(words.MALE_FIRST_NAMES)),
            "common": list(dict.fromkeys(words.SURNAMES)),
            "tail": tail,
            "streets": list(dict.fromkeys(words.STREET_NAMES)),
            "types": list(words.STREET_TYPES),
            "domains": list(words.EMAIL_DOMAINS),
            "area_codes": list(words.AREA_CODES),
            "syllables": list(SURNAME_SYLLABLES),
        },
    )


def _pick(seed: int, word_list: str, *parts: str, skew: float | None = None) -> str:
    """SQL for a word from `w.<word_list>`: uniform, or favouring early (common) words."""
    size = f"len(w.{word_list})"
    if skew is None:
        index = f"CAST(floor({size} * {_uniform(seed, *parts)}) AS INTEGER)"
    else:
        index = _skewed_index(seed, size, *parts, skew=skew)
    return f"w.{word_list}[1 + {index}]"


def _surname_sql(seed: int, *parts: str) -> str:
    """SQL for a surname: usually a common one, otherwise one from the fictional long tail."""
    return (
        f"(CASE WHEN {_uniform(seed, *parts, "'which'")} < 0.55 "
        f"THEN {_pick(seed, 'common_surnames', *parts, skew=1.4)} "
        f"ELSE {_pick(seed, 'tail_surnames', *parts)} END)"
    )


def _census_surname_sql(seed: int, *parts: str) -> str:
    """SQL for a surname drawn along CENSUS_SURNAME_CURVE: the r-th commonest is the r-th
    common surname while the list lasts, then a fictional one (a tail name, plus a syllable
    or more past the tail's length, so every rank has a name of its own)."""
    u = _uniform(seed, *parts, "'census'")
    cases, previous_rank, previous_share = [], 0, 0.0
    for rank, share in CENSUS_SURNAME_CURVE:
        if rank == previous_rank + 1:
            cases.append(f"WHEN {u} < {share} THEN {rank}")
        else:
            low, high = previous_rank + 1, rank
            fraction = f"({u} - {previous_share}) / {share - previous_share}"
            cases.append(
                f"WHEN {u} < {share} THEN least({high}, greatest({low}, CAST(floor("
                f"exp(ln({low}) + {fraction} * ln({high} / {low}))) AS BIGINT)))"
            )
        previous_rank, previous_share = rank, share
    rare = f"({u} - {previous_share}) / {1 - previous_share}"
    rank_sql = (
        f"(CASE {' '.join(cases)} ELSE {previous_rank + 1} "
        f"+ CAST(floor({rare} * {CENSUS_RARE_SURNAMES}) AS BIGINT) END)"
    )
    common = "len(w.common_surnames)"
    index = f"({rank_sql} - {common} - 1)"  # 0-based, past the common names
    tail = "len(w.tail_surnames)"
    syllables = len(SURNAME_SYLLABLES)
    quotient = f"({index} // {tail})"
    extra = " || ".join(
        f"(CASE WHEN {quotient} >= {syllables**level} "
        f"THEN w.syllables[1 + ({quotient} // {syllables**level}) % {syllables}] ELSE '' END)"
        for level in range(4)
    )
    # Level 0 above reads "quotient >= 1": no syllable for the first pass through the tail.
    return (
        f"(CASE WHEN {rank_sql} <= {common} THEN w.common_surnames[{rank_sql}] "
        f"ELSE w.tail_surnames[1 + {index} % {tail}] || {extra} END)"
    )


def _phone_sql(seed: int, *parts: str) -> str:
    line = f"CAST(floor(2000000 + 7999999 * {_uniform(seed, *parts, "'line'")}) AS BIGINT)"
    return f"({_pick(seed, 'area_codes', *parts, "'area'")} || CAST({line} AS VARCHAR))"


def _households_sql(*, seed: int, households: int, zips: int, surname=None) -> str:
    surname = surname or _surname_sql
    u = lambda *parts: _uniform(seed, "h", *parts)  # noqa: E731 - a local shorthand
    return f"""
    CREATE OR REPLACE TABLE synthetic_households AS
    WITH base AS (
        SELECT h AS household_id,
            lpad(CAST({ZIP_BASE} + {_skewed_index(seed, str(zips), "h", "'zip'", skew=1.05)}
                      AS VARCHAR), 5, '0') AS zip,
            CAST(1 + floor(pow({u("'number'")}, 1.5) * 1500) AS INTEGER) AS house_number,
            {_pick(seed, "streets", "h", "'street'", skew=1.2)} AS street,
            {_pick(seed, "street_types", "h", "'type'", skew=1.5)} AS street_type,
            CASE WHEN {u("'apartment'")} < 0.2
                 THEN CAST(1 + floor({u("'apartment_number'")} * 30) AS INTEGER) END
                AS apartment,
            {surname(seed, "h", "'surname'")} AS surname,
            {u("'size'")} AS size_roll,
            CAST(18 + floor(pow({u("'age'")}, 1.15) * 72) AS INTEGER) AS head_age,
            CASE WHEN {u("'landline'")} < 0.45 THEN {_phone_sql(seed, "h", "'landline'")} END
                AS landline,
            CASE WHEN {u("'household_email'")} < 0.2 THEN {
        _pick(seed, "domains", "h", "'domain'")
    } END
                AS household_domain
        FROM range({households}) AS t(h), synthetic_words AS w
    )
    SELECT household_id, zip, house_number, street, street_type, apartment, surname,
        CASE WHEN size_roll < 0.28 THEN 1 WHEN size_roll < 0.62 THEN 2
             WHEN size_roll < 0.80 THEN 3 WHEN size_roll < 0.93 THEN 4 ELSE 5 END AS size,
        head_age, landline,
        'the' || surname || 's' || CAST(household_id % 997 AS VARCHAR) || '@'
            || household_domain AS household_email
    FROM base
    """  # noqa: S608 - only our own table names


def _people_sql(seed: int, surname=None) -> str:
    surname = surname or _surname_sql
    u = lambda *parts: _uniform(seed, "person_id", *parts)  # noqa: E731 - a local shorthand
    return f"""
    CREATE OR REPLACE TABLE synthetic_people AS
    WITH slots AS (
        SELECT h.household_id, k AS position, h.household_id * 8 + k AS person_id,
               h.surname, h.head_age
        FROM synthetic_households AS h, range(h.size) AS t(k)
    ), drawn AS (
        SELECT *,
            -- Partners are mostly of the other sex; everyone else at random.
            CASE WHEN position = 1
                 THEN ({_uniform(seed, "household_id", "'sex'")} < 0.5)
                      <> ({u("'same_sex'")} < 0.85)
                 ELSE {u("'sex'")} < 0.5 END AS female,
            CASE WHEN position = 0 THEN head_age
                 WHEN position = 1
                     THEN greatest(18, head_age + CAST(round(({u("'gap'")} - 0.5) * 10)
                                                       AS INTEGER))
                 WHEN head_age >= 45
                     THEN greatest(18, head_age - 20 - CAST(floor({u("'gap'")} * 15)
                                                            AS INTEGER))
                 ELSE head_age + 20 + CAST(floor({u("'gap'")} * 15) AS INTEGER) END AS age
        FROM slots
    ), named AS (
        SELECT drawn.*,
            CASE WHEN female THEN {_pick(seed, "female_names", "person_id", "'first'", skew=1.6)}
                 ELSE {_pick(seed, "male_names", "person_id", "'first'", skew=1.6)} END
                AS first_name,
            CASE WHEN position = 0 THEN surname
                 WHEN position = 1 AND {u("'own_surname'")} < 0.2
                     THEN {surname(seed, "person_id", "'own_surname'")}
                 WHEN position > 1 AND {u("'own_surname'")} < 0.1
                     THEN {surname(seed, "person_id", "'own_surname'")}
                 ELSE surname END AS last_name,
            make_date({REFERENCE_YEAR} - age, 1, 1)
                + CAST(floor({u("'birthday'")} * 365) AS INTEGER) AS birth_date,
            CASE WHEN {u("'cell'")} < 0.75 THEN {_phone_sql(seed, "person_id", "'cell'")} END
                AS cell,
            CASE WHEN {u("'email'")} < 0.6
                 THEN {_pick(seed, "domains", "person_id", "'domain'")} END AS email_domain,
            {u("'registered'")} < {REGISTERED_SHARE} AS registered,
            {u("'voter_phone'")} AS voter_phone_roll,
            {u("'voter_email'")} AS voter_email_roll
        FROM drawn, synthetic_words AS w
    )
    SELECT household_id, position, person_id, female, first_name, last_name, birth_date,
        cell,
        first_name || '.' || last_name || CAST(person_id % 89 AS VARCHAR) || '@'
            || email_domain AS email,
        registered, voter_phone_roll, voter_email_roll,
        'V' || lpad(CAST(person_id AS VARCHAR), 9, '0') AS voter_id
    FROM named
    """  # noqa: S608 - only our own table names


# Member rows: one person as an affiliate's list would hold them --------------------------


def _member_fields(person: dict, draw: _Draw) -> tuple[dict, dict]:
    """Return the member row, and which hard cases it is (moved, surname_changed)."""
    rates = draw.rates
    first = _first_name(person["first_name"], draw)
    last = person["last_name"]
    surname_changed = person["female"] and draw.chance(rates.surname_change)
    if surname_changed:
        last = draw.rng.choice(words.SURNAMES)
    if draw.chance(rates.last_name_typo):
        last = _typo(last, draw.rng)
    # In this order, so a seed gives the lists it always gave.
    written_first, written_last = _written_name(first, draw), _written_name(last, draw)
    birth_date = _birth_date(person["birth_date"], draw)
    residence, moved = _residence(person, draw)
    fields = {
        "First Name": written_first,
        "Last Name": written_last,
        "Date of Birth": birth_date,
        **residence,
        "Mobile": _phone(person, draw),
        "Email": _email(person, first, last, draw),
    }
    return fields, {
        "moved": moved,
        "surname_changed": surname_changed and last != person["last_name"],
    }


def _first_name(name: str, draw: _Draw) -> str:
    nicknames = sorted(draw.nicknamer.nicknames_of(name))
    if nicknames and draw.chance(draw.rates.nickname):
        name = draw.rng.choice(nicknames)
    if draw.chance(draw.rates.first_name_typo):
        name = _typo(name, draw.rng)
    return name


def _written_name(name: str, draw: _Draw) -> str:
    if name in words.ACCENTED and draw.chance(draw.rates.accents):
        return words.ACCENTED[name]
    return name.upper() if draw.chance(0.1) else name.title()


def _typo(word: str, rng: random.Random) -> str:
    """Return *word* with one slip of the keyboard: a wrong, dropped, doubled or swapped letter."""
    if len(word) < 3:
        return word + rng.choice("aeiou")
    position = rng.randrange(1, len(word))
    kind = rng.choice(("wrong", "dropped", "doubled", "swapped"))
    if kind == "wrong":
        return word[:position] + rng.choice("abcdefghiklmnoprstuy") + word[position + 1 :]
    if kind == "dropped":
        return word[:position] + word[position + 1 :]
    if kind == "doubled":
        return word[:position] + word[position] + word[position:]
    position = min(position, len(word) - 2)
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


def _birth_date(date, draw: _Draw) -> str | None:
    rates = draw.rates
    if draw.chance(rates.birth_date_missing):
        return None
    year, month, day = date.year, date.month, date.day
    if day <= 12 and day != month and draw.chance(rates.day_month_swapped):
        month, day = day, month
    elif draw.chance(rates.birth_date_slip):
        if draw.rng.random() < 0.5:
            year += draw.rng.choice((-1, 1))
        else:
            day = day + 1 if day < 28 else day - 1
    if draw.chance(0.8):
        return f"{month}/{day}/{year}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _residence(person: dict, draw: _Draw) -> tuple[dict, bool]:
    number, street, street_type = person["house_number"], person["street"], person["street_type"]
    apartment, zip_code = person["apartment"], person["zip"]
    moved = draw.chance(draw.rates.moved)
    if moved:
        number = draw.rng.randrange(1, 1500)
        street = draw.rng.choice(words.STREET_NAMES)
        street_type = draw.rng.choice(words.STREET_TYPES)
        apartment = draw.rng.randrange(1, 30) if draw.chance(0.2) else None
        if draw.chance(0.5):
            zip_code = _new_zip(zip_code, draw)
    if draw.chance(draw.rates.address_typo):
        street = _typo(street, draw.rng)
    spelled = words.STREET_TYPE_WORDS[street_type] if draw.chance(0.5) else street_type.title()
    address = f"{number} {street.title()} {spelled}"
    if apartment is not None:
        address += draw.rng.choice((f" Apt {apartment}", f" #{apartment}", f", Unit {apartment}"))
    # Spreadsheets drop the leading zero of a zip code.
    written_zip = zip_code.lstrip("0") if draw.chance(0.2) else zip_code
    residence = {"Street Address": address, "Zip Code": written_zip}
    if draw.rates.city_given:  # only then, so a seed gives the lists it always gave
        residence["City"] = draw.cities[zip_code] if draw.chance(draw.rates.city_given) else None
    return residence, moved


def _new_zip(zip_code: str, draw: _Draw) -> str:
    """Return where a mover who changes zip goes: anywhere, or (some) within their city."""
    if draw.rates.moved_within_city and draw.chance(draw.rates.moved_within_city):
        city = draw.cities[zip_code]
        nearby = [other for other in draw.zips if draw.cities[other] == city and other != zip_code]
        if nearby:
            return draw.rng.choice(nearby)
    return draw.rng.choice(draw.zips)


def _phone(person: dict, draw: _Draw) -> str | None:
    rates = draw.rates
    if draw.chance(rates.phone_missing):
        return None
    if person["landline"] and draw.chance(rates.household_phone):
        digits = person["landline"]
    elif person["cell"]:
        digits = person["cell"]
    else:
        digits = f"{draw.rng.choice(words.AREA_CODES)}{draw.rng.randrange(2000000, 9999999)}"
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return draw.rng.choice(
        (
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            digits,
            f"+1 {area} {exchange} {line}",
        )
    )


def _email(person: dict, first: str, last: str, draw: _Draw) -> str | None:
    rates = draw.rates
    if draw.chance(rates.email_missing):
        return None
    if person["household_email"] and draw.chance(rates.household_email):
        return person["household_email"]
    if person["email"]:
        return person["email"] if draw.chance(0.8) else person["email"].upper()
    domain = draw.rng.choice(words.EMAIL_DOMAINS)
    return f"{first[0]}{last}{draw.rng.randrange(1, 99)}@{domain}"
