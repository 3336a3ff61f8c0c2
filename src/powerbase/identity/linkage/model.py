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

# Two first names that could belong to the same person.
COMPATIBLE_FIRST_NAMES = (
    "(first_name_l = first_name_r"
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
                {"sql_condition": level.sql, "label_for_charts": level.label,
                 **({"is_null_level": True} if level.agreement is Agreement.MISSING else {}),
                 **({"m_probability": level.m} if level.m is not None else {})}
                for level in self.levels
            ],
        }


def _missing(*columns: str) -> Level:
    sql = " OR ".join(f"{column}_l IS NULL OR {column}_r IS NULL" for column in columns)
    return Level(sql, "missing on one side", Agreement.MISSING)


ELSE = "ELSE"

FIRST_NAME = Comparison("first_name", "First name", ("first_name",), (
    _missing("first_name"),
    Level("first_name_l = first_name_r", "same", Agreement.AGREES, m=0.85),
    Level("list_contains(first_family_l, first_name_r)", "nickname (e.g. Bill and William)",
          Agreement.AGREES, m=0.07),
    Level("jaro_winkler_similarity(first_name_l, first_name_r) >= 0.92",
          "nearly the same spelling", Agreement.PARTLY, m=0.04),
    Level("jaro_winkler_similarity(first_name_l, first_name_r) >= 0.8",
          "similar spelling", Agreement.PARTLY, m=0.02),
    Level(ELSE, "different", Agreement.DIFFERS, m=0.02),
))

LAST_NAME = Comparison("last_name", "Last name", ("last_name",), (
    _missing("last_name"),
    Level("last_name_l = last_name_r", "same", Agreement.AGREES, m=0.9),
    Level("jaro_winkler_similarity(last_name_l, last_name_r) >= 0.92",
          "nearly the same spelling", Agreement.PARTLY, m=0.03),
    Level("levenshtein(last_name_l, last_name_r) <= 2"
          " OR jaro_winkler_similarity(last_name_l, last_name_r) >= 0.8",
          "similar spelling", Agreement.PARTLY, m=0.01),
    Level(ELSE, "different (a changed surname looks like this)", Agreement.DIFFERS, m=0.06),
))

DATE_OF_BIRTH = Comparison("dob", "Date of birth", ("dob",), (
    _missing("dob"),
    Level("dob_l = dob_r", "same", Agreement.AGREES, m=0.92),
    Level("dob_swapped_l = dob_r", "day and month swapped", Agreement.PARTLY, m=0.02),
    Level("levenshtein(dob_l, dob_r) <= 1", "one digit off", Agreement.PARTLY, m=0.03),
    Level("abs(date_diff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE))) <= 366",
          "within a year", Agreement.PARTLY, m=0.01),
    # Anything further apart is a different person far more often than a slip of the pen:
    # kept as one level so that a parent and a child of the same name score low.
    Level(ELSE, "more than a year apart", Agreement.DIFFERS, m=0.02),
))

RESIDENCE = Comparison("residence", "Address and zip", ("address", "zip"), (
    Level("(address_l IS NULL OR address_r IS NULL) AND (zip_l IS NULL OR zip_r IS NULL)",
          "missing on one side", Agreement.MISSING),
    Level(f"address_l = address_r AND {COMPATIBLE_FIRST_NAMES}", "same address",
          Agreement.AGREES, m=0.75),
    Level("split_part(address_l, ' ', 1) = split_part(address_r, ' ', 1)"
          " AND jaro_winkler_similarity(address_l, address_r) >= 0.88"
          f" AND {COMPATIBLE_FIRST_NAMES}", "nearly the same address", Agreement.AGREES, m=0.03),
    Level(f"zip_l = zip_r AND {COMPATIBLE_FIRST_NAMES}", "same zip, different address",
          Agreement.PARTLY, m=0.07),
    Level(ELSE, "different (or shared by a different first name)", Agreement.DIFFERS, m=0.15),
))

PHONE = Comparison("phone", "Phone", ("phone",), (
    _missing("phone"),
    Level(f"phone_l = phone_r AND {COMPATIBLE_FIRST_NAMES}", "same", Agreement.AGREES, m=0.55),
    Level(ELSE, "different (or shared by a different first name)", Agreement.DIFFERS, m=0.45),
))

EMAIL = Comparison("email", "Email", ("email",), (
    _missing("email"),
    Level(f"email_l = email_r AND {COMPATIBLE_FIRST_NAMES}", "same", Agreement.AGREES, m=0.85),
    Level(ELSE, "different (or shared by a different first name)", Agreement.DIFFERS, m=0.15),
))

COMPARISONS: tuple[Comparison, ...] = (FIRST_NAME, LAST_NAME, DATE_OF_BIRTH, RESIDENCE, PHONE,
                                       EMAIL)


@dataclass(frozen=True)
class BlockingRule:
    """Pairs are scored only if they agree on these columns (all of them)."""

    columns: tuple[str, ...]
    sql: str | None = None

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
    BlockingRule(("last_name", "dob_swapped", "dob"),
                 sql="l.last_name = r.last_name AND l.dob_swapped = r.dob"),
)

# Rules that admit almost no false matches, to estimate how many pairs match at all: the
# first one both sources can use is used.
DETERMINISTIC_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(("first_name", "last_name", "dob")),
    BlockingRule(("first_name", "last_name", "address")),
    BlockingRule(("first_name", "last_name", "phone")),
    BlockingRule(("first_name", "last_name", "email")),
    BlockingRule(("first_name", "last_name", "zip")),
)
# Blocking for the EM sessions: each comparison is estimated in at least one of them.
EM_TRAINING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(("dob",)),
    BlockingRule(("first_name", "last_name")),
)


def usable(columns: tuple[str, ...], available: set[str]) -> bool:
    """Return whether every normalised column in *columns* has values on both sides."""
    return all(column in available for column in columns)


def comparisons_for(available: set[str]) -> list[Comparison]:
    """Return the comparisons that can say something given the *available* columns."""
    return [comparison for comparison in COMPARISONS
            if any(column in available for column in comparison.columns)]


def rules_for(rules: tuple[BlockingRule, ...], available: set[str]) -> list[BlockingRule]:
    """Return the rules of *rules* whose columns are all *available*."""
    return [rule for rule in rules if usable(rule.columns, available)]


def splink_settings(link_type: str, available: set[str]) -> dict:
    """Return the Splink settings dictionary for a *link_type* run over *available* columns."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [comparison.splink() for comparison in comparisons_for(available)],
        "blocking_rules_to_generate_predictions": [
            rule.splink() for rule in rules_for(BLOCKING_RULES, available)],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.001,
        "max_iterations": 20,
    }
