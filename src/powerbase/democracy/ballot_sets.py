"""The published ballot set: the CSV file a count is made from, and how to recount it.

A vote is counted from the very file that is published, read back by the same reader
`powerbase tally` uses, so a recount of the download with the printed command gives the same
record. Rows come in the ballots' random `sort_key` order; a `receipt` column lets a voter find
their own ballot (the tally reader ignores it).

    receipt,rank1,rank2,rank3,weight
    H3K9W2QXRM,Ana,Bo,,1
    ,Cy,,,1                         a paper ballot: no receipt
"""

import csv
import dataclasses
import hashlib
import io
import shlex
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from powerbase.core.exceptions import InvalidInput
from powerbase.democracy.models import CastBallot, Vote
from powerbase.democracy.tabulation import (
    CountResult,
    Rules,
    TabulationError,
    read_ballots_csv,
    tabulate,
)
from powerbase.democracy.tabulation.ballots import RESERVED_NAMES
from powerbase.democracy.tabulation.cdf_export import write_cdf_json
from powerbase.democracy.tabulation.threshold import CHOICES

# The counting options a vote may set, with their defaults; everything else is the engine's.
OPTION_DEFAULTS = {
    "tiebreak": "candidate-order",
    "required": "majority",
    "share_of": "cast",
    "abstentions_count": False,
    "max_rankings": None,
}


def candidate_names(vote: Vote) -> list[str]:
    """Return the ballot's choices in order: the candidates, or yes/no/abstain."""
    if vote.is_question:
        return list(CHOICES)
    return [c.name for c in vote.candidates.all()]


def options(vote: Vote) -> dict:
    """Return the vote's counting options with defaults filled in."""
    return {**OPTION_DEFAULTS, **(vote.options or {})}


def rules_for(
    vote: Vote, electorate_weight: Decimal | None = None, *, with_candidates: bool = True
) -> Rules:
    """Return the engine's Rules for *vote*; raise InvalidInput if they do not make sense.

    *electorate_weight* (the total weight of the voter roll) is needed when a question's
    threshold is a share of the electorate. Without candidates (a vote not yet saved), only
    the options are checked.
    """
    chosen = options(vote)
    names = tuple(candidate_names(vote)) if with_candidates and not vote.is_question else None
    try:
        mode, seed = Rules.parse_tiebreak(chosen["tiebreak"])
        return Rules(
            seats=vote.seats,
            candidates=names,
            tiebreak=mode,
            random_seed=seed,
            max_rankings=chosen["max_rankings"],
            required=chosen["required"],
            share_of=chosen["share_of"],
            abstentions_count=bool(chosen["abstentions_count"]),
            electorate=electorate_weight if chosen["share_of"] == "electorate" else None,
        )
    except TabulationError as error:
        raise InvalidInput(str(error)) from None


def check_rules(vote: Vote) -> None:
    """Raise InvalidInput now for rules the count would refuse later (e.g. IRV for 3 seats).

    The engine counts an empty ballot box with stand-in candidates, so every check it makes of
    the rules runs while the vote can still be changed.
    """
    rules = rules_for(vote, Decimal(1), with_candidates=False)
    if not vote.is_question:
        stand_ins = tuple(f"Candidate {n}" for n in range(1, vote.seats + 2))
        rules = dataclasses.replace(rules, candidates=stand_ins)
    try:
        tabulate(vote.method, [], rules)
    except TabulationError as error:
        raise InvalidInput(str(error)) from None


def check_candidate_name(name: str) -> str:
    """Return *name* stripped, or raise InvalidInput if a ballot file could not hold it."""
    name = name.strip()
    if not name:
        raise InvalidInput("A candidate needs a name.")
    if "|" in name:
        raise InvalidInput(
            f"'{name}' contains '|', which ballot files use between names at "
            "one rank; write it without."
        )
    if name.casefold() in RESERVED_NAMES or name.casefold() in CHOICES:
        raise InvalidInput(
            f"'{name}' is a word ballot files use on their own; choose another name."
        )
    return name


def ballot_csv(vote: Vote, ballots: list[CastBallot]) -> str:
    """Return the ballot file of *ballots* (already in published order)."""
    ranks = max([len(ballot.marks) for ballot in ballots] + [1])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["receipt", *(f"rank{n}" for n in range(1, ranks + 1)), "weight"])
    for ballot in ballots:
        cells = ["|".join(mark) for mark in ballot.marks]
        cells += [""] * (ranks - len(cells))
        writer.writerow([ballot.receipt or "", *cells, _plain(ballot.weight)])
    return out.getvalue()


def count_file(vote: Vote, text: str, electorate_weight: Decimal) -> CountResult:
    """Count the ballot file *text* exactly as `powerbase tally` would."""
    rules = rules_for(vote, electorate_weight)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ballots.csv"
        path.write_text(text, encoding="utf-8")
        try:
            if vote.is_question:
                read = read_ballots_csv(path, candidates=CHOICES, ignore_case=True)
            else:
                read = read_ballots_csv(path, candidates=rules.candidates)
            return tabulate(vote.method, read.ballots, rules)
        except TabulationError as error:
            raise InvalidInput(f"The ballots could not be counted: {error}") from None


def ballot_cdf_json(vote: Vote, text: str) -> str:
    """Return the published ballot file *text* as NIST CDF JSON, which RCTab also reads."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ballots.csv"
        path.write_text(text, encoding="utf-8")
        out = io.StringIO()
        try:
            write_cdf_json(
                read_ballots_csv(path).ballots,
                out,
                contest=str(vote),
                candidates=candidate_names(vote),
            )
        except TabulationError as error:
            raise InvalidInput(f"The ballots could not be exported: {error}") from None
    return out.getvalue()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tally_command(vote: Vote, electorate_weight: Decimal, file_name: str = "ballots.csv") -> str:
    """Return the `powerbase tally` command line that recounts the published file."""
    chosen = options(vote)
    parts = ["powerbase", "tally", file_name, "--method", vote.method]
    if vote.seats != 1:
        parts += ["--seats", str(vote.seats)]
    if vote.is_question:
        parts += ["--required", chosen["required"], "--of", chosen["share_of"]]
        if chosen["share_of"] == "electorate":
            parts += ["--electorate", _plain(electorate_weight)]
        if chosen["abstentions_count"]:
            parts.append("--count-abstentions")
    else:
        parts += ["--candidates", "|".join(candidate_names(vote))]
        if chosen["max_rankings"]:
            parts += ["--max-rankings", str(chosen["max_rankings"])]
    if chosen["tiebreak"] != OPTION_DEFAULTS["tiebreak"]:
        parts += ["--tiebreak", chosen["tiebreak"]]
    return shlex.join(parts)


def file_name(vote: Vote) -> str:
    return f"ballots-{vote.public_id}.csv"


def _plain(number: Decimal) -> str:
    """Write 1.0000 as 1 and 2.5000 as 2.5."""
    return format(Decimal(number).normalize(), "f")


# Reading the record for people -------------------------------------------------------------

INACTIVE_LABELS = {
    "undervote": "Blank ballots",
    "overvote": "Overvotes",
    "skipped_rankings": "Skipped rankings",
    "repeated_rankings": "Repeated rankings",
    "exhausted_choices": "No choices left",
}


@dataclass(frozen=True)
class Cell:
    votes: str
    status: str  # "", "elected" or "eliminated"


@dataclass(frozen=True)
class RoundTable:
    """The engine's rounds as rows of a table: one per candidate, then threshold and inactive."""

    rounds: list[int]
    candidates: list[tuple[str, list[Cell]]]
    threshold: list[str] | None
    inactive: list[tuple[str, list[str]]]
    narrative: list[str]


def round_table(record: dict) -> RoundTable:
    """Return the rows a person reads in the results table of *record* (engine to_dict())."""
    rounds = record["rounds"]
    candidates = []
    for name in record["candidates"]:
        if any(name in r["tally"] for r in rounds):
            candidates.append((name, [_cell(r, name) for r in rounds]))
    threshold = None
    if any(r["threshold"] is not None for r in rounds):
        threshold = [r["threshold"] or "" for r in rounds]
    inactive = [
        (INACTIVE_LABELS.get(reason, reason), [r["inactive"][reason] for r in rounds])
        for reason in (rounds[0]["inactive"] if rounds else {})
        if any(r["inactive"][reason] != "0" for r in rounds)
    ]
    return RoundTable(
        rounds=[r["round"] for r in rounds],
        candidates=candidates,
        threshold=threshold,
        inactive=inactive,
        narrative=[line for r in rounds for line in _narrative(r)],
    )


def tiebreak_sentences(record: dict) -> list[str]:
    """Return one sentence per tie the count broke, for the results to state up front: a
    result that a tie decided (by ballot order or a draw) must say so where it is read."""
    found = [
        f"A tie between {', '.join(t['tied'])}: {t['explanation']}"
        for t in record.get("tiebreaks", [])
    ]
    for part in [record, *record.get("passes", [])]:
        found += [
            f"Round {r['round']}: a tie between {', '.join(t['tied'])}. {t['explanation']}"
            for r in part.get("rounds", [])
            for t in r["tiebreaks"]
        ]
    return found


def _cell(round_: dict, name: str) -> Cell:
    if name not in round_["tally"]:
        return Cell("", "")
    status = (
        "elected"
        if name in round_["elected"]
        else "eliminated"
        if name in round_["eliminated"]
        else ""
    )
    return Cell(round_["tally"][name], status)


def _narrative(round_: dict) -> list[str]:
    lines = [
        f"Round {round_['round']}: a tie between {', '.join(t['tied'])}. {t['explanation']}"
        for t in round_["tiebreaks"]
    ]
    for name, moves in round_["transfers"].items():
        verb = "was elected" if name in round_["elected"] else "was eliminated"
        where = ", ".join(f"{target} {votes}" for target, votes in moves.items()) or "none"
        lines.append(f"Round {round_['round']}: {name} {verb}; their votes moved: {where}.")
    return lines
