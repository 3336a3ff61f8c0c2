"""The synthetic lists are repeatable and carry the errors they promise."""

from powerbase.identity.linkage.synthetic import (
    LOCAL_MOVES,
    build_synthetic_lists,
    city_of_zip,
)


def test_the_same_seed_gives_the_same_lists_and_another_seed_other_lists():
    first = build_synthetic_lists(voters=800, members=100, seed=3)
    again = build_synthetic_lists(voters=800, members=100, seed=3)
    other = build_synthetic_lists(voters=800, members=100, seed=4)
    assert first.voters.equals(again.voters) and first.members.equals(again.members)
    assert not first.members.equals(other.members)


def test_members_include_unregistered_people_and_listed_twice_people(town):
    registered = [row["voter_id"] for row in town.truth.to_pylist()]
    assert 0.05 < registered.count(None) / len(registered) < 0.25
    lists = build_synthetic_lists(voters=800, members=200, seed=3, duplicate_share=0.2)
    people = lists.truth["person_id"].to_pylist()
    assert len(set(people)) < len(people)


def test_member_rows_carry_the_errors_real_lists_have(town):
    voters = {row["voter_id"]: row for row in town.voters.to_pylist()}
    pairs = [
        (member, voters[truth["voter_id"]])
        for member, truth in zip(town.members.to_pylist(), town.truth.to_pylist(), strict=True)
        if truth["voter_id"]
    ]
    missing_dob = sum(member["Date of Birth"] is None for member, _ in pairs)
    other_first = sum(
        member["First Name"].lower() != voter["first_name"].lower() for member, voter in pairs
    )
    other_last = sum(
        member["Last Name"].lower() != voter["last_name"].lower() for member, voter in pairs
    )
    assert missing_dob and other_first > missing_dob and other_last


def test_local_movers_leave_their_city_less_often_than_uniform_movers():
    def movers_who_left_their_city(rates):
        lists = build_synthetic_lists(voters=300_000, members=3000, seed=5, rates=rates)
        city_of = dict(
            zip(*(lists.voters[c].to_pylist() for c in ("voter_id", "res_city")), strict=True)
        )
        zip_of = dict(
            zip(*(lists.voters[c].to_pylist() for c in ("voter_id", "zip_code")), strict=True)
        )
        moved = [
            (member, truth["voter_id"])
            for member, truth in zip(
                lists.members.to_pylist(), lists.truth.to_pylist(), strict=True
            )
            if truth["moved"] and truth["voter_id"]
        ]
        away = [
            (member, voter)
            for member, voter in moved
            if member["Zip Code"].zfill(5) != zip_of[voter]
            and city_of_zip(member["Zip Code"].zfill(5)).upper() != city_of[voter]
        ]
        return len(away) / len(moved), lists

    uniform, uniform_lists = movers_who_left_their_city(None)
    local, local_lists = movers_who_left_their_city(LOCAL_MOVES)
    assert "City" not in uniform_lists.members.column_names
    assert local_lists.members["City"].null_count < local_lists.members.num_rows * 0.1
    # Half of all movers keep their zip; uniform movers seldom land in their own city.
    assert local < 0.4 < uniform


def test_census_surnames_are_as_varied_as_american_surnames():
    import duckdb

    from powerbase.identity.linkage.synthetic import create_population

    def surnames(census):
        with duckdb.connect() as con:
            create_population(con, voters=40_000, seed=3, census_surnames=census)
            return con.execute("""
                SELECT count(DISTINCT last_name), max(n) / sum(n), sum(n) FILTER (WHERE n = 1)
                       / sum(n)
                FROM (SELECT last_name, count(*) AS n FROM synthetic_voters GROUP BY 1)
            """).fetchone()

    original, census = surnames(False), surnames(True)
    # The original lists cannot hold more than their 372 + 2,257 surnames, and almost every
    # voter shares theirs; 40,000 Americans hold about 11,000, and about one in ten has a
    # surname no other of them has.
    assert original[0] <= 372 + 2257 and original[2] < 0.01
    assert census[0] > 8000 and 0.05 < census[2] < 0.3
    # Smith: about 1% of Americans (1990 Census).
    assert 0.006 < census[1] < 0.015
