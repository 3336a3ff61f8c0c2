"""The synthetic lists are repeatable and carry the errors they promise."""

from powerbase.identity.linkage.synthetic import build_synthetic_lists


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
