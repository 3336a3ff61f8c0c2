"""Vote history is normalized to one vote per voter per election; turnout counts recent ones."""


def turnout(con, voter_id):
    rows = con.execute(
        "SELECT primaries, generals FROM voter_turnout WHERE voter_id = ?", [voter_id]
    ).fetchall()
    return rows[0]


def test_turnout_counts_the_last_four_primaries_and_generals(nc_build):
    result, con = nc_build
    assert turnout(con, "BN100001") == (4, 4)
    assert turnout(con, "EH200001") == (2, 1)
    assert turnout(con, "EH200004") == (0, 1)  # the 2014 primary is older than the last four
    assert turnout(con, "EH200002") == (0, 0)


def test_turnout_can_be_counted_over_any_number_of_elections(nc_build):
    result, con = nc_build
    counts = dict(
        (
            (voter_id, (p, g))
            for voter_id, p, g in con.execute(
                "SELECT voter_id, primaries, generals FROM turnout_last(5)"
            ).fetchall()
        )
    )
    assert counts["EH200004"] == (1, 1)
    assert counts["BN100001"] == (4, 4)


def test_a_vote_reported_twice_under_two_labels_counts_once(nc_build):
    result, con = nc_build
    assert con.execute(
        "SELECT count(*) FROM votes WHERE voter_id = 'BN100001' "
        "AND election_date = DATE '2022-11-08'"
    ).fetchall() == [(1,)]


def test_eligible_but_did_not_vote_is_not_a_vote(nc_build):
    result, con = nc_build
    assert con.execute("SELECT count(*) FROM votes WHERE voter_id = 'EH200002'").fetchall() == [
        (0,)
    ]


def test_methods_and_kinds_are_normalized_from_the_states_wording(nc_build):
    result, con = nc_build
    rows = dict(
        con.execute(
            "SELECT election_date::VARCHAR, method FROM votes WHERE voter_id = 'EH200001'"
        ).fetchall()
    )
    assert rows == {"2022-05-17": "early", "2020-03-03": "early", "2020-11-03": "in_person"}
    kinds = dict(con.execute("SELECT election_date::VARCHAR, kind FROM elections").fetchall())
    assert kinds["2023-11-07"] == "municipal"
    assert kinds["2019-09-10"] == "special"
    assert con.execute(
        "SELECT method FROM votes WHERE voter_id = 'BN100002' LIMIT 1"
    ).fetchall() == [("absentee",)]


def test_the_party_ballot_taken_is_kept_with_the_vote(nc_build):
    result, con = nc_build
    assert con.execute(
        "SELECT DISTINCT party FROM votes WHERE voter_id = 'BN100002'"
    ).fetchall() == [("REP",)]


def test_a_small_local_primary_does_not_count_among_the_last_primaries(build, tmp_path):
    voters = ["voter_id,last_name"] + [f"{n:03d},Voter{n}" for n in range(20)]
    history = ["voter_id,election_date,election_type"]
    for year, general_day in ((2018, "11-06"), (2020, "11-03"), (2022, "11-08")):
        history += [f"{n:03d},{year}-05-10,Primary" for n in range(20)]
        history += [f"{n:03d},{year}-{general_day},General" for n in range(20)]
    history.append("000,2021-06-15,Primary")  # one town's special primary
    (tmp_path / "voters.csv").write_text("\n".join(voters) + "\n")
    (tmp_path / "history.csv").write_text("\n".join(history) + "\n")
    result, con = build(layout="generic", files=[tmp_path / "voters.csv", tmp_path / "history.csv"])
    counted = dict(
        con.execute(
            "SELECT election_date::VARCHAR, counted FROM elections WHERE kind = 'primary'"
        ).fetchall()
    )
    assert counted["2021-06-15"] is False
    assert turnout(con, "000") == (3, 3)
    assert turnout(con, "001") == (3, 3)
