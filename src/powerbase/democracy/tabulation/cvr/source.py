"""One CVR source of an RCTab contest config, and how its raw marks become our ballots.

Every vendor reader yields *raw ballots*: an id, a precinct, and a list of (rank, label) pairs
as the file spells them. `BallotMaker` turns labels into candidate names (aliases, the
overvote label or delimiter, the undeclared write-in label, the skipped-rank label) and ranks
into a Ballot, refusing with a sentence that names the file and the ballot anything it cannot
place. Identical raw ballots are counted once and converted once (see `ballots_from`).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from powerbase.democracy.tabulation.ballots import OVERVOTE, UNDECLARED_WRITE_INS, Ballot, Mark
from powerbase.democracy.tabulation.errors import CvrError

type RawRanks = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class CvrSource:
    """What the config says about one CVR source (RCTab's `cvrFileSources` entry)."""

    provider: str
    path: Path
    contest_id: str = ""
    first_vote_column: int | None = None  # 1-based, ES&S and generic CSV
    first_vote_row: int | None = None  # 1-based
    id_column: int | None = None
    precinct_column: int | None = None
    overvote_delimiter: str = ""
    overvote_label: str = ""
    skipped_rank_label: str = ""
    undeclared_write_in_label: str = ""
    treat_blank_as_write_in: bool = False

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class RawBallot:
    """A ballot as the file has it: an id for error messages and (rank, label) pairs."""

    id: str
    ranks: RawRanks


class BallotMaker:
    """Turn raw (rank, label) pairs into a Ballot under one source's labels and the candidates."""

    def __init__(self, source: CvrSource, aliases: dict[str, str], max_rankings: int | None):
        self.source = source
        self.names = dict(aliases)
        if source.undeclared_write_in_label:
            self.names[source.undeclared_write_in_label] = UNDECLARED_WRITE_INS
        self.max_rankings = max_rankings

    def for_source(self, source: CvrSource) -> "BallotMaker":
        """Return a maker with the same candidates for another source (to name its file)."""
        maker = BallotMaker(source, {}, self.max_rankings)
        maker.names = self.names
        return maker

    def ballot(self, raw: RawBallot, count: int = 1) -> Ballot:
        marks: dict[int, list[str]] = {}
        for rank, label in raw.ranks:
            name = self._name(raw, rank, label)
            if name is None:
                continue
            if self.max_rankings is not None and rank > self.max_rankings:
                raise self._error(
                    raw,
                    f"it ranks '{label}' at rank {rank}, but the contest "
                    f"allows {self.max_rankings} rankings "
                    "(maxRankingsAllowed).",
                )
            names = marks.setdefault(rank, [])
            if name not in names:
                names.append(name)
        if not marks:
            return Ballot((), count=count)
        ranks: list[Mark] = [()] * max(marks)
        for rank, names in marks.items():
            if rank < 1:
                raise self._error(raw, f"it has a rank {rank}; ranks start at 1.")
            ranks[rank - 1] = _overvote_if_labelled(names)
        return Ballot(ranks, count=count)

    def _name(self, raw: RawBallot, rank: int, label: str) -> str | None:
        text = label.strip()
        source = self.source
        if not text:
            return UNDECLARED_WRITE_INS if source.treat_blank_as_write_in else None
        if source.skipped_rank_label and text == source.skipped_rank_label:
            return None
        if source.overvote_label and text == source.overvote_label:
            return OVERVOTE
        name = self.names.get(text)
        if name is None:
            raise self._error(
                raw,
                f"it ranks '{text}' at rank {rank}, who is not a candidate "
                "in the contest config (add the name or an alias).",
            )
        return name

    def _error(self, raw: RawBallot, problem: str) -> CvrError:
        return CvrError(file=str(self.source.path), ballot=raw.id, problem=problem)


def _overvote_if_labelled(names: list[str]) -> tuple[str, ...]:
    if OVERVOTE in names:
        return (OVERVOTE,)
    return tuple(names)


def ballots_from(raws: Iterable[RawBallot], maker: BallotMaker) -> Iterator[Ballot]:
    """Count identical raw ballots, then convert each distinct one once (a CVR of a million
    ballots usually holds far fewer distinct rankings). The first id of each is kept for errors."""
    counts: dict[RawRanks, int] = {}
    first_ids: dict[RawRanks, str] = {}
    for raw in raws:
        seen = counts.get(raw.ranks)
        if seen is None:
            counts[raw.ranks] = 1
            first_ids[raw.ranks] = raw.id
        else:
            counts[raw.ranks] = seen + 1
    for ranks, count in counts.items():
        yield maker.ballot(RawBallot(first_ids[ranks], ranks), count)
