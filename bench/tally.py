"""Benchmark `powerbase tally` on 1,041,313 ES&S-shaped ranked ballots, as a voter would run it.

    .venv/bin/python bench/tally.py [--ballots N] [--files 13] [--seed S] [--skip-xlsx]

The ballots are seeded and shaped like the Minneapolis 2013 mayoral CVR that RCTab's suite
counts: 35 declared candidates (a few strong, a long tail of rare ones), write-ins ("UWI"),
the "overvote" and "undervote" labels, blank ballots, and up to 3 ranks. They are written
once to bench/out/ (reused on later runs) as
- our ballot CSV (rank1..rank3, the labels translated as `--rctab-config` would), and
- 13 ES&S .xlsx files with an RCTab contest config naming them.

Measured, in the same run, each as a ratio to its plain read:
1. `powerbase tally ballots.csv --method irv ...` as a whole command (a new process: start-up,
   reading, counting, printing), against a plain `csv.reader` pass over the file. Goal: < 2 s.
2. `powerbase tally --rctab-config` on the .xlsx files as a whole command, against reading the
   same files with python-calamine alone. Goal: at most 1.5x the plain read.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out" / "tally"
CANDIDATES = [f"Candidate {number:02d}" for number in range(1, 36)]
WRITE_IN, OVERVOTE, UNDERVOTE = "UWI", "overvote", "undervote"
HEADER = ["Cast Vote Record", "Precinct", "Ballot Style", "1st Choice", "2nd Choice", "3rd Choice"]


def generate(count: int, seed: int) -> list[tuple[str, str, str]]:
    """Return *count* ballots of three ES&S cells each."""
    generator = random.Random(seed)
    # A few strong candidates and a long tail of rare ones (power law), plus the labels.
    weights = [1.0 / (rank + 1) ** 1.8 for rank in range(len(CANDIDATES))]
    labels = CANDIDATES + [WRITE_IN, OVERVOTE, UNDERVOTE]
    weights += [0.004, 0.003, 0.25]
    cumulative = list(_running(weights))
    ballots = []
    picks = generator.choices(labels, cum_weights=cumulative, k=count * 3)
    blank = ("undervote", "undervote", "undervote")
    for number in range(count):
        if generator.random() < 0.02:
            ballots.append(blank)
            continue
        first, second, third = picks[3 * number : 3 * number + 3]
        ballots.append((first, second, third))
    return ballots


def _running(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def write_csv(ballots, path: Path) -> None:
    translate = {WRITE_IN: "Undeclared Write-ins", UNDERVOTE: ""}
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["rank1", "rank2", "rank3"])
        for ballot in ballots:
            out.writerow([translate.get(cell, cell) for cell in ballot])


def write_xlsx(ballots, files: int, folder: Path) -> Path:
    from openpyxl import Workbook

    size = -(-len(ballots) // files)
    sources = []
    for index in range(files):
        path = folder / f"mayor_cvr_{index + 1:02d}.xlsx"
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        start = index * size
        for number, ballot in enumerate(ballots[start : start + size], start=start + 1):
            sheet.append(
                [number, f"MINNEAPOLIS W-{number % 13 + 1} P-0{number % 9 + 1}", "1", *ballot]
            )
        workbook.save(path)
        sources.append(
            {
                "filePath": path.name,
                "firstVoteColumnIndex": "4",
                "firstVoteRowIndex": "2",
                "idColumnIndex": "1",
                "precinctColumnIndex": "2",
                "provider": "ess",
                "overvoteLabel": OVERVOTE,
                "skippedRankLabel": UNDERVOTE,
                "undeclaredWriteInLabel": WRITE_IN,
            }
        )
    config = folder / "mayor_config.json"
    config.write_text(
        json.dumps(
            {
                "outputSettings": {"contestName": "Benchmark mayor"},
                "cvrFileSources": sources,
                "candidates": [
                    {"name": name, "excluded": False, "aliases": []} for name in CANDIDATES
                ],
                "rules": {
                    "tiebreakMode": "random",
                    "randomSeed": "0",
                    "overvoteRule": "alwaysSkipToNextRank",
                    "winnerElectionMode": "singleWinnerMajority",
                    "numberOfWinners": "1",
                    "decimalPlacesForVoteArithmetic": "4",
                    "maxSkippedRanksAllowed": "unlimited",
                    "maxRankingsAllowed": "3",
                    "batchElimination": True,
                },
            },
            indent=1,
        )
    )
    return config


def plain_csv_read(path: Path) -> int:
    with path.open(newline="") as handle:
        return sum(1 for _ in csv.reader(handle))


def plain_calamine_read(paths: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    rows = 0
    for path in paths:
        for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows():
            rows += 1
    return rows


def command(*args: str) -> tuple[float, float]:
    """Run `powerbase tally ARGS` as a new process; return its wall and CPU seconds."""
    powerbase = Path(sys.executable).parent / "powerbase"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    finished = subprocess.run(
        [str(powerbase), "tally", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished.returncode:
        sys.exit(f"powerbase tally failed:\n{finished.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_process(function, *args) -> tuple[float, float]:
    """Return the wall and CPU seconds of function(*args) in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return time.perf_counter() - start, time.process_time() - cpu


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_041_313)
    parser.add_argument("--files", type=int, default=13)
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--runs", type=int, default=3, help="best of N runs per figure")
    parser.add_argument("--skip-xlsx", action="store_true")
    options = parser.parse_args()

    folder = OUT / f"{options.ballots}-{options.files}-{options.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    ballots_csv = folder / "ballots.csv"
    config = folder / "mayor_config.json"
    if not ballots_csv.exists() or (not options.skip_xlsx and not config.exists()):
        ballots, generating = timed(generate, options.ballots, options.seed)
        write_csv(ballots, ballots_csv)
        if not options.skip_xlsx:
            write_xlsx(ballots, options.files, folder)
        print(
            f"Generated {options.ballots:,} ballots in {generating:.1f} s into {folder} "
            "(not part of any figure below)."
        )

    candidates = "|".join([*CANDIDATES, "Undeclared Write-ins"])
    runs = options.runs
    rows = [
        (
            "plain csv.reader pass over ballots.csv",
            _best(runs, in_process, plain_csv_read, ballots_csv),
            None,
        ),
        (
            "powerbase tally ballots.csv (whole command)",
            _best(
                runs,
                command,
                str(ballots_csv),
                "--method",
                "irv",
                "--candidates",
                candidates,
                "--overvote-rule",
                "always-skip-to-next-rank",
                "--batch-elimination",
            ),
            0,
        ),
    ]
    if not options.skip_xlsx:
        paths = sorted(folder.glob("mayor_cvr_*.xlsx"))
        rows += [
            (
                f"plain python-calamine read of {len(paths)} .xlsx",
                _best(runs, in_process, plain_calamine_read, paths),
                None,
            ),
            (
                "powerbase tally --rctab-config (whole command)",
                _best(runs, command, "--rctab-config", str(config)),
                2,
            ),
        ]
    rows.append(("powerbase tally --help (start-up alone)", _best(runs, command, "--help"), 0))
    print(
        f"{options.ballots:,} ballots, best of {runs} runs; CPU = user + system seconds "
        "(the machine is shared, so wall time varies more)"
    )
    print(f"{'step':<48} {'wall s':>7} {'CPU s':>7} {'x plain (wall)':>15} {'x plain (CPU)':>14}")
    for label, (wall, cpu), baseline in rows:
        if baseline is None:
            print(f"{label:<48} {wall:>7.2f} {cpu:>7.2f} {1:>15.2f} {1:>14.2f}")
        else:
            base_wall, base_cpu = rows[baseline][1]
            print(
                f"{label:<48} {wall:>7.2f} {cpu:>7.2f} {wall / base_wall:>15.2f} "
                f"{cpu / base_cpu:>14.2f}"
            )
    print(
        "Goals: the CSV command under 2 s; the --rctab-config command at most 1.5x the "
        "plain calamine read."
    )


def _best(runs: int, measure, *args) -> tuple[float, float]:
    return min((measure(*args) for _ in range(runs)), key=lambda pair: pair[0])


if __name__ == "__main__":
    main()
