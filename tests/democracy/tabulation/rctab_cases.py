"""RCTab's regression cases (rctab/ next to this file) and how to compare a count with them.

Each case folder holds RCTab's contest config, the CVRs it reads and RCTab's expected
round-by-round report; most also hold the same ballots in our CSV (`ballots.csv.gz`) with the
`powerbase tally` options (`args.txt`). `differences()` lists, in sentences, every place where
our record and RCTab's disagree; an empty list means identical.
"""

import gzip
import json
import shlex
from decimal import Decimal
from pathlib import Path

RCTAB = Path(__file__).parent / "rctab"
REFUSED = ("invalid_params_test", "invalid_sources_test", "max_ranking_enforcement")
BUCKETS = {
    "overvotes": "overvote",
    "skippedRankings": "skipped_rankings",
    "exhaustedChoices": "exhausted_choices",
    "repeatedRankings": "repeated_rankings",
}


def case_names() -> list[str]:
    return sorted(p.name for p in RCTAB.iterdir() if p.is_dir() and list(p.glob("*_config.json")))


def csv_cases() -> list[str]:
    return [name for name in case_names() if (RCTAB / name / "args.txt").exists()]


def reported_cases() -> list[str]:
    return [name for name in case_names() if expected_reports(name)]


def config_path(name: str) -> Path:
    return RCTAB / name / f"{name}_config.json"


def args(name: str) -> list[str]:
    return shlex.split((RCTAB / name / "args.txt").read_text())


def csv_ballots(name: str, tmp_path: Path) -> Path:
    """Unpack the case's ballot CSV into *tmp_path* and return its path."""
    path = tmp_path / f"{name}.csv"
    with gzip.open(RCTAB / name / "ballots.csv.gz", "rb") as packed:
        path.write_bytes(packed.read())
    return path


def expected_reports(name: str) -> list[dict]:
    """Return RCTab's report(s): one, or one per seat for sequential IRV."""
    folder = RCTAB / name
    single = folder / f"{name}_expected_detailed_report.json"
    if single.exists():
        return [json.loads(single.read_text())]
    numbered = sorted(
        folder.glob(f"{name}_*_expected_detailed_report.json"),
        key=lambda p: int(p.name[len(name) + 1 :].split("_")[0]),
    )
    return [json.loads(p.read_text()) for p in numbered]


def differences(record: dict, reports: list[dict]) -> list[str]:
    """Compare our record (CountResult.to_dict()) with RCTab's report(s), pass by pass."""
    passes = record["passes"] or [record]
    if len(passes) != len(reports):
        return [f"{len(passes)} passes, RCTab has {len(reports)}"]
    found = []
    for number, (ours, theirs) in enumerate(zip(passes, reports, strict=True), start=1):
        prefix = f"pass {number}, " if len(reports) > 1 else ""
        found += [prefix + line for line in _round_differences(ours["rounds"], theirs["results"])]
    return found


def _round_differences(ours: list[dict], theirs: list[dict]) -> list[str]:
    found = []
    if len(ours) != len(theirs):
        found.append(f"{len(ours)} rounds, RCTab has {len(theirs)}")
    for mine, rctab in zip(ours, theirs, strict=False):
        where = f"round {rctab['round']}"
        for what, a, b in _aspects(mine, rctab):
            if a != b:
                found.append(f"{where}, {what}: ours {a}, RCTab {b}")
    return found


def _aspects(mine: dict, rctab: dict):
    yield "tally", _amounts(mine["tally"]), _amounts(rctab["tally"])
    yield "threshold", Decimal(mine["threshold"]), Decimal(rctab["threshold"])
    results = rctab.get("tallyResults", [])
    yield (
        "elected",
        sorted(mine["elected"]),
        sorted(r["elected"] for r in results if "elected" in r),
    )
    yield (
        "eliminated",
        sorted(mine["eliminated"]),
        sorted(r["eliminated"] for r in results if "eliminated" in r),
    )
    for theirs_key, our_key in BUCKETS.items():
        yield (
            theirs_key,
            Decimal(mine["inactive"][our_key]),
            Decimal(rctab["inactiveBallots"].get(theirs_key, "0")),
        )


def _amounts(tally: dict) -> dict:
    return {name: Decimal(votes) for name, votes in tally.items()}
