"""A compact notation for hand-written elections in tests.

    ballots("4: A > B", "2 @2.5: C > _ > B|D", "1: overvote > A", "3:")

"N: ..." is N identical ballots; "@W" gives each a weight; ">" separates ranks; "_" is a skipped
rank; "B|D" marks both at one rank (an overvote); "overvote" is a bare overvote; nothing after
the colon is a blank ballot.
"""

from powerbase.democracy.tabulation import Ballot


def ballots(*lines: str) -> list[Ballot]:
    """Return the ballots the lines describe."""
    return [_ballot(line) for line in lines]


def _ballot(line: str) -> Ballot:
    head, _, body = line.partition(":")
    count, _, weight = head.partition("@")
    ranks = [_rank(rank.strip()) for rank in body.split(">")] if body.strip() else []
    return Ballot(ranks, count=int(count), weight=weight.strip() or 1)


def _rank(text: str):
    if text == "_":
        return None
    return tuple(text.split("|")) if "|" in text else text
