"""Breaking ties the way RCTab does: by candidate order, by earlier rounds, or by a seeded draw."""

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from powerbase.democracy.tabulation.fixed_point import format_votes
from powerbase.democracy.tabulation.java_random import JavaRandom, java_hash_set_order
from powerbase.democracy.tabulation.record import Tiebreak
from powerbase.democracy.tabulation.rules import Rules, TiebreakMode


class TieBreaker:
    """Pick one of several tied candidates, and say why.

    - candidate-order: the winner of a tie is whoever comes *first* in the candidate order, the
      loser whoever comes *last* (RCTab's "use candidate order").
    - previous-round: compare the tied candidates' tallies in the previous round, then the one
      before, and so on; the loser had fewest, the winner most. If every earlier round is tied
      too, fall back to candidate order (RCTab falls back to random or to asking the operator).
    - previous-round-then-random: the same, then RCTab's seeded draw.
    - random: RCTab's draw: java.util.Random seeded with the seed, one nextDouble per tie,
      picking among the tied candidates sorted by name; the same seed gives RCTab's count.
    - permutation: RCTab's generatePermutation: the candidate order shuffled once by
      java.util.Collections.shuffle with the seed, then used like the candidate order.
    """

    def __init__(self, rules: Rules, candidate_order: Sequence[str]):
        self.mode = rules.tiebreak
        order = list(candidate_order)
        self.generator = None if rules.random_seed is None else JavaRandom(rules.random_seed)
        if self.mode is TiebreakMode.PERMUTATION:
            assert rules.random_seed is not None, "Rules refuses a seeded tiebreak without a seed"
            order = JavaRandom(rules.random_seed).shuffle(sorted(order))  # RCTab sorts first
        self.position = {name: index for index, name in enumerate(order)}

    def pick(
        self,
        tied: Sequence[str],
        *,
        selecting_winner: bool,
        purpose: str,
        history: Sequence[Mapping[str, Decimal]] = (),
    ) -> Tiebreak:
        """Return the tiebreak that picks one of *tied*; *history* is earlier rounds' tallies."""
        contenders = sorted(tied)
        if self.mode is TiebreakMode.RANDOM:
            return self._draw(contenders, contenders, purpose, "")  # sorted by name
        if self.mode in (TiebreakMode.PREVIOUS_ROUND, TiebreakMode.PREVIOUS_ROUND_THEN_RANDOM):
            decided = self._by_previous_rounds(contenders, selecting_winner, purpose, history)
            if isinstance(decided, Tiebreak):
                return decided
            if self.mode is TiebreakMode.PREVIOUS_ROUND_THEN_RANDOM:
                return self._draw(
                    contenders, decided, purpose, "Earlier rounds did not separate them, so "
                )
        return self._by_candidate_order(
            contenders, selecting_winner, purpose, prefix=self._prefix(contenders, history)
        )

    def _draw(self, contenders, pool, purpose, prefix) -> Tiebreak:
        # RCTab: floor(nextDouble() * n) into the tied list, in the order RCTab holds it.
        assert self.generator is not None, "Rules refuses a seeded tiebreak without a seed"
        chosen = pool[math.floor(self.generator.next_double() * len(pool))]
        return Tiebreak(
            purpose,
            contenders,
            chosen,
            f"{prefix}{chosen} was drawn at random (RCTab's seeded draw).",
        )

    def _by_previous_rounds(self, contenders, selecting_winner, purpose, history):
        """Return the Tiebreak earlier rounds decide, or the candidates still tied, in the
        order RCTab's HashSet leaves them (its random fall-back draws from that list)."""
        remaining = list(contenders)
        for round_number in range(len(history), 0, -1):
            tally = history[round_number - 1]
            remaining = java_hash_set_order(remaining)
            votes = {name: tally.get(name, Decimal(0)) for name in remaining}
            best = max(votes.values()) if selecting_winner else min(votes.values())
            remaining = [name for name in remaining if votes[name] == best]
            if len(remaining) == 1:
                word = "most" if selecting_winner else "fewest"
                return Tiebreak(
                    purpose,
                    contenders,
                    remaining[0],
                    f"{remaining[0]} had the {word} votes ({format_votes(best)}) "
                    f"in round {round_number}.",
                )
        return remaining

    def _prefix(self, contenders, history) -> str:
        if self.mode is TiebreakMode.PERMUTATION:
            return "In the seeded permutation of the candidates, "
        if self.mode is TiebreakMode.PREVIOUS_ROUND:
            return (
                "Earlier rounds did not separate them, so the candidate order decided: "
                if history
                else "There is no earlier round, so the candidate order decided: "
            )
        return ""

    def _by_candidate_order(self, contenders, selecting_winner, purpose, prefix) -> Tiebreak:
        ordered = sorted(contenders, key=self.position.__getitem__)
        chosen = ordered[0] if selecting_winner else ordered[-1]
        where = "first" if selecting_winner else "last"
        order = "permutation" if self.mode is TiebreakMode.PERMUTATION else "candidate order"
        return Tiebreak(
            purpose, contenders, chosen, f"{prefix}{chosen} comes {where} in the {order}."
        )
