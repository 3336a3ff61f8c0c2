"""Readers for the cast vote records (CVRs) election offices publish, as RCTab reads them.

    ess           ES&S .xlsx: one row per ballot, one column per rank
    genericCsv    a CSV with one column per candidate holding the rank given to them
    clearBallot   Clear Ballot .cvr.csv: one 0/1 column per candidate and rank
    cdf           NIST Common Data Format, JSON or XML
    dominion      a Dominion export folder: CvrExport*.json with its manifests
    hart          a folder of Hart XML files, one per ballot

Each reader yields RawBallots (an id and the (rank, label) pairs of the contest) one at a time;
`source.ballots_from` merges identical ones before they become Ballots. The contest config
that names the sources is read by `tabulation.rctab_config`.
"""

from collections.abc import Callable, Iterator

from powerbase.democracy.tabulation.cvr import cdf, clear_ballot, dominion, ess, generic_csv, hart
from powerbase.democracy.tabulation.cvr.source import (
    BallotMaker,
    CvrSource,
    RawBallot,
    ballots_from,
)

READERS: dict[str, Callable[[CvrSource], Iterator[RawBallot]]] = {
    "ess": ess.read,
    "genericCsv": generic_csv.read,
    "clearBallot": clear_ballot.read,
    "cdf": cdf.read,
    "dominion": dominion.read,
    "hart": hart.read,
}

__all__ = ["READERS", "BallotMaker", "CvrSource", "RawBallot", "ballots_from"]
