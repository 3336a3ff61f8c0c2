"""Sanity gates: the checks a newly built version passes before it goes into use.

A wrong layout, a download cut off mid-row or a file holding only its header row all build
"successfully": without these checks such a file would become the voter file in use, with 0
voters and tens of thousands of "removals". A version that fails a gate is kept (held) for
inspection and the version in use stays in use.

    gates = check(result, limits=Limits())
    failed = [gate for gate in gates if not gate.passed]

The gates:

    well_formed   at least 95% of the registration rows could be read and carry a voter id
                  (a wrong delimiter or layout fails here); a file with no rows fails
    complete      no file stops mid-row without a final line break (a cut-off download)
    overlap       at least half of the smaller of the two versions' voter ids are in both
                  (a wrong headerless layout reads ids from the wrong column and fails here)
    removals      no more than 10% of the registered voters of the version in use are gone
                  (a partial download fails here), unless the importer accepts a large change

This module is Django-free: services decide what a failed gate means.
"""

from dataclasses import asdict, dataclass

from powerbase.voterfile.build import BuildResult

NO_ID = "rows without a voter id"


@dataclass(frozen=True)
class Limits:
    """The thresholds, as shares (0.95 is 95%)."""

    min_well_formed: float = 0.95
    min_overlap: float = 0.5
    max_removed: float = 0.10


@dataclass(frozen=True)
class Gate:
    """One check: its name, whether it passed, the share measured, the limit, a sentence."""

    name: str
    passed: bool
    value: float
    limit: float
    sentence: str
    overridable: bool = False  # --accept-large-change lets this one through

    def as_dict(self) -> dict:
        return asdict(self)


def check(result: BuildResult, *, limits: Limits, accept_large_change: bool = False) -> list[Gate]:
    """Return the gates for *result*, in the order a person reads them."""
    gates = [_well_formed(result, limits), _complete(result)]
    if result.comparison:
        gates.append(_overlap(result.comparison, limits))
        gates.append(_removals(result.comparison, limits, accept_large_change))
    return gates


def failed(gates: list[dict]) -> list[dict]:
    """Return the gates (as stored on a version) that did not pass."""
    return [gate for gate in gates if not gate["passed"]]


def _well_formed(result: BuildResult, limits: Limits) -> Gate:
    registration_files = [file for file in result.files if file["role"] == "voters"]
    read = sum(file["rows"] for file in registration_files)
    malformed = sum(file["malformed"] for file in registration_files)
    total = read + malformed
    good = read - result.skipped.get(NO_ID, 0)
    if total == 0:
        return Gate(
            "well_formed",
            False,
            0.0,
            limits.min_well_formed,
            "The registration files hold no rows: only a header, or nothing at all.",
        )
    share = good / total
    passed = share >= limits.min_well_formed and good > 0
    return Gate(
        "well_formed",
        passed,
        round(share, 4),
        limits.min_well_formed,
        f"{good:,} of {total:,} registration rows ({_percent(share)}) were well formed, with a "
        f"voter id; at least {_percent(limits.min_well_formed)} must be"
        + ("." if passed else ". Is this the right layout, and is the file complete?"),
    )


def _complete(result: BuildResult) -> Gate:
    cut = [file["name"] for file in result.files if file.get("cut_off")]
    if not cut:
        return Gate("complete", True, 1.0, 1.0, "Every file ends with a whole row.")
    return Gate(
        "complete",
        False,
        0.0,
        1.0,
        f"{', '.join(cut)} stops in the middle of a row, without a final line break: "
        "the download was cut off. Download it again.",
        overridable=True,
    )


def _overlap(comparison: dict, limits: Limits) -> Gate:
    shared = comparison["shared_ids"]
    smaller = min(comparison["previous_voters"], comparison["voters"])
    share = shared / smaller if smaller else 0.0
    passed = share >= limits.min_overlap
    return Gate(
        "overlap",
        passed,
        round(share, 4),
        limits.min_overlap,
        f"{shared:,} voter ids are in both this version and the version in use: "
        f"{_percent(share)} of the smaller of the two ({smaller:,}); at least "
        f"{_percent(limits.min_overlap)} must be"
        + (
            "."
            if passed
            else ". The ids may come from the wrong column (a wrong layout), or "
            "this is another place's voter file."
        ),
        overridable=True,
    )


def _removals(comparison: dict, limits: Limits, accepted: bool) -> Gate:
    removed, before = comparison["removed"], comparison["previous_registered"]
    share = removed / before if before else 0.0
    within = share <= limits.max_removed
    sentence = (
        f"{removed:,} of the {before:,} registered voters of the version in use "
        f"({_percent(share)}) are gone or removed; at most {_percent(limits.max_removed)}"
        " may be"
    )
    if within:
        sentence += "."
    elif accepted:
        sentence += ", and the importer accepted this large change."
    else:
        sentence += (
            ". A partial download looks like this; if the change is real, accept it "
            "(--accept-large-change, or the confirmation on the version's page)."
        )
    return Gate(
        "removals",
        within or accepted,
        round(share, 4),
        limits.max_removed,
        sentence,
        overridable=True,
    )


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%".replace(".0%", "%")
