"""Reading ballot CSV files, and the sentences that explain a bad one."""

from decimal import Decimal

import pytest

from powerbase.democracy.tabulation import (
    OVERVOTE,
    Ballot,
    BallotFileError,
    irv,
    read_ballots_csv,
)


@pytest.fixture
def write(tmp_path):
    """Return a function that writes a CSV into a temporary ballots.csv and returns its path."""

    def write_file(text: str, name: str = "ballots.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write_file


def test_rank_columns_weight_and_count_are_read_and_identical_rows_merged(write):
    path = write("rank1,rank2,weight,count\nAna,Bo,1,40\nAna,Bo,1,2\nBo,,2.5,1\n")
    ballots = read_ballots_csv(path)
    assert ballots.ballots == [
        Ballot(["Ana", "Bo"], count=42),
        Ballot(["Bo", None], weight=Decimal("2.5")),
    ]
    assert ballots.rows == 3
    assert ballots.rank_columns == ["rank1", "rank2"]


def test_blank_and_undervote_are_skipped_ranks_and_overvotes_have_two_spellings(write):
    path = write("rank1,rank2,rank3\n,undervote,Cy\nBo|Cy,Ana,\noverVote,Ana,\n")
    ranks = [ballot.ranks for ballot in read_ballots_csv(path).ballots]
    assert ranks == [((), (), ("Cy",)), (("Bo", "Cy"), ("Ana",), ()), ((OVERVOTE,), ("Ana",), ())]


def test_rank_columns_are_found_by_number_not_by_position(write):
    path = write("receipt,Rank 2,Rank 1\nX7,Bo,Ana\n")
    assert read_ballots_csv(path).ballots[0].ranks == (("Ana",), ("Bo",))


def test_rank_columns_can_be_named_explicitly(write):
    path = write("first,second,note\nAna,Bo,hello\n")
    ballots = read_ballots_csv(path, rank_columns=["first", "second"])
    assert ballots.ballots[0].ranks == (("Ana",), ("Bo",))


def test_a_file_read_from_csv_counts_like_the_same_ballots_in_code(write):
    path = write(
        "rank1,rank2,count\nMemphis,Nashville,42\nNashville,Knoxville,26\n"
        "Chattanooga,Knoxville,15\nKnoxville,Chattanooga,17\n"
    )
    assert irv(read_ballots_csv(path).ballots).winners == ["Knoxville"]


def test_score_files_have_one_column_per_candidate(write):
    path = write("Ana,Bo,weight\n5,,2\n1,4,1\n")
    ballots = read_ballots_csv(path, scores=True).ballots
    assert [ballot.score_map for ballot in ballots] == [
        {"Ana": Decimal(5)},
        {"Ana": Decimal(1), "Bo": Decimal(4)},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rank1,weight\nAna,1\nBo,abc\n",
            "ballots.csv, row 3, column 'weight': 'abc' is not a number.",
        ),
        (
            "rank1,weight\nAna,-2\n",
            "ballots.csv, row 2, column 'weight': '-2' is negative; a weight must be 0 or more.",
        ),
        (
            "rank1,weight\nAna,\n",
            "ballots.csv, row 2, column 'weight': The weight is empty; write 1 for an ordinary "
            "ballot.",
        ),
        (
            "rank1,count\nAna,2.5\n",
            "ballots.csv, row 2, column 'count': '2.5' is not a whole number of identical ballots "
            "(1 or more).",
        ),
        (
            "rank1,count\nAna,0\n",
            "ballots.csv, row 2, column 'count': The count must be at least 1 (it is the number of "
            "identical ballots on this row).",
        ),
        (
            "rank1,rank2\nAna,Bo,Cy\n",
            "ballots.csv, row 2: This row has 3 cells but the header names 2 columns.",
        ),
        (
            "rank1,rank3\nAna,Bo\n",
            "ballots.csv, row 1: There is a column for rank 3 but none for rank 2; rank columns "
            "must "
            "run rank1, rank2, ... without gaps.",
        ),
        (
            "name,weight\nAna,1\n",
            "ballots.csv, row 1: No rank columns found; name them rank1, rank2, ... or say which "
            "columns hold the ranks (--rank-columns).",
        ),
        (
            "",
            "ballots.csv: The file has no header row; the first row must name the columns (rank1, "
            "rank2, ..., and optionally weight and count).",
        ),
        (
            "rank1,rank2\nAna,Bo|overvote\n",
            "ballots.csv, row 2, column 'rank2': 'Bo|overvote' mixes 'overvote' with names; write "
            "either the names or the word alone.",
        ),
    ],
)
def test_bad_input_is_reported_with_file_row_and_column_in_a_sentence(write, text, message):
    with pytest.raises(BallotFileError) as caught:
        read_ballots_csv(write(text), candidates=None)
    assert str(caught.value).replace(str(caught.value.file), "ballots.csv") == message


def test_a_name_outside_the_candidate_list_is_reported_at_its_cell(write):
    path = write("rank1,rank2\nAna,Bo\nAna,Zed\n")
    with pytest.raises(BallotFileError) as caught:
        read_ballots_csv(path, candidates=["Ana", "Bo"])
    assert (caught.value.row, caught.value.column) == (3, "rank2")
    assert caught.value.problem == "'Zed' is not one of the candidates (Ana, Bo)."


def test_a_missing_named_rank_column_lists_the_columns_there_are(write):
    with pytest.raises(
        BallotFileError, match="There is no column 'third'; the header has: first, second."
    ):
        read_ballots_csv(write("first,second\nAna,Bo\n"), rank_columns=["first", "third"])


def test_a_missing_file_and_a_non_utf8_file_are_explained(write, tmp_path):
    with pytest.raises(BallotFileError, match="There is no such file."):
        read_ballots_csv(tmp_path / "nope.csv")
    with pytest.raises(BallotFileError, match="not UTF-8 text"):
        read_ballots_csv(write("rank1\nJosé\n", encoding="latin-1"))
