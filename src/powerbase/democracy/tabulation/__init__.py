"""The counting engine: pure Python, no Django, so anyone can recount a published ballot set.

    from powerbase.democracy.tabulation import Ballot, Rules, tabulate

    ballots = [Ballot(["Ana", "Bo"], count=30), Ballot(["Bo"], count=35),
               Ballot(["Cy", "Bo"], count=10)]
    result = tabulate("irv", ballots, Rules())
    result.winners            # ["Bo"]
    result.to_dict()          # the round-by-round record, JSON-ready

Methods: plurality, approval, threshold (yes/no/abstain), score, irv, stv, sequential-irv,
bottoms-up, schulze. Ranked counts follow RCTab, the open-source official US tabulator, round
for round (rctab_config reads its contest configs and the CVR files they name);
docs/tabulation.md describes every rule option and where we deviate.
"""

from powerbase.democracy.tabulation.ballots import OVERVOTE, Ballot
from powerbase.democracy.tabulation.ballots_csv import BallotFile, read_ballots_csv
from powerbase.democracy.tabulation.errors import BallotFileError, CvrError, TabulationError
from powerbase.democracy.tabulation.methods import tabulate
from powerbase.democracy.tabulation.rcv import bottoms_up, irv, sequential_irv, stv
from powerbase.democracy.tabulation.record import CountResult, InactiveReason, Round, Tiebreak
from powerbase.democracy.tabulation.rules import (
    Method,
    OvervoteRule,
    Quota,
    RepeatedCandidate,
    Requirement,
    Rules,
    ShareOf,
    TiebreakMode,
)
from powerbase.democracy.tabulation.schulze import schulze
from powerbase.democracy.tabulation.single_round import approval, plurality, score
from powerbase.democracy.tabulation.threshold import threshold_vote

__all__ = [
    "OVERVOTE",
    "Ballot",
    "BallotFile",
    "BallotFileError",
    "CountResult",
    "CvrError",
    "InactiveReason",
    "Method",
    "OvervoteRule",
    "Quota",
    "RepeatedCandidate",
    "Requirement",
    "Round",
    "Rules",
    "ShareOf",
    "TabulationError",
    "Tiebreak",
    "TiebreakMode",
    "approval",
    "bottoms_up",
    "irv",
    "plurality",
    "read_ballots_csv",
    "schulze",
    "score",
    "sequential_irv",
    "stv",
    "tabulate",
    "threshold_vote",
]
