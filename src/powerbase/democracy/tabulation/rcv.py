"""Ranked-choice counts in rounds: instant runoff (IRV), STV, sequential IRV and bottoms-up.

The round-by-round behaviour follows RCTab (https://github.com/BrightSpots/rcv), the open-source
tabulator certified for official US elections, and matches its regression suite round for
round: the same threshold formulas, the same order of decisions in a round (elect; else drop
Undeclared Write-ins, else candidates below the minimum, else batch-eliminate, else eliminate
the lowest), the same ballot walk (skipped-rank limit, repeated candidates, the three
overvote rules), and fractional surplus transfer ("Gregory"/weighted inclusive) with the
surplus fraction and every ballot's transfer rounded down to the configured decimal places.
docs/tabulation.md lists where we deviate.

Speed: identical ballots are merged first (a group = ranking + weight, with a count), and only
the ballots of a candidate who was just eliminated or elected are walked again, so a round costs
in proportion to the votes that move, not to the number of ballots.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from powerbase.democracy.tabulation.ballots import (
    OVERVOTE,
    UNDECLARED_WRITE_INS,
    Ballot,
    resolve_candidates,
)
from powerbase.democracy.tabulation.errors import TabulationError
from powerbase.democracy.tabulation.fixed_point import FixedPoint
from powerbase.democracy.tabulation.record import (
    EXHAUSTED,
    INACTIVE_REASONS,
    RESIDUAL_SURPLUS,
    CountResult,
    InactiveReason,
    Round,
)
from powerbase.democracy.tabulation.rules import (
    DEFAULT_RULES,
    Method,
    OvervoteRule,
    Quota,
    RepeatedCandidate,
    Rules,
)
from powerbase.democracy.tabulation.tiebreak import TieBreaker

NOBODY = -1
# Indexes into INACTIVE_REASONS, and ACTIVE for a ballot that found a continuing candidate.
ACTIVE = -1
UNDERVOTE, OVERVOTE_REASON, SKIPPED, REPEATED, EXHAUSTED_CHOICES = range(5)
assert INACTIVE_REASONS[OVERVOTE_REASON] is InactiveReason.OVERVOTE


@dataclass
class PreparedBallots:
    """Ballots with candidates as numbers and identical ballots merged into groups.

    A mark is a tuple of candidate numbers; number `len(names)` stands for a bare "overvote".
    """

    names: list[str]
    marks: list[tuple[tuple[int, ...], ...]]
    weights: list[int]  # per ballot, in units of the fixed point
    counts: list[int]
    ballots: int
    fixed: FixedPoint

    @property
    def total_units(self) -> int:
        return sum(weight * count for weight, count in zip(self.weights, self.counts, strict=True))


def prepare(ballots: Iterable[Ballot], rules: Rules) -> PreparedBallots:
    """Number the candidates, apply the maximum rankings, and merge identical ballots."""
    ballots = list(ballots)
    # With a given candidate list, unknown names are caught while numbering (one pass less).
    names = resolve_candidates(
        ballots if rules.candidates is None else (), rules.candidates, rules.excluded
    )
    numbering = _MarkNumbering(names)
    fixed = FixedPoint(rules.decimal_places)
    weight_units: dict = {}
    groups: dict[tuple, int] = {}
    limit = rules.max_rankings
    for ballot in ballots:
        ranks = ballot.ranks if limit is None else ballot.ranks[:limit]
        marks = numbering.number(ranks)
        units = weight_units.get(ballot.weight)
        if units is None:
            units = weight_units[ballot.weight] = fixed.units(ballot.weight, "ballot weight")
        key = (marks, units)
        groups[key] = groups.get(key, 0) + ballot.count
    _refuse_bare_overvotes_if_rule_needs_names(groups, len(names), rules)
    return PreparedBallots(
        names=names,
        marks=[marks for marks, _ in groups],
        weights=[weight for _, weight in groups],
        counts=list(groups.values()),
        ballots=sum(groups.values()),
        fixed=fixed,
    )


class _MarkNumbering:
    """Turn marks of names into marks of candidate numbers, remembering each distinct mark."""

    def __init__(self, names: list[str]):
        self.names = names
        self.numbers = {name: index for index, name in enumerate(names)}
        self.numbers[OVERVOTE] = len(names)
        self.known: dict[tuple, tuple[int, ...]] = {(): ()}

    def number(self, ranks) -> tuple:
        known = self.known
        try:
            marks = [known[mark] for mark in ranks]
        except KeyError:
            marks = [known.get(mark) or self._learn(mark) for mark in ranks]
        while marks and not marks[-1]:
            marks.pop()  # blank ranks at the end change nothing
        return tuple(marks)

    def _learn(self, mark: tuple[str, ...]) -> tuple[int, ...]:
        unknown = [name for name in mark if name not in self.numbers]
        if unknown:
            raise TabulationError(
                f"A ballot names '{unknown[0]}', who is not among the candidates "
                f"({', '.join(self.names)})."
            )
        self.known[mark] = tuple(self.numbers[name] for name in mark)
        return self.known[mark]


def _refuse_bare_overvotes_if_rule_needs_names(groups, overvote_number, rules) -> None:
    if rules.overvote_rule is not OvervoteRule.EXHAUST_IF_MULTIPLE_CONTINUING:
        return
    bare = sum(
        count
        for (marks, _), count in groups.items()
        if any(overvote_number in mark for mark in marks)
    )
    if bare:
        raise TabulationError(
            f"{bare} ballot(s) mark a rank only as 'overvote', but the overvote rule "
            "exhaust-if-multiple-continuing needs to know which candidates were marked. List "
            "the names joined by '|', or choose exhaust-immediately or always-skip-to-next-rank."
        )


def irv(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Count a single-winner instant runoff."""
    if rules.seats != 1:
        raise TabulationError(
            f"Instant runoff fills one seat, not {rules.seats}; use stv or "
            "sequential-irv for several seats."
        )
    return _count(Method.IRV, prepare(ballots, rules), rules)


def stv(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Count a single transferable vote for `rules.seats` seats with fractional surplus transfer."""
    if rules.seats > 1 and rules.batch_elimination:
        raise TabulationError(
            "Batch elimination applies to single-seat counts only (as in "
            "RCTab); turn it off for several seats."
        )
    if rules.seats > 1 and rules.continue_until_two:
        raise TabulationError("'Continue until two remain' applies to single-seat counts only.")
    return _count(Method.STV, prepare(ballots, rules), rules)


def bottoms_up(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Eliminate from the bottom, without surplus transfer, until everyone left is elected:
    once no more than `rules.seats` remain, or with `bottoms_up_percentage`, once everyone
    left holds that share of the continuing votes (RCTab's two bottoms-up modes)."""
    return _count(Method.BOTTOMS_UP, prepare(ballots, rules), rules)


def sequential_irv(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Fill `rules.seats` seats by repeated instant runoffs, each excluding earlier winners."""
    ballots = list(ballots)
    winners: list[str] = []
    passes: list[CountResult] = []
    single_seat = replace(rules, seats=1)
    prepared = prepare(ballots, single_seat)
    running = [name for name in prepared.names if name not in rules.excluded]
    for _ in range(min(rules.seats, len(running))):  # more seats than candidates: elect them all
        pass_rules = replace(single_seat, excluded=(*rules.excluded, *winners))
        result = _count(Method.IRV, prepare(ballots, pass_rules), pass_rules)
        winners.extend(result.winners)
        passes.append(result)
    return CountResult(
        method=Method.SEQUENTIAL_IRV,
        rules=rules,
        candidates=prepared.names,
        winners=winners,
        ballots=prepared.ballots,
        votes=prepared.fixed.decimal(prepared.total_units),
        passes=passes,
    )


def _count(method: Method, prepared: PreparedBallots, rules: Rules) -> CountResult:
    if rules.seats == 1 and rules.quota is Quota.HARE:
        raise TabulationError(
            "The Hare quota is for counts with several seats (as in RCTab); "
            "a single seat is won by a majority, the Droop quota."
        )
    count = RoundByRound(prepared, rules, bottoms_up=method is Method.BOTTOMS_UP)
    count.run()
    winners = [prepared.names[c] for c in count.winners]
    return CountResult(
        method=method,
        rules=rules,
        candidates=prepared.names,
        winners=winners,
        ballots=prepared.ballots,
        votes=prepared.fixed.decimal(prepared.total_units),
        rounds=count.rounds,
    )


class RoundByRound:
    """The state of a ranked count between rounds, and the steps of one round."""

    def __init__(self, prepared: PreparedBallots, rules: Rules, *, bottoms_up: bool = False):
        self.prepared, self.rules = prepared, rules
        self.bottoms_up = bottoms_up
        self.percentage = rules.bottoms_up_percentage if bottoms_up else None
        self.names = prepared.names
        self.fixed = prepared.fixed
        self.seats = rules.seats
        candidates = len(self.names)
        # The extra last entry is the bare-overvote number: never continuing.
        self.continuing = [name not in rules.excluded for name in self.names] + [False]
        self.in_count = sum(self.continuing)
        # RCTab's "Undeclared Write-ins" stands for every write-in: never elected, and
        # eliminated first whenever it holds votes.
        self.write_ins = (
            self.names.index(UNDECLARED_WRITE_INS) if UNDECLARED_WRITE_INS in self.names else None
        )
        self.holders: list[list[int]] = [[] for _ in range(candidates)]
        self.value = list(prepared.weights)
        self.tally = [0] * candidates
        self.inactive = [0] * len(INACTIVE_REASONS)
        self.residual = 0
        self.final_surplus = 0  # surplus moving after the last seat is filled (RCTab's own bucket)
        self.winners: list[int] = []
        self.eliminated: list[int] = []
        self.kept: dict[int, int] = {}  # multi-seat winner -> votes kept, shown after election
        self.awaiting_settlement: dict[int, int] = {}  # winner -> kept votes before residual
        self.moving: list[int] = []  # candidates whose ballots move at the start of next round
        self.threshold = 0
        self.minimum = self.fixed.units_rounded_up(rules.minimum_vote_threshold)
        self.rounds: list[Round] = []
        self.history: list[dict] = []
        self.tiebreaker = TieBreaker(rules, self.names)
        self.walk = ballot_walker(rules)

    # The loop ----------------------------------------------------------------------------

    def run(self) -> None:
        while self._should_continue():
            self._round()

    def _should_continue(self) -> bool:
        if not self.rounds:
            return True
        last = self.rounds[-1]
        if self.rules.stop_after_round and len(self.rounds) >= self.rules.stop_after_round:
            return False
        if self.bottoms_up:
            # Everyone left is elected at once, with no surplus to show; with no votes at all
            # nobody is ever above a percentage, and the count ends when no one is left.
            return not self.winners and bool(self._continuing())
        if self.rules.continue_until_two:
            return len(self.eliminated) + len(self.winners) + 1 < self.in_count or bool(
                last.eliminated
            )
        if self.seats > self.in_count:
            return False  # more seats than candidates: RCTab elects them all in round 1 and stops
        return len(self.winners) < self.seats or (self.seats > 1 and bool(last.elected))

    def _round(self) -> None:
        number = len(self.rounds) + 1
        if number == 1:
            self._allocate_first_choices()
        else:
            self._move_ballots(self.rounds[-1])
            self._settle_surpluses(self.rounds[-1])
        if number == 1 or self._threshold_moves():
            self.threshold = self._threshold(sum(self.tally[c] for c in self._continuing()))
        record = Round(
            number=number,
            tally=self._tally_snapshot(),
            threshold=self.fixed.decimal(self.threshold),
        )
        winners = self._identify_winners(record)
        if winners:
            self._elect(winners, record)
        elif self._needs_elimination():
            self._eliminate(record)
        record.inactive = {
            str(reason): self.fixed.decimal(units)
            for reason, units in zip(INACTIVE_REASONS, self.inactive, strict=True)
        }
        record.residual_surplus = self.fixed.decimal(self.residual)
        record.final_round_surplus = self.fixed.decimal(self.final_surplus)
        self.rounds.append(record)
        self.history.append(record.tally)

    # Moving ballots ----------------------------------------------------------------------

    def _allocate_first_choices(self) -> None:
        walk, marks, continuing = self.walk, self.prepared.marks, self.continuing
        for group, count in enumerate(self.prepared.counts):
            votes = self.value[group] * count
            candidate, reason = walk(marks[group], continuing)
            if candidate == NOBODY:
                self.inactive[reason] += votes
            else:
                self.holders[candidate].append(group)
                self.tally[candidate] += votes

    def _move_ballots(self, previous: Round) -> None:
        """Walk again the ballots of everyone elected or eliminated last round."""
        walk, marks, continuing = self.walk, self.prepared.marks, self.continuing
        counts, value, holders, tally = self.prepared.counts, self.value, self.holders, self.tally
        all_seats_filled = self.seats > 1 and len(self.winners) >= self.seats
        if all_seats_filled:
            continuing = [False] * len(continuing)  # RCTab: the last surplus reaches no one
        for source in sorted(self.moving):
            moved = [0] * (len(self.names) + 1)  # last entry: exhausted
            for group in holders[source]:
                votes = value[group] * counts[group]
                if not votes:
                    continue  # a ballot whose whole value stayed with a winner
                candidate, reason = walk(marks[group], continuing)
                moved[candidate] += votes  # NOBODY (-1) lands on the exhausted entry
                if candidate == NOBODY and all_seats_filled:
                    self.final_surplus += votes  # RCTab keeps it out of the inactive buckets
                elif candidate == NOBODY:
                    self.inactive[reason] += votes
                else:
                    holders[candidate].append(group)
                    tally[candidate] += votes
            holders[source] = []
            tally[source] = 0
            previous.transfers[self.names[source]] = self._transfer_record(moved)
        self.moving = []

    def _transfer_record(self, moved: list[int]) -> dict:
        record = {
            self.names[c]: self.fixed.decimal(units) for c, units in enumerate(moved[:-1]) if units
        }
        if moved[-1]:
            record[EXHAUSTED] = self.fixed.decimal(moved[-1])
        return record

    def _settle_surpluses(self, previous: Round) -> None:
        """Cap last round's winners at the threshold; rounding leftovers are residual surplus."""
        for winner, kept in sorted(self.awaiting_settlement.items()):
            leftover = kept - self.threshold
            if leftover > 0:
                self.residual += leftover
                kept = self.threshold
                previous.transfers.setdefault(self.names[winner], {})[RESIDUAL_SURPLUS] = (
                    self.fixed.decimal(leftover)
                )
            self.kept[winner] = kept
        self.awaiting_settlement = {}

    # Threshold and winners ---------------------------------------------------------------

    def _threshold(self, active: int) -> int:
        """Return the votes needed to win, in units (RCTab's formulas)."""
        scale = self.fixed.scale
        if self.percentage is not None:
            # RCTab's bottoms-up percentage: that share of the continuing votes, rounded down.
            return int(active * self.percentage) // 100
        whole_votes = not self.rules.non_integer_threshold
        if self.rules.quota is Quota.HARE:
            # Hare: votes / seats, rounded up ("at least").
            divisor = self.seats * (scale if whole_votes else 1)
            needed = -(-active // divisor) * (scale if whole_votes else 1)
        else:
            # Droop: votes / (seats + 1) rounded down, plus the smallest unit ("more than").
            divisor = (self.seats + 1) * (scale if whole_votes else 1)
            needed = (active // divisor + 1) * (scale if whole_votes else 1)
        return max(needed, self.minimum)

    def _threshold_moves(self) -> bool:
        """Single-seat and percentage thresholds follow the continuing votes round by round,
        unless the first round fixes them; with continue-until-two, RCTab keeps the threshold
        of the round the winner won."""
        if self.rules.first_round_threshold:
            return False
        if self.percentage is not None:
            return True
        return self.seats == 1 and not (self.rules.continue_until_two and self.winners)

    def _write_ins_hold_votes(self) -> bool:
        return (
            self.write_ins is not None
            and self.continuing[self.write_ins]
            and self.tally[self.write_ins] > 0
        )

    def _identify_winners(self, record: Round) -> list[int]:
        if self._write_ins_hold_votes():
            return []  # RCTab elects nobody until the write-ins are out
        continuing = [c for c in self._continuing() if c != self.write_ins]
        if self.bottoms_up:
            return self._bottoms_up_winners(continuing)
        unfilled = self.seats - len(self.winners)
        fixed_by_round_one = self.rules.first_round_threshold
        winners: list[int] = []
        if unfilled > 0:
            if len(continuing) <= unfilled:
                winners = continuing
            else:
                winners = [c for c in continuing if self.tally[c] >= self.threshold]
            if not winners and fixed_by_round_one and len(continuing) - 1 == self.seats:
                # RCTab: with a threshold fixed in round 1 nobody may reach it; on the
                # penultimate round the most votes win.
                winners = [self._top(continuing, record)]
        stalemate = (
            self.seats == 1
            and not winners
            and unfilled == 1
            and len(continuing) == 2
            and all(self.tally[c] >= self.minimum for c in continuing)
        )
        if stalemate:
            # Two left and neither reaches the threshold (possible with weights or a minimum):
            # the one with more votes wins; a tie is broken.
            winners = [self._top(continuing, record)]
        if (self.rules.one_winner_per_round or fixed_by_round_one) and len(winners) > 1:
            winners = [self._top(winners, record)]  # RCTab elects one a round in both modes
        return sorted(winners, key=lambda c: (-self.tally[c], c))

    def _top(self, candidates: list[int], record: Round) -> int:
        """Return the one candidate with most votes (RCTab's "only one winner per round")."""
        most = max(self.tally[c] for c in candidates)
        tied = [c for c in candidates if self.tally[c] == most]
        return tied[0] if len(tied) == 1 else self._break_tie(tied, record, selecting_winner=True)

    def _bottoms_up_winners(self, continuing: list[int]) -> list[int]:
        """Bottoms-up: elect everyone left once all are above the percentage threshold, or
        once no more are left than seats."""
        if self.percentage is not None:
            # RCTab: everyone must hold *more* than the threshold.
            if all(self.tally[c] > self.threshold for c in continuing):
                return continuing
            return []
        return continuing if len(continuing) <= self.seats else []

    def _elect(self, winners: list[int], record: Round) -> None:
        for winner in winners:
            self.winners.append(winner)
            record.elected.append(self.names[winner])
            if self.seats > 1 and not self.bottoms_up:
                self._mark_surplus(winner)

    def _mark_surplus(self, winner: int) -> None:
        """Reduce the winner's ballots to their transferable share (RCTab's fractional transfer).

        surplus fraction = (votes - threshold) / votes, rounded down; each ballot then moves on
        with value x fraction (rounded down) and leaves the rest with the winner.
        """
        scale, value, counts = self.fixed.scale, self.value, self.prepared.counts
        votes = self.tally[winner]
        surplus = votes - self.threshold
        fraction = surplus * scale // votes if surplus > 0 else 0
        kept = 0
        for group in self.holders[winner]:
            transferred = value[group] * fraction // scale
            kept += (value[group] - transferred) * counts[group]
            value[group] = transferred
        self.awaiting_settlement[winner] = kept
        self.continuing[winner] = False
        self.moving.append(winner)

    # Elimination -------------------------------------------------------------------------

    def _needs_elimination(self) -> bool:
        if self.bottoms_up:
            return not self.winners
        return len(self.winners) < self.seats or (
            self.rules.continue_until_two and len(self.eliminated) < self.in_count - 2
        )

    def _eliminate(self, record: Round) -> None:
        continuing = self._continuing()
        losers: list[int] = []
        how = "undeclared-write-ins"
        if self.write_ins is not None and self._write_ins_hold_votes():
            losers = [self.write_ins]
        if not losers:
            losers, how = self._below_minimum(continuing), "below-minimum"
        if not losers and self.rules.batch_elimination:
            losers, how = self._batch(continuing), "batch"
        if not losers:
            losers, how = [self._lowest(continuing, record)], "lowest"
        record.elimination = how
        for loser in sorted(losers):
            self.eliminated.append(loser)
            record.eliminated.append(self.names[loser])
            self.continuing[loser] = False
            self.moving.append(loser)

    def _below_minimum(self, continuing: list[int]) -> list[int]:
        if not self.minimum:
            return []
        below = [c for c in continuing if self.tally[c] < self.minimum]
        if below and len(below) == len(continuing):
            raise TabulationError(
                "Every remaining candidate has fewer votes than the minimum vote threshold of "
                f"{self.rules.minimum_vote_threshold}, so nobody can be elected; lower the "
                "minimum vote threshold."
            )
        return below

    def _batch(self, continuing: list[int]) -> list[int]:
        """Eliminate together everyone who could not overtake the next candidate up even with
        all of their votes combined (RCTab's batch elimination)."""
        by_votes: dict[int, list[int]] = {}
        for c in continuing:
            by_votes.setdefault(self.tally[c], []).append(c)
        running, seen, chosen, before = 0, [], [], []
        for votes in sorted(by_votes):
            grown = list(chosen)
            if running < votes:
                grown += [c for c in seen if c not in chosen]
            running += votes * len(by_votes[votes])
            seen += by_votes[votes]
            if len(grown) > len(chosen):
                before, chosen = chosen, grown
        if (
            self.rules.continue_until_two
            and len(chosen) + len(self.eliminated) == self.in_count - 1
        ):
            chosen = before  # never batch down to a single candidate
        return chosen if len(chosen) > 1 else []

    def _lowest(self, continuing: list[int], record: Round) -> int:
        fewest = min(self.tally[c] for c in continuing)
        tied = [c for c in continuing if self.tally[c] == fewest]
        if len(tied) == 1:
            return tied[0]
        return self._break_tie(tied, record, selecting_winner=False)

    def _break_tie(self, tied: list[int], record: Round, *, selecting_winner: bool) -> int:
        tiebreak = self.tiebreaker.pick(
            [self.names[c] for c in tied],
            selecting_winner=selecting_winner,
            purpose="election" if selecting_winner else "elimination",
            history=self.history,
        )
        record.tiebreaks.append(tiebreak)
        return self.names.index(tiebreak.chosen)

    # Snapshots ---------------------------------------------------------------------------

    def _continuing(self) -> list[int]:
        return [c for c in range(len(self.names)) if self.continuing[c]]

    def _tally_snapshot(self) -> dict:
        """Return this round's votes per candidate still in the count, winners included."""
        shown = {}
        for c, name in enumerate(self.names):
            if self.continuing[c]:
                shown[name] = self.fixed.decimal(self.tally[c])
            elif c in self.kept:
                shown[name] = self.fixed.decimal(self.kept[c])
        return shown


def ballot_walker(rules: Rules):
    """Return walk(marks, continuing) -> (candidate or NOBODY, reason): where a ballot counts now.

    The ballot is read from its first rank each time, as RCTab does; the rules decide what a
    skipped rank, a repeated candidate and an overvote do.
    """
    skip_limit = None if rules.max_skipped_ranks is None else rules.max_skipped_ranks + 1
    exhaust_repeats = rules.repeated_candidate is RepeatedCandidate.EXHAUST
    overvote_rule = rules.overvote_rule
    exhaust_overvotes = overvote_rule is OvervoteRule.EXHAUST_IMMEDIATELY
    skip_overvotes = overvote_rule is OvervoteRule.ALWAYS_SKIP_TO_NEXT_RANK

    def walk(marks, continuing):
        bare_overvote = len(continuing) - 1
        last_position = 0
        seen = set() if exhaust_repeats else None
        final = len(marks)
        position = 0
        for mark in marks:
            position += 1
            if not mark:
                continue
            if skip_limit is not None and position - last_position > skip_limit:
                return NOBODY, SKIPPED
            last_position = position
            if seen is not None:
                for candidate in mark:
                    if candidate in seen:
                        return NOBODY, REPEATED
                    seen.add(candidate)
            if len(mark) == 1 and mark[0] != bare_overvote:
                if continuing[mark[0]]:
                    return mark[0], ACTIVE
                continue
            # An overvote: several candidates at this rank, or a bare "overvote".
            if exhaust_overvotes:
                return NOBODY, OVERVOTE_REASON
            if skip_overvotes:
                if position == final:
                    return NOBODY, EXHAUSTED_CHOICES
                continue
            chosen = NOBODY
            for candidate in mark:
                if continuing[candidate]:
                    if chosen != NOBODY:
                        return NOBODY, OVERVOTE_REASON
                    chosen = candidate
            if chosen != NOBODY:
                return chosen, ACTIVE
        if not final:
            return NOBODY, UNDERVOTE
        return NOBODY, EXHAUSTED_CHOICES

    return walk
