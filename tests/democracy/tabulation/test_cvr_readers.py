"""The CVR readers: clear errors naming the file and ballot, and no crash on hostile files.

Every reader, fed anything at all (random bytes, broken JSON and XML, valid JSON of the wrong
shape, mangled copies of RCTab's own CVRs), either reads ballots or raises our CvrError, never
another exception (hypothesis).
"""

import contextlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerbase.democracy.tabulation.cvr import READERS, BallotMaker, CvrSource, ballots_from
from powerbase.democracy.tabulation.errors import CvrError
from powerbase.democracy.tabulation.rctab_config import load_contest, read_ballots
from tests.democracy.tabulation import rctab_cases as cases

RCTAB = cases.RCTAB
CDF_JSON = RCTAB / "test_set_1_exhaust_at_overvote" / "test_set_1_exhaust_at_overvote_cvr.json"
CDF_XML = RCTAB / "unisyn_cvrs" / "101-RCV-CVT_TEST_3_UNIOVS2103-2.xml"
ESS = RCTAB / "aliases_ess_xlsx" / "aliases_ess_xlsx_cvr.xlsx"
GENERIC = RCTAB / "generic_csv_test" / "generic_csv_test_cvr.csv"
CLEAR_BALLOT = RCTAB / "clear_ballot_kansas_primary" / "clear_ballot_kansas_primary.cvr.csv"
DOMINION = RCTAB / "dominion_multi_file" / "dominion_multi_file_input_data"

SOURCES = {  # provider -> (a file name to write, the source settings)
    "ess": ("cvr.xlsx", {"first_vote_column": 2, "first_vote_row": 2, "id_column": 1}),
    "genericCsv": ("cvr.csv", {"first_vote_column": 4, "first_vote_row": 2, "id_column": 1}),
    "clearBallot": ("cvr.cvr.csv", {"contest_id": "Democratic Primary"}),
    "cdf": ("cvr.json", {"contest_id": "test set 1"}),
    "cdf-xml": ("cvr.xml", {"contest_id": "For City C Mayor (1/3)"}),
}
hostile_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "CVR",
                        "Election",
                        "Contest",
                        "Sessions",
                        "CVRSnapshot",
                        "@id",
                        "Rank",
                        "Marks",
                        "Original",
                        "Cards",
                        "Contests",
                        "Id",
                    ]
                ),
                inner,
                max_size=4,
            )
        ),
        max_leaves=20,
    ).map(lambda value: json.dumps(value).encode()),
)


def read_all(provider: str, path: Path, **settings_) -> list:
    provider = "cdf" if provider == "cdf-xml" else provider
    source = CvrSource(provider=provider, path=path, **settings_)
    maker = BallotMaker(source, {}, max_rankings=None)
    maker.names = _AnyName()  # accept any label: the file's shape is under test here
    return list(ballots_from(READERS[provider](source), maker))


class _AnyName(dict):
    def get(self, key, default=None):
        return key


def mangle(data: bytes, cut: int, junk: bytes) -> bytes:
    """Return *data* with a piece replaced by *junk* at a position chosen from *cut*."""
    at = cut % (len(data) + 1)
    return data[:at] + junk + data[at + len(junk) :]


@pytest.mark.parametrize("provider", list(SOURCES))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=hostile_bytes)
def test_a_hostile_file_raises_our_error_or_reads(provider, data, tmp_path):
    name, settings_ = SOURCES[provider]
    path = tmp_path / name
    path.write_bytes(data)
    try:
        read_all(provider, path, **settings_)
    except CvrError as error:
        assert str(path) in str(error)


MANGLED = [
    ("cdf", CDF_JSON),
    ("cdf-xml", CDF_XML),
    ("genericCsv", GENERIC),
    ("clearBallot", CLEAR_BALLOT),
    ("ess", ESS),
]


@pytest.mark.parametrize(("provider", "original"), MANGLED)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0), junk=st.binary(min_size=1, max_size=12))
def test_a_mangled_real_cvr_raises_our_error_or_reads(provider, original, cut, junk, tmp_path):
    name, settings_ = SOURCES[provider]
    path = tmp_path / name
    path.write_bytes(mangle(original.read_bytes(), cut, junk))
    with contextlib.suppress(CvrError):
        read_all(provider, path, **settings_)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=hostile_bytes)
def test_a_hostile_dominion_export_or_hart_ballot_raises_our_error_or_reads(data, tmp_path):
    folder = tmp_path / "export"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "CvrExport_1.json").write_bytes(data)
    (folder / "ballot.xml").write_bytes(data)
    for provider, contest in (("dominion", "13"), ("hart", "b651b997")):
        with contextlib.suppress(CvrError):
            read_all(provider, folder, contest_id=contest)


# Errors a person reads ------------------------------------------------------------------------


def write_config(folder: Path, source: dict, candidates=("A", "B", "C")) -> Path:
    config = folder / "contest_config.json"
    config.write_text(
        json.dumps(
            {
                "cvrFileSources": [source],
                "candidates": [{"name": name, "aliases": []} for name in candidates],
                "rules": {
                    "tiebreakMode": "useCandidateOrder",
                    "overvoteRule": "exhaustImmediately",
                    "winnerElectionMode": "singleWinnerMajority",
                    "numberOfWinners": "1",
                    "maxSkippedRanksAllowed": "1",
                    "maxRankingsAllowed": "max",
                },
            }
        )
    )
    return config


def test_a_candidate_missing_from_the_config_is_named_with_the_file_and_ballot(tmp_path):
    shutil.copy(GENERIC, tmp_path / "cvr.csv")
    config = write_config(
        tmp_path,
        {
            "provider": "genericCsv",
            "filePath": "cvr.csv",
            "firstVoteColumnIndex": "4",
            "firstVoteRowIndex": "2",
            "idColumnIndex": "1",
        },
        candidates=("Lettuce", "Broccoli", "Cucumber"),
    )
    with pytest.raises(CvrError) as caught:
        read_ballots(load_contest(config))
    assert caught.value.file.endswith("cvr.csv")
    assert caught.value.ballot == "R_1ikP1jSJLdWUEKs"
    assert "ranks 'Cauliflower' at rank 1, who is not a candidate in the contest config" in (
        str(caught.value)
    )


def test_a_cvr_of_another_contest_is_refused(tmp_path):
    shutil.copy(CDF_JSON, tmp_path / "cvr.json")
    config = write_config(
        tmp_path, {"provider": "cdf", "filePath": "cvr.json", "contestId": "City council"}
    )
    with pytest.raises(CvrError, match="No contest has the id or name 'City council'"):
        read_ballots(load_contest(config))


def test_a_malformed_cdf_ballot_is_named(tmp_path):
    report = json.loads(CDF_JSON.read_text())
    del report["CVR"][1]["CVRSnapshot"]
    (tmp_path / "cvr.json").write_text(json.dumps(report))
    config = write_config(
        tmp_path,
        {"provider": "cdf", "filePath": "cvr.json", "contestId": "test set 1"},
        candidates=("Candidate A Name", "Candidate B Name", "Candidate C Name", "Candidate D Name"),
    )
    with pytest.raises(CvrError, match=r"cvr.json, ballot 2: the CVR is malformed"):
        read_ballots(load_contest(config))


def test_an_ess_ballot_naming_a_stranger_is_named_by_its_id(tmp_path):
    config = write_config(
        tmp_path,
        {
            "provider": "ess",
            "filePath": str(ESS),
            "firstVoteColumnIndex": "2",
            "firstVoteRowIndex": "2",
            "idColumnIndex": "1",
        },
        candidates=("A", "B", "C", "D"),
    )
    with pytest.raises(CvrError, match=r"aliases_ess_xlsx_cvr.xlsx, ballot 2: it ranks 'A-2'"):
        read_ballots(load_contest(config))


def test_a_dominion_folder_without_exports_is_refused(tmp_path):
    (tmp_path / "export").mkdir()
    config = write_config(
        tmp_path, {"provider": "dominion", "filePath": "export", "contestId": "13"}
    )
    with pytest.raises(CvrError, match="holds no CvrExport"):
        read_ballots(load_contest(config))


def test_xml_with_entities_is_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;">]><CastVoteRecordReport>&b;</CastVoteRecordReport>'
    )
    (tmp_path / "cvr.xml").write_text(bomb)
    with pytest.raises(CvrError, match="declares entities or a DTD"):
        read_all("cdf-xml", tmp_path / "cvr.xml", contest_id="x")


def ess_file(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Cast Vote Record", "Precinct", "1st Choice", "2nd Choice", "3rd Choice"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_blank_ess_cells_can_count_as_write_ins_up_to_the_maximum_rankings(tmp_path):
    ess_file(tmp_path / "cvr.xlsx", [[1, "P1", "A", None, None], [2, "P1", "B", "A", "B"]])
    config = write_config(
        tmp_path,
        {
            "provider": "ess",
            "filePath": "cvr.xlsx",
            "firstVoteColumnIndex": "3",
            "firstVoteRowIndex": "2",
            "idColumnIndex": "1",
            "undeclaredWriteInLabel": "UWI",
            "treatBlankAsUndeclaredWriteIn": True,
        },
    )
    ballots = {tuple(b.ranks): b.count for b in read_ballots(load_contest(config))}
    uwi = ("Undeclared Write-ins",)
    assert ballots == {(("A",), uwi, uwi): 1, (("B",), ("A",), ("B",)): 1}


def test_ess_reads_one_rank_column_per_candidate_when_rankings_are_max(tmp_path):
    # Three candidates: the fourth column after the first vote column is not a rank.
    ess_file(tmp_path / "cvr.xlsx", [[1, "P1", "A", "B", "C", "note"]])
    config = write_config(
        tmp_path,
        {
            "provider": "ess",
            "filePath": "cvr.xlsx",
            "firstVoteColumnIndex": "3",
            "firstVoteRowIndex": "2",
        },
    )
    [ballot] = read_ballots(load_contest(config))
    assert ballot.ranks == (("A",), ("B",), ("C",))


def test_a_cdf_json_report_is_read_a_ballot_at_a_time(tmp_path):
    """A million-ballot report must not be parsed whole: the first ballots come out before the
    reader has seen the end of the file (here, a file cut off near its end)."""
    report = json.loads(CDF_JSON.read_text())
    ordered = {"Election": report["Election"], "CVR": report["CVR"]}
    text = json.dumps(ordered)
    (tmp_path / "cvr.json").write_text(text[:-40])
    source = CvrSource(provider="cdf", path=tmp_path / "cvr.json", contest_id="test set 1")
    ballots = READERS["cdf"](source)
    assert next(ballots).ranks
    with pytest.raises(CvrError, match="cvr.json.*not valid JSON"):
        list(ballots)


def test_a_dominion_export_is_read_a_session_at_a_time(tmp_path):
    shutil.copytree(DOMINION, tmp_path / "export")
    export = sorted((tmp_path / "export").glob("CvrExport*.json"))[0]
    export.write_bytes(export.read_bytes()[:-40])
    source = CvrSource(provider="dominion", path=tmp_path / "export", contest_id=cases_contest_id())
    sessions = READERS["dominion"](source)
    assert next(sessions).ranks
    with pytest.raises(CvrError, match="not valid JSON"):
        list(sessions)


def cases_contest_id() -> str:
    manifest = json.loads((DOMINION / "ContestManifest.json").read_text(encoding="utf-8-sig"))
    return str(manifest["List"][0]["Id"])


@pytest.mark.parametrize("provider", ["cdf-xml", "hart"])
def test_an_xml_cvr_naming_an_encoding_that_does_not_exist_is_refused(tmp_path, provider):
    """Found by the mangling property above: `encoding="U-F-8"` raised a bare LookupError."""
    body = b'<?xml version="1.0" encoding="U-F-8"?><CastVoteRecordReport/>'
    if provider == "hart":
        (tmp_path / "hart").mkdir()
        (tmp_path / "hart" / "ballot.xml").write_bytes(body)
        source = CvrSource(provider="hart", path=tmp_path / "hart", contest_id="1")
    else:
        (tmp_path / "cvr.xml").write_bytes(body)
        source = CvrSource(provider="cdf", path=tmp_path / "cvr.xml", contest_id="1")
    with pytest.raises(CvrError, match="encoding that does not exist"):
        list(READERS[source.provider](source))
