"""The power map: the base against the win number, district by district."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from powerbase.core import access
from powerbase.electoral import services as electoral
from powerbase.electoral.models import Election
from powerbase.power import queries
from powerbase.power.map import Assumptions, DistrictPower
from powerbase.voterfile.models import District
from tests.conftest import act


@pytest.fixture
def viewer_actor(viewer, nutmeg):
    return act(viewer, nutmeg)


def test_the_map_counts_the_base_and_the_win_number_per_district(viewer_actor, linked_base):
    power = queries.power_map(viewer_actor, kind="state_house", sort="district")
    assert power.assumptions.party == "DEM"
    assert power.primaries == ["2024-08-13", "2022-08-09"]
    one, two = power.rows
    assert (one.code, one.registered, one.registered_in_party) == ("1", 9, 8)
    # DEM primary turnout: 2024 = V01 V02 + V05 (no ballot recorded, DEM voter); 2022 = 4.
    assert one.primary_turnouts == [("2024-08-13", 3), ("2022-08-09", 4)]
    assert one.expected_turnout == 3.5
    assert one.win_number == 2  # floor(3.5 / 2) + 1
    assert (
        one.members,
        one.leaders,
        one.members_registered,
        one.members_in_party,
        one.members_voted_primaries,
    ) == (5, 1, 4, 3, 4)
    assert one.share_of_win_number == 1.5
    # The base alone reaches the win number: decisive already, not "close to decisive".
    assert not one.is_close_to_decisive(power.assumptions)
    assert one.beyond_win_number(power.assumptions)
    assert (two.members, two.win_number, two.last_turnout) == (1, 2, 4)  # (4 + 2) / 2
    assert power.base_size == 7 and power.base_matched == 6 and power.placed == 6


def test_imported_results_give_the_last_turnout_and_margin(
    viewer_actor, organizer, nutmeg, linked_base
):
    manager = act(organizer, nutmeg)
    election = electoral.create_election(
        actor=manager, name="Democratic primary 2024", date="2024-08-13", kind=Election.Kind.PRIMARY
    )
    district = District.objects.get(organization=nutmeg, kind="state_house", code="2")
    race = electoral.create_race(
        actor=manager, election=election, office="State House 2", district=district, party="DEM"
    )
    electoral.import_results(
        actor=manager,
        file_name="r.csv",
        content=(
            b"election,race,candidate,votes\nDemocratic primary 2024,State House 2,A,30\n"
            b"Democratic primary 2024,State House 2,B,25\n"
        ),
    )
    assert race.result_lines.count() == 2
    power = queries.power_map(viewer_actor, kind="state_house", sort="district")
    two = power.rows[1]
    assert (two.last_turnout, two.last_margin, two.results_source) == (55, 5, "results")


def test_the_map_is_empty_before_a_voter_file(viewer_actor):
    power = queries.power_map(viewer_actor)
    assert power.rows == [] and power.version is None


def test_assumptions_are_said_in_words():
    sentence = Assumptions(kind="state_senate", party="DEM").sentence()
    assert "average DEM primary turnout of the last 2 primaries" in sentence
    assert "50% of it plus one vote" in sentence


def test_the_district_page_sets_the_base_beside_the_voters(viewer_actor, nutmeg, linked_base):
    district = District.objects.get(organization=nutmeg, kind="state_house", code="1")
    page = queries.district_page(viewer_actor, district.pk)
    assert page.power.code == "1"
    assert page.voters["race"] == {"B": 5, "W": 4}  # shown as "fewer than 5" to a viewer
    # The tenant union shares no demographics: its five members are withheld.
    assert (page.base["counted"], page.base["withheld"]) == (0, 5)


def test_pages_render_with_table_chart_and_district(client, viewer, nutmeg, linked_base):
    client.force_login(viewer)
    response = client.get(reverse("power:map", kwargs={"org": nutmeg.slug}) + "?sort=members")
    assert response.status_code == 200
    assert b"<svg" in response.content and b"Win number" in response.content
    district = District.objects.get(organization=nutmeg, kind="state_house", code="1")
    response = client.get(
        reverse("power:district", kwargs={"org": nutmeg.slug, "district_id": district.pk})
    )
    assert response.status_code == 200
    assert b"Base composition" in response.content


def test_the_map_page_costs_the_same_queries_however_many_races_have_results(
    client, viewer, organizer, nutmeg, linked_base, django_assert_num_queries
):
    manager = act(organizer, nutmeg)
    election = electoral.create_election(
        actor=manager, name="Democratic primary 2024", date="2024-08-13", kind=Election.Kind.PRIMARY
    )
    for code in ("1", "2"):
        district = District.objects.get(organization=nutmeg, kind="state_house", code=code)
        electoral.create_race(
            actor=manager, election=election, office=f"House {code}", district=district, party="DEM"
        )
    results = b"election,race,candidate,votes\nDemocratic primary 2024,House 1,A,3\n"
    electoral.import_results(actor=manager, file_name="r.csv", content=results)
    client.force_login(viewer)
    page = reverse("power:map", kwargs={"org": nutmeg.slug})
    client.get(page)
    with CaptureQueriesContext(connection) as one_race:
        client.get(page)
    electoral.import_results(
        actor=manager,
        file_name="r.csv",
        content=(
            results + b"Democratic primary 2024,House 2,B,4\nDemocratic primary 2024,House 2,C,2\n"
        ),
    )
    with django_assert_num_queries(len(one_race)):
        client.get(page)


def test_the_voter_side_is_kept_on_disk_for_other_processes(viewer_actor, nutmeg, linked_base):
    from powerbase.power import map as map_engine

    first = queries.power_map(viewer_actor, kind="state_house", sort="district")
    stored = list(queries.facts_folder(nutmeg).glob("*.parquet"))
    # One file per chamber: the first map counts the other legislative chambers too.
    assert sorted(path.name.split("-")[1] for path in stored) == sorted(
        ["state_house", "state_senate", "congressional"]
    )
    map_engine._FACTS_CACHE.clear()  # as a fresh web process would start
    again = queries.power_map(viewer_actor, kind="state_house", sort="district")
    assert [r.win_number for r in again.rows] == [r.win_number for r in first.rows]
    assert again.primaries == first.primaries


def district_at(share: float, *, margin: int | None = None, voted: int = 0) -> DistrictPower:
    """A district whose win number is 1,000, with the base's voters at *share* of it."""
    return DistrictPower(
        code="9",
        win_number=1000,
        members_in_party=round(1000 * share),
        last_turnout=2000,
        last_margin=margin,
        members_voted_primaries=voted,
    )


def test_close_to_decisive_picks_the_districts_where_the_base_changes_the_outcome():
    rule = Assumptions(kind="state_house", party="DEM")
    assert not district_at(1.38).is_close_to_decisive(rule)  # wins it alone
    assert not district_at(0.05).is_close_to_decisive(rule)  # far below: cannot swing it
    assert district_at(0.6).is_close_to_decisive(rule)  # no results: the share decides
    assert district_at(0.6, margin=150).is_close_to_decisive(rule)  # 7.5 points: close
    assert not district_at(0.6, margin=900).is_close_to_decisive(rule)  # a 45-point blowout
    assert district_at(0.6, margin=900, voted=950).is_close_to_decisive(rule)  # base > margin
    assert "between 25% and 100% of the win number" in rule.sentence()


def test_the_map_page_says_the_rule(client, viewer, nutmeg, linked_base):
    client.force_login(viewer)
    response = client.get(reverse("power:map", kwargs={"org": nutmeg.slug}))
    assert b"close to decisive when the base&#x27;s voters" in response.content


def test_a_district_page_links_to_its_people_official_and_a_universe_to_cut(
    client, organizer, nutmeg, linked_base
):
    from powerbase.legislature import services as legislature

    legislature.create_official(
        actor=access.command_line(nutmeg),
        name="Rep. Ada Quill",
        chamber="lower",
        district_code="1",
        party="DEM",
    )
    district = District.objects.get(organization=nutmeg, kind="state_house", code="1")
    client.force_login(organizer)
    page = client.get(
        reverse("power:district", kwargs={"org": nutmeg.slug, "district_id": district.pk})
    )
    html = page.content.decode()
    assert "Rep. Ada Quill" in html and "/officials/" in html
    member = linked_base["02"]
    assert reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": member.pk}) in html
    assert (
        reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": linked_base["11"].pk})
        not in html
    )
    assert "The base here (5)" in html
    cut = reverse("field:universe_new", kwargs={"org": nutmeg.slug})
    assert f"{cut}?district_kind=state_house&amp;districts=1" in html
    form = client.get(f"{cut}?district_kind=state_house&districts=1").content.decode()
    assert 'value="1"' in form and '<option value="state_house" selected>' in form


def test_the_district_page_takes_the_bases_fingerprint_once_in_a_fixed_number_of_queries(
    client, viewer, nutmeg, linked_base, monkeypatch, django_assert_max_num_queries
):
    from powerbase.identity import base as base_rules

    district = District.objects.get(organization=nutmeg, kind="state_house", code="1")
    url = reverse("power:district", kwargs={"org": nutmeg.slug, "district_id": district.pk})
    client.force_login(viewer)
    client.get(url)  # the first view computes and keeps the figures
    taken = []
    fingerprint = base_rules.fingerprint
    monkeypatch.setattr(
        base_rules, "fingerprint", lambda org: taken.append(org) or fingerprint(org)
    )
    # 22: the sharing terms' stamp of the kept composition (power.queries._sharing_stamp)
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200 and b"Base composition" in response.content
    assert len(taken) == 1  # the map's count and the placing share one (identity.base.kept)
    client.get(url)
    assert len(taken) == 2  # and the next view takes it again: a change shows at once
