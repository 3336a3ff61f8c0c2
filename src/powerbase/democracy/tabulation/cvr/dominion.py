"""Dominion exports: a folder of CvrExport*.json files with manifests beside them.

As RCTab reads it: every `CvrExport*.json` in number order (gaps allowed), one session at a
time (a county's export never sits in memory whole). Each session's "Original" record is read
while it IsCurrent, else its adjudicated "Modified" one (a session with neither is skipped);
each appearance of the contest on a card is a ballot. Ambiguous marks are skipped; a mark's
label is the candidate's id, which the config maps to a name through the candidate's
aliases. The contest is the config's contestId, checked against ContestManifest.json.
"""

from collections.abc import Iterator

from powerbase.democracy.tabulation.cvr import json_stream
from powerbase.democracy.tabulation.cvr.source import CvrSource, RawBallot
from powerbase.democracy.tabulation.errors import CvrError


def read(source: CvrSource) -> Iterator[RawBallot]:
    folder = source.path
    if not folder.is_dir():
        raise CvrError(
            file=str(folder),
            problem="A Dominion source must be the export folder "
            "(holding CvrExport*.json and its manifests).",
        )
    _check_contest(source)
    exports = _exports(folder)
    if not exports:
        raise CvrError(file=str(folder), problem="The folder holds no CvrExport*.json file.")
    for export in exports:
        yield from _sessions(source, export)


def _exports(folder) -> list:
    return sorted(folder.glob("CvrExport*.json"), key=_export_order)


def _export_order(path):
    suffix = path.stem.removeprefix("CvrExport").lstrip("_")
    return (0, int(suffix), "") if suffix.isdigit() else (1, 0, path.name)


def _check_contest(source: CvrSource) -> None:
    manifest = source.path / "ContestManifest.json"
    if not manifest.exists():
        return
    listed = json_stream.value(manifest, "List", "Dominion's contest manifest")
    try:
        ids = {str(contest["Id"]) for contest in listed}
    except (KeyError, TypeError):
        raise CvrError(
            file=str(manifest), problem="The manifest has no List of contests with an Id."
        ) from None
    if source.contest_id not in ids:
        raise CvrError(
            file=str(manifest), problem=f"No contest has the id '{source.contest_id}' (contestId)."
        )


def _sessions(source: CvrSource, export) -> Iterator[RawBallot]:
    sessions = json_stream.items(export, "Sessions", "a Dominion CVR export")
    for number, session in enumerate(sessions, start=1):
        ballot = _session_id(session, number)
        try:
            contests = list(_contest_ranks(source, session))
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise CvrError(
                file=str(export),
                ballot=ballot,
                problem=f"the session is malformed ({type(error).__name__}: {error}).",
            ) from None
        for ranks in contests:
            yield RawBallot(ballot, ranks)


def _session_id(session, number: int) -> str:
    if isinstance(session, dict) and "RecordId" in session:
        return f"{session.get('TabulatorId')}-{session.get('BatchId')}-{session['RecordId']}"
    return f"number {number}"


def _contest_ranks(source: CvrSource, session: dict):
    """Yield the (rank, candidate id) marks of each appearance of the contest in *session*."""
    record = session["Original"]
    if record.get("IsCurrent", True) is False:
        record = session.get("Modified")
        if record is None:
            return  # never adjudicated: RCTab skips it too
    for card in record.get("Cards", [record]):
        for contest in card.get("Contests", []):
            if str(contest["Id"]) == source.contest_id:
                yield tuple(
                    (int(mark["Rank"]), str(mark["CandidateId"]))
                    for mark in contest.get("Marks", [])
                    if mark.get("IsAmbiguous") is not True
                )
