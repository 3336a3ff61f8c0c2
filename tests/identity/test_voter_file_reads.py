"""The named reads other apps use on the voter file (`voterfile.queries`), on the town file:
CT000001 lives at 12 ELM ST, 06511 in house district 94; CT000002 at 1 MAIN ST, 06514 in 95."""

from powerbase.voterfile import queries


def test_district_codes_of_voter_ids_skip_ids_not_in_the_file(town):
    version = queries.version_in_use(town)
    assert queries.district_codes(version, "state_house", ["CT000001", "CT000002", "NOPE"]) == {
        "CT000001": "94",
        "CT000002": "95",
    }
    assert queries.district_codes(version, "state_house", []) == {}
    assert queries.voters_in_district(version, "state_house", "94", ["CT000001", "CT000002"]) == {
        "CT000001"
    }


def test_an_address_finds_its_district_whatever_its_case_spacing_and_zip_plus_four(town):
    version = queries.version_in_use(town)
    found = queries.districts_at_addresses(
        version,
        "state_house",
        [
            (1, "12  elm st", "06511-2201"),
            (2, "1 Main St", "06514"),
            (3, "1 Main St", "06999"),
            (4, "", "06511"),
        ],
    )
    assert found == {1: "94", 2: "95"}


def test_parties_count_registered_voters_largest_first(town):
    parties = queries.parties(queries.version_in_use(town))
    counts = [count for _, count in parties]
    assert counts == sorted(counts, reverse=True) and "DEM" in dict(parties)


def test_a_lists_separator_never_reaches_a_voter_id():
    from powerbase.voterfile.lookups import SEPARATOR, joined_parameter

    assert joined_parameter(["A", None, "B"]) == f"A{SEPARATOR}{SEPARATOR}B"
