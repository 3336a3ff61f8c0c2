"""Voter-file reads run side by side: 16 universe counts in 16 threads of one process (as a
`powerbase serve` worker's threads) are inside DuckDB at the same time, and all count right,
while a new version builds."""

import threading
import time

from powerbase.field import universes
from powerbase.field.universes import UniverseFilter
from powerbase.voterfile import store
from powerbase.voterfile.build import build_version
from powerbase.voterfile.layout import load_layout

THREADS = 16
COUNTS_EACH = 5


def most_at_once(spans: list[tuple[float, float]]) -> int:
    """The largest number of *spans* (start, end) that were open at one moment."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    most = running = 0
    for _, change in events:
        running += change
        most = max(most, running)
    return most


def test_sixteen_universe_counts_overlap_and_agree_while_a_version_builds(
    nutmeg, voter_file, tmp_path
):
    chosen = UniverseFilter.from_dict({"district_kind": "state_house", "districts": ["10"]})
    base = universes.base_table(nutmeg)
    assert voter_file.organization == nutmeg  # read here: the threads touch no database
    with store.reading(voter_file) as con:
        expected = universes.counts(con, chosen, base)
    assert expected["voters"] > 0

    spans: list[tuple[float, float]] = []
    results: list[dict] = []
    errors: list[BaseException] = []
    start_together = threading.Barrier(THREADS + 1)

    def count() -> None:
        try:
            start_together.wait(timeout=60)
            for _ in range(COUNTS_EACH):
                with store.reading(voter_file) as con:
                    began = time.perf_counter()
                    results.append(universes.counts(con, chosen, base))
                    spans.append((began, time.perf_counter()))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    source = tmp_path / "source"  # where the voter_file fixture wrote its CSV files

    def build_next() -> None:
        try:
            start_together.wait(timeout=60)
            build_version(  # the same registrations again, from the fixture's files
                files=[source / "field_voters.csv", source / "field_history.csv"],
                layout=load_layout("generic"),
                target=store.building_path(nutmeg, 999),
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=count) for _ in range(THREADS)]
    threads.append(threading.Thread(target=build_next))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert results == [expected] * (THREADS * COUNTS_EACH)
    assert most_at_once(spans) >= 2, "the counts ran one after another"
    assert store.building_path(nutmeg, 999).exists()
