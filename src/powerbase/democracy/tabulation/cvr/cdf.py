"""NIST Common Data Format (SP 1500-103) cast vote records, in JSON or XML.

The contest is found by its id or its name (the config's contestId); a selection's label is
its candidate's name, and a write-in selection counts for Undeclared Write-ins. Each CVR is
read from its current snapshot. Both are streamed: the election definitions are read in a
first pass, the ballots one at a time in a second.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from powerbase.democracy.tabulation.ballots import UNDECLARED_WRITE_INS
from powerbase.democracy.tabulation.cvr import json_stream
from powerbase.democracy.tabulation.cvr.cells import reading
from powerbase.democracy.tabulation.cvr.source import CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


@dataclass
class Contest:
    """The contest's id and what each of its selection ids stands for."""

    id: str
    labels: dict[str, str] = field(default_factory=dict)


def read(source: CvrSource) -> Iterator[RawBallot]:
    if source.path.suffix.lower() == ".xml":
        return _read_xml(source)
    return _read_json(source)


def _error(source: CvrSource, problem: str, ballot: str | None = None) -> CvrError:
    return CvrError(file=str(source.path), ballot=ballot, problem=problem)


# JSON --------------------------------------------------------------------------------------


def _read_json(source: CvrSource) -> Iterator[RawBallot]:
    what = "a CDF cast vote record report"
    contest = _json_contest(
        source, {"Election": json_stream.value(source.path, "Election", what) or []}
    )
    for number, cvr in enumerate(json_stream.items(source.path, "CVR", what), start=1):
        ranks = _json_ranks(source, contest, cvr, number)
        if ranks is not None:
            yield RawBallot(_ballot_id(cvr, number), ranks)


def _json_contest(source: CvrSource, report: dict) -> Contest:
    try:
        names = {
            c["@id"]: c.get("Name", "")
            for e in report.get("Election", [])
            for c in e.get("Candidate", [])
        }
        for election in report.get("Election", []):
            for contest in election.get("Contest", []):
                if source.contest_id in (contest.get("@id"), contest.get("Name")):
                    return Contest(
                        contest["@id"],
                        {
                            s["@id"]: _label(s.get("IsWriteIn"), s.get("CandidateIds") or [], names)
                            for s in contest.get("ContestSelection", [])
                        },
                    )
    except (KeyError, TypeError, AttributeError) as error:
        raise _error(source, f"The election definition is malformed (missing {error}).") from None
    raise _error(source, f"No contest has the id or name '{source.contest_id}' (contestId).")


def _label(is_write_in, candidate_ids, names: dict[str, str]) -> str:
    if str(is_write_in).lower() == "true":
        return UNDECLARED_WRITE_INS
    return names.get(candidate_ids[0], candidate_ids[0]) if candidate_ids else ""


def _json_ranks(source, contest: Contest, cvr, number):
    ballot = _ballot_id(cvr, number) if isinstance(cvr, dict) else f"number {number}"
    try:
        snapshot = _current_snapshot(cvr)
        for cvr_contest in snapshot.get("CVRContest", []):
            if cvr_contest["ContestId"] != contest.id:
                continue
            return tuple(
                mark
                for selection in cvr_contest.get("CVRContestSelection") or []
                for mark in _json_marks(source, contest, ballot, selection)
            )
    except (KeyError, TypeError, AttributeError) as error:
        raise _error(source, f"the CVR is malformed (missing or wrong {error}).", ballot) from None
    return None  # this ballot does not have the contest


def _json_marks(source, contest: Contest, ballot, selection: dict):
    """Yield (rank, label) for one selection: its rank is on the selection itself or on each
    of its positions (the standard allows both); a position holding a write-in is one."""
    label = _selection(source, ballot, contest, selection["ContestSelectionId"])
    if "Rank" in selection:
        yield _rank(source, ballot, selection["Rank"]), label
        return
    for position in selection.get("SelectionPosition") or []:
        if _counts(position.get("HasIndication"), position.get("IsAllocable")):
            yield (
                _rank(source, ballot, position.get("Rank")),
                UNDECLARED_WRITE_INS if "CVRWriteIn" in position else label,
            )


def _current_snapshot(cvr: dict) -> dict:
    snapshots = cvr["CVRSnapshot"]
    current = cvr.get("CurrentSnapshotId")
    return next((s for s in snapshots if s.get("@id") == current), snapshots[0])


def _ballot_id(cvr: dict, number: int) -> str:
    return str(cvr.get("BallotPrePrintedId") or cvr.get("UniqueId") or f"number {number}")


# XML ---------------------------------------------------------------------------------------


def _read_xml(source: CvrSource) -> Iterator[RawBallot]:
    contest = _xml_contest(source)
    for number, element in enumerate(_elements(source, "CVR"), start=1):
        ballot = _text(element, "UniqueId") or f"number {number}"
        current = _text(element, "CurrentSnapshotId")
        snapshots = [s for s in element if _tag(s) == "CVRSnapshot"]
        snapshot = next(
            (s for s in snapshots if s.get("ObjectId") == current),
            snapshots[0] if snapshots else None,
        )
        if snapshot is None:
            raise _error(source, "the CVR has no CVRSnapshot.", ballot)
        ranks = _xml_ranks(source, contest, snapshot, ballot)
        element.clear()
        if ranks is not None:
            yield RawBallot(ballot, ranks)


def _xml_contest(source: CvrSource) -> Contest:
    names: dict[str, str] = {}
    found = None
    for element in _elements(source, "Election"):
        for child in element:
            if _tag(child) == "Candidate":
                names[child.get("ObjectId", "")] = _text(child, "Name")
        for contest in (c for c in element if _tag(c) == "Contest"):
            if source.contest_id in (contest.get("ObjectId"), _text(contest, "Name")):
                found = contest
        if found is not None:
            selections = [s for s in found if _tag(s) == "ContestSelection"]
            return Contest(
                found.get("ObjectId", ""),
                {
                    s.get("ObjectId", ""): _label(
                        _text(s, "IsWriteIn"), [_text(s, "CandidateIds")], names
                    )
                    for s in selections
                },
            )
    raise _error(source, f"No contest has the id or name '{source.contest_id}' (contestId).")


def _xml_ranks(source, contest: Contest, snapshot, ballot):
    for cvr_contest in (c for c in snapshot if _tag(c) == "CVRContest"):
        if _text(cvr_contest, "ContestId") != contest.id:
            continue
        marks = []
        for selection in (s for s in cvr_contest if _tag(s) == "CVRContestSelection"):
            if _text(selection, "Status") == "needs-adjudication":
                continue  # RCTab skips a selection awaiting adjudication
            label = _selection(source, ballot, contest, _text(selection, "ContestSelectionId"))
            if _text(selection, "Rank"):
                marks.append((_rank(source, ballot, _text(selection, "Rank")), label))
                continue
            for position in (p for p in selection if _tag(p) == "SelectionPosition"):
                if _counts(_text(position, "HasIndication"), _text(position, "IsAllocable")):
                    written_in = any(_tag(child) == "CVRWriteIn" for child in position)
                    marks.append(
                        (
                            _rank(source, ballot, _text(position, "Rank")),
                            UNDECLARED_WRITE_INS if written_in else label,
                        )
                    )
        return tuple(marks)
    return None


def _elements(source: CvrSource, wanted: str):
    """Yield each complete <wanted> element of the file, streaming."""
    with reading(source.path, "a CDF XML file"):
        try:
            for _, element in iterparse(source.path, events=("end",)):
                if _tag(element) == wanted:
                    yield element
        except ET.ParseError as error:
            raise _error(source, f"This is not well-formed XML ({error}).") from None
        except LookupError as error:  # encoding="U-F-8": a name no codec has
            raise _error(
                source, f"The XML names an encoding that does not exist ({error})."
            ) from None
        except DefusedXmlException as error:
            raise _error(
                source,
                f"The XML declares entities or a DTD, which a CVR never "
                f"needs ({type(error).__name__}).",
            ) from None


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _text(element, child_tag: str) -> str:
    for child in element:
        if _tag(child) == child_tag:
            return (child.text or "").strip()
    return ""


# Both --------------------------------------------------------------------------------------


def _counts(has_indication, is_allocable) -> bool:
    return str(has_indication).lower() != "no" and str(is_allocable).lower() != "no"


def _selection(source, ballot, contest: Contest, selection_id) -> str:
    label = contest.labels.get(str(selection_id))
    if label is None:
        raise _error(
            source, f"it marks the selection '{selection_id}', which is not in the contest.", ballot
        )
    return label


def _rank(source, ballot, value) -> int:
    try:
        rank = int(value)
    except (TypeError, ValueError):
        raise _error(source, f"'{value}' is not a rank (1, 2, ...).", ballot) from None
    if rank < 1:
        raise _error(source, f"'{value}' is not a rank (1, 2, ...).", ballot)
    return rank
