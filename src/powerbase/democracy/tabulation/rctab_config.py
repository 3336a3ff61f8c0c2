"""Read an RCTab contest configuration (`*_config.json`) and the CVR files it names.

    contest = load_contest("CONTEST_config.json")   # refuses what RCTab refuses, in a sentence
    ballots = read_ballots(contest)                  # every source, identical ballots merged
    result = tabulate(contest.method, ballots, contest.rules)

`filePath` is relative to the config's folder. Candidates keep the config's order; their
aliases (and, for Dominion and Hart, their ids) map what a CVR says onto their names; when any
source declares an undeclared write-in label, "Undeclared Write-ins" joins the candidates last.
"""

import json
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from powerbase.democracy.tabulation.ballots import UNDECLARED_WRITE_INS, Ballot
from powerbase.democracy.tabulation.cvr import READERS, BallotMaker, CvrSource, ballots_from, ess
from powerbase.democracy.tabulation.errors import CvrError, TabulationError
from powerbase.democracy.tabulation.rules import SEEDED, Method, Rules, TiebreakMode

METHODS = {
    "singleWinnerMajority": Method.IRV,
    "multiWinnerAllowMultipleWinnersPerRound": Method.STV,
    "multiWinnerAllowOnlyOneWinnerPerRound": Method.STV,
    "multiPassIrv": Method.SEQUENTIAL_IRV,
    "bottomsUp": Method.BOTTOMS_UP,
    "bottomsUpUsingPercentageThreshold": Method.BOTTOMS_UP,
}
OVERVOTE_RULES = {
    "exhaustImmediately": "exhaust-immediately",
    "alwaysSkipToNextRank": "always-skip-to-next-rank",
    "exhaustIfMultipleContinuing": "exhaust-if-multiple-continuing",
}
TIEBREAKS = {
    "useCandidateOrder": TiebreakMode.CANDIDATE_ORDER,
    "random": TiebreakMode.RANDOM,
    "generatePermutation": TiebreakMode.PERMUTATION,
    "previousRoundCountsThenRandom": TiebreakMode.PREVIOUS_ROUND_THEN_RANDOM,
}
INTERACTIVE_TIEBREAKS = ("stopCountingAndAsk", "previousRoundCountsThenAsk")


@dataclass(frozen=True)
class Contest:
    """A contest config, read: how to count, and where the ballots are."""

    path: Path
    name: str
    method: Method
    rules: Rules
    sources: tuple[CvrSource, ...]
    aliases: dict[str, str]  # what a CVR may say -> candidate name


def load_contest(path: str | Path) -> Contest:
    """Read and check the config at *path*; refuse (CvrError) what RCTab would refuse."""
    path = Path(path)
    config = _json(path)
    problems = _Problems(path)
    rules_in = config.get("rules")
    if not isinstance(rules_in, dict):
        rules_in = {}
    candidates = _candidates(config.get("candidates"), problems)
    sources = tuple(
        _source(path.parent, raw, number, problems)
        for number, raw in enumerate(_list(config.get("cvrFileSources")), start=1)
    )
    if not sources:
        problems.add("it names no CVR source (cvrFileSources)")
    method = problems.choice(METHODS, rules_in.get("winnerElectionMode"), "winnerElectionMode")
    rules = _rules(rules_in, candidates, sources, method, problems)
    problems.raise_any()
    aliases = {alias: name for name, _, names in candidates for alias in (name, *names)}
    return Contest(
        path=path,
        name=str(config.get("outputSettings", {}).get("contestName", "")),
        method=method,
        rules=rules,
        sources=sources,
        aliases=aliases,
    )


def read_ballots(contest: Contest) -> list[Ballot]:
    """Read every source's ballots (merged where identical).

    ES&S files laid out alike (an election office publishes one per batch of precincts) are
    counted together, so each distinct ranking is converted once for the whole election.
    """
    ballots: list[Ballot] = []
    alike: dict[tuple, list[CvrSource]] = {}
    for source in contest.sources:
        if source.provider == "ess":
            alike.setdefault(ess.same_layout(source), []).append(source)
        else:
            ballots.extend(ballots_from(READERS[source.provider](source), _maker(contest, source)))
    # RCTab reads as many rank columns as rankings allowed; "max" means one per candidate.
    declared = [name for name in contest.rules.candidates or () if name != UNDECLARED_WRITE_INS]
    rank_columns = contest.rules.max_rankings or len(declared)
    for sources in alike.values():
        ballots.extend(ess.ballots(sources, _maker(contest, sources[0]), rank_columns))
    return ballots


def _maker(contest: Contest, source: CvrSource) -> BallotMaker:
    return BallotMaker(
        source,
        {**contest.aliases, UNDECLARED_WRITE_INS: UNDECLARED_WRITE_INS},
        contest.rules.max_rankings,
    )


def with_write_ins_if_marked(contest: Contest, ballots: list[Ballot]) -> Contest:
    """Add Undeclared Write-ins to the candidates when ballots mark it though no label said so."""
    names = contest.rules.candidates or ()
    if UNDECLARED_WRITE_INS in names:
        return contest
    if any(UNDECLARED_WRITE_INS in ballot.names() for ballot in ballots):
        rules = replace(contest.rules, candidates=(*names, UNDECLARED_WRITE_INS))
        return replace(contest, rules=rules)
    return contest


# Reading the config ------------------------------------------------------------------------


class _Problems:
    """Collect every problem with a config, then refuse it once, naming them all."""

    def __init__(self, path: Path):
        self.path, self.found = path, []

    def add(self, problem: str) -> None:
        self.found.append(problem)

    def choice(self, table: dict, value, setting: str):
        if value in table:
            return table[value]
        if value in INTERACTIVE_TIEBREAKS:
            self.add(
                f"the tiebreak '{value}' asks an operator during the count, which a "
                "recount cannot do; choose useCandidateOrder, random, generatePermutation "
                "or previousRoundCountsThenRandom"
            )
        elif value in (None, ""):
            self.add(f"{setting} is missing; choose one of {', '.join(table)}")
        else:
            self.add(f"{setting} '{value}' is not one of {', '.join(table)}")
        return next(iter(table.values()))

    def whole(self, rules: dict, key: str, *, minimum: int, default=None, words=()):
        value = rules.get(key, "")
        if value in ("", None) and default is not None:
            return default
        if str(value).strip() in words:
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or number < minimum:
            allowed = f" or {' or '.join(words)}" if words else ""
            self.add(f"{key} must be a whole number of at least {minimum}{allowed}, not '{value}'")
            return default if default is not None else minimum
        return number

    def raise_any(self) -> None:
        if self.found:
            listed = "; ".join(self.found)
            raise CvrError(
                file=str(self.path), problem=f"RCTab would refuse this contest config: {listed}."
            )


def _json(path: Path) -> dict:
    try:
        config = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise CvrError(file=str(path), problem="There is no such contest config.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CvrError(file=str(path), problem=f"Could not read it ({error}).") from None
    except json.JSONDecodeError as error:
        raise CvrError(
            file=str(path), problem=f"This is not valid JSON ({error.msg} at line {error.lineno})."
        ) from None
    if not isinstance(config, dict):
        raise CvrError(file=str(path), problem="A contest config is a JSON object.")
    return config


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _candidates(raw, problems: _Problems) -> list[tuple[str, bool, list[str]]]:
    candidates = []
    for entry in _list(raw):
        name = str(entry.get("name", "")).strip() if isinstance(entry, dict) else ""
        if not name:
            problems.add("a candidate has no name")
            continue
        aliases = [str(a).strip() for a in _list(entry.get("aliases")) if str(a).strip()]
        candidates.append((name, entry.get("excluded") is True, aliases))
    if not candidates:
        problems.add("it lists no candidates")
    return candidates


def _source(folder: Path, raw, number: int, problems: _Problems) -> CvrSource:
    raw = raw if isinstance(raw, dict) else {}
    provider = raw.get("provider", "")
    where = f"CVR source {number}"
    if provider not in READERS:
        problems.add(f"{where} has the provider '{provider}'; expected one of {', '.join(READERS)}")
    file_path = str(raw.get("filePath", "")).strip()
    path = (folder / file_path).resolve() if file_path else folder
    if not file_path:
        problems.add(f"{where} has no filePath")
    elif not path.exists():
        problems.add(f"{where}: {file_path} does not exist")
    columns = {
        key: _index(raw, key, where, problems)
        for key in (
            "firstVoteColumnIndex",
            "firstVoteRowIndex",
            "idColumnIndex",
            "precinctColumnIndex",
        )
    }
    if provider in ("ess", "genericCsv"):
        for key in ("firstVoteColumnIndex", "firstVoteRowIndex"):
            if columns[key] is None:
                problems.add(f"{where} ({provider}) needs {key} (1 or more)")
    if provider in ("cdf", "clearBallot", "dominion", "hart") and not raw.get("contestId"):
        problems.add(f"{where} ({provider}) needs a contestId")
    return CvrSource(
        provider=provider,
        path=path,
        contest_id=str(raw.get("contestId", "")).strip(),
        first_vote_column=columns["firstVoteColumnIndex"],
        first_vote_row=columns["firstVoteRowIndex"],
        id_column=columns["idColumnIndex"],
        precinct_column=columns["precinctColumnIndex"],
        overvote_delimiter=str(raw.get("overvoteDelimiter", "")),
        overvote_label=str(raw.get("overvoteLabel", "")).strip(),
        skipped_rank_label=str(raw.get("skippedRankLabel", "")).strip(),
        undeclared_write_in_label=str(raw.get("undeclaredWriteInLabel", "")).strip(),
        treat_blank_as_write_in=raw.get("treatBlankAsUndeclaredWriteIn") is True,
    )


def _index(raw: dict, key: str, where: str, problems: _Problems) -> int | None:
    value = str(raw.get(key, "")).strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        problems.add(f"{where}: {key} must be a whole number of at least 1, not '{value}'")
        return None
    return int(value)


def _rules(rules: dict, candidates, sources, method: Method, problems: _Problems) -> Rules:
    write_ins = any(s.undeclared_write_in_label or s.treat_blank_as_write_in for s in sources)
    names = tuple(name for name, _, _ in candidates) + (
        (UNDECLARED_WRITE_INS,) if write_ins else ()
    )
    mode = rules.get("winnerElectionMode")
    tiebreak = problems.choice(TIEBREAKS, rules.get("tiebreakMode"), "tiebreakMode")
    seed = None
    if tiebreak in SEEDED:
        seed = _seed(rules.get("randomSeed"), problems)
    seats = problems.whole(rules, "numberOfWinners", minimum=0, default=1)
    percentage = _percentage(rules, mode, problems)
    if method is not Method.BOTTOMS_UP and seats < 1:
        problems.add("numberOfWinners must be at least 1")
    overvote_rule = problems.choice(OVERVOTE_RULES, rules.get("overvoteRule"), "overvoteRule")
    for key in (
        "batchElimination",
        "continueUntilTwoCandidatesRemain",
        "hareQuota",
        "nonIntegerWinningThreshold",
        "exhaustOnDuplicateCandidate",
        "doesFirstRoundDetermineThreshold",
    ):
        if key in rules and not isinstance(rules[key], bool):
            problems.add(f"{key} must be true or false, not '{rules[key]}'")
    flag = {key: rules.get(key) is True for key in rules}
    values = dict(
        seats=max(seats or 1, 1),
        overvote_rule=overvote_rule,
        max_skipped_ranks=problems.whole(
            rules, "maxSkippedRanksAllowed", minimum=0, default=0, words=("unlimited",)
        ),
        max_rankings=problems.whole(
            rules, "maxRankingsAllowed", minimum=1, default=0, words=("max",)
        )
        or None,
        repeated_candidate="exhaust" if flag.get("exhaustOnDuplicateCandidate") else "skip",
        batch_elimination=flag.get("batchElimination", False),
        continue_until_two=flag.get("continueUntilTwoCandidatesRemain", False),
        quota="hare" if flag.get("hareQuota") else "droop",
        non_integer_threshold=flag.get("nonIntegerWinningThreshold", False),
        decimal_places=problems.whole(
            rules, "decimalPlacesForVoteArithmetic", minimum=1, default=4
        ),
        minimum_vote_threshold=_decimal(rules.get("minimumVoteThreshold"), problems),
        first_round_threshold=flag.get("doesFirstRoundDetermineThreshold", False),
        stop_after_round=problems.whole(
            rules, "stopTabulationEarlyAfterRound", minimum=1, default=0
        )
        or None,
        one_winner_per_round=mode == "multiWinnerAllowOnlyOneWinnerPerRound",
        bottoms_up_percentage=percentage,
        excluded=tuple(name for name, excluded, _ in candidates if excluded),
        candidates=names,
        tiebreak=tiebreak,
        random_seed=seed,
    )
    if problems.found:
        return Rules()
    try:
        return Rules(**values)
    except TabulationError as error:
        problems.add(str(error).rstrip("."))
        return Rules()


def _seed(value, problems: _Problems) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        problems.add(f"a seeded tiebreak needs randomSeed, a whole number, not '{value or ''}'")
        return None


def _percentage(rules: dict, mode, problems: _Problems) -> Decimal | None:
    if mode != "bottomsUpUsingPercentageThreshold":
        return None
    value = _decimal(rules.get("multiSeatBottomsUpPercentageThreshold"), problems)
    if not 0 < value <= 100:
        problems.add("multiSeatBottomsUpPercentageThreshold must be more than 0 and at most 100")
        return Decimal(100)
    return value


def _decimal(value, problems: _Problems) -> Decimal:
    if value in ("", None):
        return Decimal(0)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        problems.add(f"'{value}' is not a number of at least 0")
        return Decimal(0)
    return number
