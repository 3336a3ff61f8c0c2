"""Write ballots as a NIST Common Data Format (SP 1500-103) cast vote record report in JSON.

RCTab (provider "cdf") and our own CDF reader read the file back, so a published ballot set
can be recounted with the certified tabulator too. One CVR per ballot (a Ballot's `count` is
written out as that many CVRs); an overvote is several selections at one rank. CDF has no
ballot weights and no overvote without names, so ballots with either are refused.
"""

import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from powerbase.democracy.tabulation.ballots import OVERVOTE, Ballot
from powerbase.democracy.tabulation.errors import TabulationError


def write_cdf_json(
    ballots: Iterable[Ballot], out: TextIO, *, contest: str, candidates: Sequence[str]
) -> int:
    """Write *ballots* to *out* as one CDF report, streaming; return the number of CVRs."""
    selection = {name: f"cs-{number}" for number, name in enumerate(candidates, start=1)}
    out.write(json.dumps(_election(contest, candidates, selection), indent=1)[:-2])
    out.write(',\n "CVR": [')
    written = 0
    for ballot in ballots:
        cvr_contest = _cvr_contest(ballot, selection)
        for _ in range(ballot.count):
            written += 1
            out.write("," if written > 1 else "")
            out.write(
                "\n  "
                + json.dumps(
                    {
                        "@type": "CVR.CVR",
                        "BallotPrePrintedId": str(written),
                        "CurrentSnapshotId": f"s-{written}",
                        "CVRSnapshot": [
                            {
                                "@id": f"s-{written}",
                                "@type": "CVR.CVRSnapshot",
                                "Type": "original",
                                "CVRContest": [cvr_contest],
                            }
                        ],
                    }
                )
            )
    out.write("\n ]\n}\n")
    return written


def _election(contest: str, candidates: Sequence[str], selection: dict) -> dict:
    return {
        "@type": "CVR.CastVoteRecordReport",
        "Version": "1.0.0",
        "GeneratedDate": "",
        "ReportGeneratingDeviceIds": ["powerbase"],
        "ReportingDevice": [
            {"@id": "powerbase", "@type": "CVR.ReportingDevice", "Application": "powerbase tally"}
        ],
        "Election": [
            {
                "@id": "election",
                "@type": "CVR.Election",
                "ElectionScopeId": "scope",
                "Candidate": [
                    {"@id": f"c-{number}", "Name": name}
                    for number, name in enumerate(candidates, start=1)
                ],
                "Contest": [
                    {
                        "@id": "contest",
                        "@type": "CandidateContest",
                        "Name": contest,
                        "ContestSelection": [
                            {
                                "@id": selection[name],
                                "@type": "CandidateSelection",
                                "CandidateIds": [f"c-{number}"],
                            }
                            for number, name in enumerate(candidates, start=1)
                        ],
                    }
                ],
            }
        ],
        "GpUnit": [{"@id": "scope", "@type": "CVR.GpUnit", "Type": "other", "Name": contest}],
    }


def _cvr_contest(ballot: Ballot, selection: dict) -> dict:
    if ballot.weight != 1:
        raise TabulationError(
            f"A ballot has the weight {ballot.weight}; the Common Data "
            "Format has no ballot weights, so this set cannot be exported."
        )
    marks = []
    for rank, mark in enumerate(ballot.ranks, start=1):
        for name in mark:
            if name == OVERVOTE:
                raise TabulationError(
                    "A ballot marks an overvote without naming the "
                    "candidates; the Common Data Format cannot say that."
                )
            if name not in selection:
                raise TabulationError(f"A ballot names '{name}', who is not among the candidates.")
            marks.append(
                {
                    "@type": "CVR.CVRContestSelection",
                    "ContestSelectionId": selection[name],
                    "SelectionPosition": [
                        {
                            "@type": "CVR.SelectionPosition",
                            "HasIndication": "yes",
                            "NumberVotes": 1,
                            "IsAllocable": "unknown",
                            "Rank": rank,
                        }
                    ],
                }
            )
    return {"@type": "CVR.CVRContest", "ContestId": "contest", "CVRContestSelection": marks}
