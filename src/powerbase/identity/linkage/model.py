"""The Fellegi-Sunter model: what is compared, which pairs are scored, how weights are trained.

Each comparison sorts a pair of records into one level (exact, nickname, close, ...); each
level has an m probability (how often true matches land there) and a u probability (how
often unrelated people do), and log2(m/u) is the weight it adds to the pair's score. u comes
from random pairs, m from expectation maximisation (EM) on blocked pairs.

Shared households. Spouses, parents and grown children share a last name, an address, often a
landline and sometimes an email. Were those fields scored on their own, a household member
would outscore the prior and be linked. So address, zip, phone and email only count when the
first names are compatible (equal, nickname-equivalent or close in spelling): between two
different people of one household they fall into the "differs" level. Name and birth date
are what tell household members apart, and they are what a surname change leaves intact.
"""

from dataclasses import dataclass
from enum import StrEnum

from splink import block_on

# How much of a name's rarity counts (Splink's tf_adjustment_weight): all of it. Half was
# tried: it keeps more year-only movers with common names but offers more namesakes
# (docs/performance.md).
TERM_FREQUENCY_WEIGHT = 1.0

# Two first names that could belong to the same person.
# A first name missing on one side does not stop the other fields counting.
COMPATIBLE_FIRST_NAMES = (
    "(first_name_l IS NULL OR first_name_r IS NULL OR first_name_l = first_name_r"
    " OR first_name_l = last_name_r"
    " OR list_contains(first_family_l, first_name_r)"
    " OR jaro_winkler_similarity(first_name_l, first_name_r) >= 0.88)"
)


class Agreement(StrEnum):
    """How a level reads to a reviewer."""

    AGREES = "agrees"
    PARTLY = "partly agrees"
    DIFFERS = "differs"
    MISSING = "missing"


@dataclass(frozen=True)
class Level:
    """One outcome of a comparison: a SQL condition over `_l`/`_r` columns, in plain words.

    `m` is where EM starts, and what stays when a list is too small for EM to run: the share
    of true matches expected at this level, set by hand from runs on synthetic lists and
    leaning towards the errors real lists have.
    """

    sql: str
    label: str
    agreement: Agreement
    m: float | None = None
    # Columns whose exact agreement in a random pair bounds this level's u from below. A
    # level gated on compatible first names (same zip AND a compatible first name) would
    # otherwise count the first name twice: once in its own comparison, once in a u made
    # small by the gate.
    u_at_least_agreeing_on: tuple[str, ...] = ()
    # A column whose values' frequency adjusts this level's weight: two records agreeing on
    # a name few people have count for more than two agreeing on a common one.
    term_frequency: str | None = None


@dataclass(frozen=True)
class Comparison:
    """One field-by-field comparison; its levels are tried in order, the last is 'else'."""

    name: str
    title: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]

    def splink(self) -> dict:
        """Return the comparison as a Splink settings dictionary."""
        return {
            "output_column_name": self.name,
            "comparison_description": self.title,
            "comparison_levels": [
                {
                    "sql_condition": level.sql,
                    "label_for_charts": level.label,
                    **({"is_null_level": True} if level.agreement is Agreement.MISSING else {}),
                    **({"m_probability": level.m} if level.m is not None else {}),
                    **(
                        {
                            "tf_adjustment_column": level.term_frequency,
                            "tf_adjustment_weight": TERM_FREQUENCY_WEIGHT,
                        }
                        if level.term_frequency
                        else {}
                    ),
                }
                for level in self.levels
            ],
        }


def _missing(*columns: str) -> Level:
    sql = " OR ".join(f"{column}_l IS NULL OR {column}_r IS NULL" for column in columns)
    return Level(sql, "missing on one side", Agreement.MISSING)


ELSE = "ELSE"

FIRST_NAME = Comparison(
    "first_name",
    "First name",
    ("first_name",),
    (
        _missing("first_name"),
        Level(
            "first_name_l = first_name_r",
            "same",
            Agreement.AGREES,
            m=0.85,
            term_frequency="first_name",
        ),
        Level(
            "list_contains(first_family_l, first_name_r)",
            "nickname (e.g. Bill and William)",
            Agreement.AGREES,
            m=0.07,
        ),
        Level(
            "jaro_winkler_similarity(first_name_l, first_name_r) >= 0.92",
            "nearly the same spelling",
            Agreement.PARTLY,
            m=0.04,
        ),
        # Forms and clerks swap the two name fields more often than chance makes them equal.
        Level("first_name_l = last_name_r", "written as the last name", Agreement.AGREES, m=0.01),
        Level(
            "jaro_winkler_similarity(first_name_l, first_name_r) >= 0.8",
            "similar spelling",
            Agreement.PARTLY,
            m=0.02,
        ),
        Level(ELSE, "different", Agreement.DIFFERS, m=0.02),
    ),
)

LAST_NAME = Comparison(
    "last_name",
    "Last name",
    ("last_name",),
    (
        _missing("last_name"),
        Level(
            "last_name_l = last_name_r",
            "same",
            Agreement.AGREES,
            m=0.9,
            term_frequency="last_name",
        ),
        Level(
            "jaro_winkler_similarity(last_name_l, last_name_r) >= 0.92",
            "nearly the same spelling",
            Agreement.PARTLY,
            m=0.03,
        ),
        Level("last_name_l = first_name_r", "written as the first name", Agreement.AGREES, m=0.01),
        Level(
            "levenshtein(last_name_l, last_name_r) <= 2"
            " OR jaro_winkler_similarity(last_name_l, last_name_r) >= 0.8",
            "similar spelling",
            Agreement.PARTLY,
            m=0.01,
        ),
        Level(ELSE, "different (a changed surname looks like this)", Agreement.DIFFERS, m=0.06),
    ),
)

DATE_OF_BIRTH = Comparison(
    "dob",
    "Date of birth",
    ("dob",),
    (
        _missing("dob"),
        Level("dob_l = dob_r", "same", Agreement.AGREES, m=0.92),
        Level("dob_swapped_l = dob_r", "day and month swapped", Agreement.PARTLY, m=0.02),
        Level("levenshtein(dob_l, dob_r) <= 1", "one digit off", Agreement.PARTLY, m=0.03),
        Level(
            "abs(date_diff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE))) <= 366",
            "within a year",
            Agreement.PARTLY,
            m=0.01,
        ),
        # Anything further apart is a different person far more often than a slip of the pen:
        # kept as one level so that a parent and a child of the same name score low.
        Level(ELSE, "more than a year apart", Agreement.DIFFERS, m=0.02),
    ),
)

# Used only where a full date is missing on one side or both: North Carolina publishes the
# birth year alone. Where both dates are known, the comparison above has said it all.
BIRTH_YEAR = Comparison(
    "birth_year",
    "Birth year",
    ("birth_year",),
    (
        Level(
            "birth_year_l IS NULL OR birth_year_r IS NULL"
            " OR (dob_l IS NOT NULL AND dob_r IS NOT NULL)",
            "missing, or compared as full dates",
            Agreement.MISSING,
        ),
        Level("birth_year_l = birth_year_r", "same year", Agreement.AGREES, m=0.92),
        Level("abs(birth_year_l - birth_year_r) = 1", "one year apart", Agreement.PARTLY, m=0.04),
        Level(ELSE, "more than a year apart", Agreement.DIFFERS, m=0.04),
    ),
)

RESIDENCE = Comparison(
    "residence",
    "Address and zip",
    ("address", "zip"),
    (
        Level(
            "(address_l IS NULL OR address_r IS NULL) AND (zip_l IS NULL OR zip_r IS NULL)",
            "missing on one side",
            Agreement.MISSING,
        ),
        Level(
            f"address_l = address_r AND {COMPATIBLE_FIRST_NAMES}",
            "same address",
            Agreement.AGREES,
            m=0.75,
            u_at_least_agreeing_on=("address",),
        ),
        Level(
            "split_part(address_l, ' ', 1) = split_part(address_r, ' ', 1)"
            " AND jaro_winkler_similarity(address_l, address_r) >= 0.88"
            f" AND {COMPATIBLE_FIRST_NAMES}",
            "nearly the same address",
            Agreement.AGREES,
            m=0.03,
        ),
        Level(
            f"zip_l = zip_r AND {COMPATIBLE_FIRST_NAMES}",
            "same zip, different address",
            Agreement.PARTLY,
            m=0.07,
            u_at_least_agreeing_on=("zip",),
        ),
        Level(ELSE, "different (or shared by a different first name)", Agreement.DIFFERS, m=0.15),
    ),
)


def _shared_by_households(
    column: str, m_same: float, *nearly: Level, missing: Level | None = None
) -> Comparison:
    """Return the comparison of a field a household shares (city, phone, email): it counts
    only between compatible first names (see the module's docstring). What is not the same
    (or *nearly* so) differs, with the rest of m."""
    m_different = round(1 - m_same - sum(level.m or 0 for level in nearly), 2)
    return Comparison(
        column,
        column.capitalize(),
        (column,),
        (
            missing or _missing(column),
            Level(
                f"{column}_l = {column}_r AND {COMPATIBLE_FIRST_NAMES}",
                "same",
                Agreement.AGREES,
                m=m_same,
                u_at_least_agreeing_on=(column,),
            ),
            *nearly,
            Level(
                ELSE,
                "different (or shared by a different first name)",
                Agreement.DIFFERS,
                m=m_different,
            ),
        ),
    )


# The city counts only where the zips differ (or one is missing): a zip implies its city, so
# between two records of one zip the city says nothing the address and zip have not, and a
# member who moved to another city would otherwise lose weight twice, once for the zip and
# once for the city. Its m is then that of true pairs with different zips, mostly movers:
# about half of whom stay in their city.
CITY = _shared_by_households(
    "city",
    0.5,
    Level(
        f"jaro_winkler_similarity(city_l, city_r) >= 0.9 AND {COMPATIBLE_FIRST_NAMES}",
        "nearly the same spelling",
        Agreement.PARTLY,
        m=0.05,
    ),
    missing=Level(
        "city_l IS NULL OR city_r IS NULL OR zip_l = zip_r",
        "missing, or the same zip (which says it)",
        Agreement.MISSING,
    ),
)
PHONE = _shared_by_households("phone", 0.55)
EMAIL = _shared_by_households("email", 0.85)

PERSONAL_ID = Comparison(
    "personal_id",
    "Personal id",
    ("personal_id",),
    (
        _missing("personal_id"),
        Level("personal_id_l = personal_id_r", "same", Agreement.AGREES, m=0.9),
        Level(
            "levenshtein(personal_id_l, personal_id_r) <= 1",
            "one character off",
            Agreement.PARTLY,
            m=0.05,
        ),
        Level(
            "levenshtein(personal_id_l, personal_id_r) <= 2",
            "two characters off",
            Agreement.PARTLY,
            m=0.02,
        ),
        Level(ELSE, "different", Agreement.DIFFERS, m=0.03),
    ),
)

COMPARISONS: tuple[Comparison, ...] = (
    FIRST_NAME,
    LAST_NAME,
    DATE_OF_BIRTH,
    BIRTH_YEAR,
    RESIDENCE,
    CITY,
    PHONE,
    EMAIL,
    PERSONAL_ID,
)
EXTRA_PREFIX = "x_"
# Marks, among the available columns, that some record has a birth year and no full date.
YEAR_ONLY = "year_only"


def shared_column_comparison(name: str) -> Comparison:
    """Return the comparison of a column both sources share that no field claims (x_state).

    Its levels say only whether the values are equal, nearly equal or different; EM learns
    how much each counts on the data, so a column that tells people apart weighs, and one
    that does not (a state everyone shares) weighs nothing.
    """
    column = name
    title = name.removeprefix(EXTRA_PREFIX).replace("_", " ").capitalize()
    return Comparison(
        name,
        title,
        (column,),
        (
            _missing(column),
            Level(f"{column}_l = {column}_r", "same", Agreement.AGREES, m=0.7),
            Level(
                f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.9",
                "nearly the same",
                Agreement.PARTLY,
                m=0.1,
            ),
            Level(ELSE, "different", Agreement.DIFFERS, m=0.2),
        ),
    )


def comparison_named(name: str) -> Comparison:
    """Return the comparison a trained model calls *name*."""
    known = {comparison.name: comparison for comparison in COMPARISONS}
    return known[name] if name in known else shared_column_comparison(name)


@dataclass(frozen=True)
class BlockingRule:
    """Pairs are scored only if they agree on these columns (all of them)."""

    columns: tuple[str, ...]
    sql: str | None = None
    # Left out when these columns are available too: a tighter rule then does the work.
    unless: tuple[str, ...] = ()

    def splink(self):
        if self.sql is not None:
            return {"blocking_rule": self.sql}
        return block_on(*self.columns)


# Together these find nearly every true pair with a few candidates per record: whatever one
# error breaks (a typo, a nickname, a move, a missing or garbled birth date, a new surname),
# another rule still holds.
BLOCKING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(("first_name", "last_name")),
    BlockingRule(("last_name", "dob")),
    BlockingRule(("first_name", "dob")),
    BlockingRule(("dob", "zip")),
    BlockingRule(("last_name", "zip")),
    BlockingRule(("address", "zip")),
    BlockingRule(("phone",)),
    BlockingRule(("email",)),
    BlockingRule(("personal_id",)),
    BlockingRule(
        ("last_name", "dob_swapped", "dob"),
        sql="l.last_name = r.last_name AND l.dob_swapped = r.dob",
    ),
    # A nickname and a birth date: Shelly, born 4 November 1956, who has married and moved
    # since she registered as Michelle. (By birth date, then the family of the name.)
    BlockingRule(
        ("dob", "first_family", "first_name"),
        sql="l.dob = r.dob AND list_contains(l.first_family, r.first_name)",
    ),
    # Where only a year is known, name + year stands in for name + date: a member who moved
    # and married is still found by first name and year (and by phone or email).
    BlockingRule(("last_name", "birth_year"), unless=("dob",)),
    BlockingRule(("first_name", "birth_year"), unless=("dob",)),
)

# Rules that admit almost no false matches, to estimate how many pairs match at all: the
# first one both sources can use is used.
DETERMINISTIC_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(("first_name", "last_name", "dob")),
    BlockingRule(("first_name", "last_name", "address")),
    BlockingRule(("first_name", "last_name", "phone")),
    BlockingRule(("first_name", "last_name", "email")),
    BlockingRule(("first_name", "last_name", "personal_id")),
    BlockingRule(("first_name", "last_name", "birth_year", "zip")),
    BlockingRule(("first_name", "last_name", "zip")),
)
# Blocking for the EM sessions: each comparison is estimated in at least one of them.
EM_TRAINING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(("dob",)),
    BlockingRule(("birth_year", "zip"), unless=("dob",)),
    BlockingRule(("first_name", "last_name")),
)


def usable(columns: tuple[str, ...], available: set[str]) -> bool:
    """Return whether every normalised column in *columns* has values on both sides."""
    return all(column in available for column in columns)


def comparisons_for(available: set[str]) -> list[Comparison]:
    """Return the comparisons that can say something given the *available* columns."""
    known = [
        comparison
        for comparison in COMPARISONS
        if any(column in available for column in comparison.columns)
    ]
    if YEAR_ONLY not in available:
        # Every year comes from a full date: the year says nothing the date has not.
        known = [comparison for comparison in known if comparison is not BIRTH_YEAR]
    extras = sorted(column for column in available if column.startswith(EXTRA_PREFIX))
    return known + [shared_column_comparison(column) for column in extras]


def rules_for(rules: tuple[BlockingRule, ...], available: set[str]) -> list[BlockingRule]:
    """Return the rules of *rules* whose columns are all *available* (and `unless` not)."""
    return [
        rule
        for rule in rules
        if usable(rule.columns, available) and not (rule.unless and usable(rule.unless, available))
    ]


def splink_settings(link_type: str, available: set[str]) -> dict:
    """Return the Splink settings dictionary for a *link_type* run over *available* columns."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [comparison.splink() for comparison in comparisons_for(available)],
        "blocking_rules_to_generate_predictions": [
            rule.splink() for rule in rules_for(BLOCKING_RULES, available)
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.001,
        "max_iterations": 20,
    }
