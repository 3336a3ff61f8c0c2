"""Turf: a universe cut into walkable turfs, in walking order, with walk and phone lists."""

import csv
import io

import pytest
from django.urls import reverse

from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import Role
from powerbase.field import lists, queries, services
from powerbase.field.models import Door, Turf
from tests.field.voters import make_voter_file


def test_turfs_hold_about_the_asked_number_of_doors_and_never_cross_a_precinct(district_10, turfs):
    assert sum(turf.door_count for turf in turfs) == district_10.door_count
    assert all(turf.door_count <= 10 for turf in turfs)
    for turf in turfs:
        precincts = {door.turf.precinct for door in turf.doors.all()}
        assert len(precincts) == 1
        assert turf.district == "10"
        assert turf.goal == turf.door_count


def test_doors_run_up_the_odd_side_and_back_down_the_even_side(turfs):
    first = Door.objects.filter(turf=turfs[0]).order_by("position")
    elm = [(door.side, door.house_number) for door in first if door.street == "ELM ST"]
    odd = [number for side, number in elm if side == "odd"]
    even = [number for side, number in elm if side == "even"]
    assert odd == sorted(odd) and even == sorted(even, reverse=True)
    assert elm.index(("odd", odd[-1])) < elm.index(("even", even[0]))


def test_a_member_of_the_base_is_marked_at_their_door(turfs, maria_registered):
    door = Door.objects.get(turf__in=turfs, address="1 ELM ST")
    assert door.member_count == 1
    assert door.voters[0]["person_id"] == maria_registered.pk


def test_recutting_replaces_the_turfs_until_canvassing_starts(
    director, organizer_actor, district_10, turfs
):
    again = services.cut_turfs(actor=director, universe=district_10, doors_per_turf=50)
    assert Turf.objects.filter(universe=district_10).count() == len(again) < len(turfs)
    door = again[0].doors.first()
    services.record_attempt(actor=organizer_actor, door=door, result="not_home")
    with pytest.raises(Conflict, match="cannot be recut"):
        services.cut_turfs(actor=director, universe=district_10, doors_per_turf=10)
    assert door.attempts.count() == 1


def test_turf_size_is_checked(director, district_10):
    with pytest.raises(InvalidInput, match="'doors_per_turf'"):
        services.cut_turfs(actor=director, universe=district_10, doors_per_turf=2)


def test_the_walk_list_is_a_pdf_naming_each_door(turfs):
    pdf = lists.walk_list_pdf(turfs[0], queries.walk_list(turfs[0]))
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000


def test_the_phone_list_has_a_row_per_voter_with_a_phone(turfs):
    rows = list(csv.DictReader(io.StringIO(lists.phone_list_csv(turfs[0]))))
    assert len(rows) == turfs[0].voter_count
    assert rows[0]["address"] == "1 Elm St" and rows[0]["member"] == "yes"


def test_a_universe_too_large_to_walk_is_refused(director, district_10, monkeypatch):
    monkeypatch.setattr(services, "MAX_CUT_DOORS", 5)
    with pytest.raises(InvalidInput, match="Narrow it"):
        services.cut_turfs(actor=director, universe=district_10, doors_per_turf=10)
    assert not Turf.objects.filter(universe=district_10).exists()


# A precinct written the way real voter files are: one street spelt two ways, a long street,
# and short streets that each fit in a turf.
MIXED_BLOCKS = [
    ("PCT 1", "10", "Albany Ave", range(1, 9)),
    ("PCT 1", "10", "Albany Avenue", range(9, 15)),
    ("PCT 1", "10", "Birch St", range(1, 7)),
    ("PCT 1", "10", "North Main Street", range(1, 5)),
    ("PCT 1", "10", "N Main St", range(5, 9)),
    ("PCT 1", "10", "Cedar Rd", range(1, 41)),
]


@pytest.fixture
def mixed_turfs(director, nutmeg, tmp_path):
    make_voter_file(nutmeg, tmp_path / "mixed", blocks=MIXED_BLOCKS)
    universe = services.save_universe(
        actor=director, name="Mixed spellings", filters={"include_inactive": True}
    )
    return services.cut_turfs(actor=director, universe=universe, doors_per_turf=15)


def test_a_turf_walk_list_keeps_each_street_together_whatever_its_spelling(
    mixed_turfs, client, users_by_role
):
    streets_by_turf = {
        turf.number: list(
            dict.fromkeys(turf.doors.order_by("position").values_list("street", flat=True))
        )
        for turf in mixed_turfs
    }
    turfs_of = {}
    for number, streets in streets_by_turf.items():
        for street in streets:
            turfs_of.setdefault(street, []).append(number)
    assert set(turfs_of) == {"ALBANY AVE", "BIRCH ST", "N MAIN ST", "CEDAR RD"}
    # Albany (14 doors), Birch (6) and Main (8) each fit in a turf of 15: never split.
    for street in ("ALBANY AVE", "BIRCH ST", "N MAIN ST"):
        assert len(turfs_of[street]) == 1, f"{street} is split over turfs {turfs_of[street]}"
    # Cedar (40 doors) alone exceeds a turf: three blocks in house-number order.
    cedar = [
        list(
            Door.objects.filter(
                turf__number=number, street="CEDAR RD", turf__universe=mixed_turfs[0].universe
            ).values_list("house_number", flat=True)
        )
        for number in turfs_of["CEDAR RD"]
    ]
    assert [len(block) for block in cedar] == [13, 14, 13]
    assert max(cedar[0]) < min(cedar[1]) and max(cedar[1]) < min(cedar[2])
    # The walk list a canvasser reads has one heading per street, doors listed under it.
    albany = next(turf for turf in mixed_turfs if turf.number == turfs_of["ALBANY AVE"][0])
    client.force_login(users_by_role[Role.ORGANIZER])
    page = client.get(reverse("field:turf", kwargs={"org": "nutmeg", "turf_id": albany.pk}))
    text = page.content.decode()
    assert text.count(">Albany Ave</th>") == 1
    assert "Albany Avenue" not in text
    positions = [text.index(f"{number} Albany Ave <") for number in (1, 13, 14, 2)]
    assert positions == sorted(positions)  # odd side up, even side back down


# Three streets whose names run A, B, C but which lie A, C, B going east (a geocoded file).
PLACED_BLOCKS = [
    ("PCT 1", "10", "Ash St", range(1, 5), (41.3000, -72.9300)),
    ("PCT 1", "10", "Birch St", range(1, 5), (41.3000, -72.9000)),
    ("PCT 1", "10", "Cedar St", range(1, 5), (41.3000, -72.9280)),
]


def test_streets_of_a_geocoded_voter_file_follow_each_other_by_proximity(
    director, nutmeg, tmp_path
):
    make_voter_file(nutmeg, tmp_path / "placed", blocks=PLACED_BLOCKS)
    universe = services.save_universe(
        actor=director, name="Placed", filters={"include_inactive": True}
    )
    turf = services.cut_turfs(actor=director, universe=universe, doors_per_turf=50)[0]
    streets = list(dict.fromkeys(turf.doors.order_by("position").values_list("street", flat=True)))
    assert streets in (["ASH ST", "CEDAR ST", "BIRCH ST"], ["BIRCH ST", "CEDAR ST", "ASH ST"])
