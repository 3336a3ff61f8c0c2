"""java.util.Random and HashSet order, bit for bit: the values below were printed by Java 17."""

from powerbase.democracy.tabulation.java_random import (
    JavaRandom,
    java_hash_set_order,
    java_string_hash,
)


def test_next_double_and_next_int_match_java():
    # new Random(seed): nextDouble(), nextInt(3), nextInt(7), nextInt(16)
    expected = {
        0: (0.730967787376657, 1, 2, 10),
        1: (0.7308781907032909, 1, 0, 3),
        12345: (0.3618031071604718, 0, 6, 13),
        -7: (0.2691218093260761, 1, 3, 8),
    }
    for seed, values in expected.items():
        generator = JavaRandom(seed)
        drawn = (
            generator.next_double(),
            generator.next_int(3),
            generator.next_int(7),
            generator.next_int(16),
        )
        assert drawn == values


def test_collections_shuffle_matches_java():
    assert JavaRandom(0).shuffle(list("abcde")) == list("ecbda")
    assert JavaRandom(12345).shuffle(list("abcde")) == list("deacb")


def test_string_hash_and_hash_set_order_match_java():
    assert java_string_hash("Zoë") == 90166
    assert java_string_hash("Candidate 17") == 1104259587
    names = [
        "George Gervin",
        "Mookie Blaylock",
        "Yinka Dare",
        "Sedale Threatt",
        "A",
        "B",
        "C",
        "Undeclared Write-ins",
        "Zoë",
        "Candidate 01",
        "Candidate 17",
        "Candidate 35",
    ]
    assert java_hash_set_order(names) == [
        "A",
        "Sedale Threatt",
        "B",
        "Yinka Dare",
        "C",
        "Undeclared Write-ins",
        "Mookie Blaylock",
        "Candidate 35",
        "Candidate 01",
        "Candidate 17",
        "George Gervin",
        "Zoë",
    ]
