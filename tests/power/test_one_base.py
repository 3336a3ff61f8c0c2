"""One base, one leader, one placement: every page counts a district's base the same way
(`identity.base`).

The power conftest's linked base: V01, V02, V05, V09, V10 in house district 1 (V10's
registration removed), V11 in district 2, one person not linked; V02 holds a leader role.
"""

import pytest
from django.urls import reverse

from powerbase.actions import ladder
from powerbase.core.access import command_line
from powerbase.identity import queries as identity
from powerbase.legislature import queries as legislature
from powerbase.legislature import services as legislature_services
from powerbase.people.models import Person, PostalAddress
from powerbase.power import queries as power
from powerbase.voterfile.models import District
from tests.conftest import act, add_member


@pytest.fixture
def organizing(organizer, nutmeg):
    return act(organizer, nutmeg)


@pytest.fixture
def house_one(nutmeg, linked_base):
    """House district 1 and the official who holds its seat."""
    official = legislature_services.create_official(
        actor=command_line(nutmeg),
        name="Rep. Ada Quill",
        chamber="lower",
        district_code="1",
        party="DEM",
    )
    return District.objects.get(organization=nutmeg, kind="state_house", code="1"), official


def base_counts(actor, district, official) -> dict[str, tuple[int, int]]:
    """Return (people, leaders) of the base in *district* as each page counts them."""
    row = next(
        r for r in power.power_map(actor, kind=district.kind).rows if r.code == district.code
    )
    page = power.district_page(actor, district.pk)
    _, funnel = ladder.funnel_by_district(actor, district.kind)
    funnel_row = next(r for r in funnel if r.label.endswith(f"district {district.code}"))
    leader_rung = next(n for n, (name, _) in enumerate(funnel_row.cells) if name == "Leader")
    seat = legislature.district_base(actor, official)
    people = identity.district_people(actor, district)
    return {
        "power map": (row.members, row.leaders),
        "power district page": (page.people_count, page.power.leaders),
        "ladder": (funnel_row.total, sum(n for _, n in funnel_row.cells[leader_rung:])),
        "legislature": (seat.matched, seat.leaders),
        "voter file district page": (people.member_count, people.leader_count),
    }


def test_every_page_counts_the_same_base_and_leaders_in_a_district(organizing, house_one):
    counts = base_counts(organizing, *house_one)
    assert set(counts.values()) == {(5, 1)}, counts


def test_inactive_people_stay_in_the_base_and_the_dead_and_merged_leave_it_everywhere(
    organizing, house_one, linked_base
):
    # The legislature counted only "active" people and the power map everyone not deceased.
    Person.objects.filter(pk=linked_base["05"].pk).update(status=Person.Status.INACTIVE)
    Person.objects.filter(pk=linked_base["09"].pk).update(status=Person.Status.DECEASED)
    Person.objects.filter(pk=linked_base["10"].pk).update(merged_into=linked_base["unlinked"])
    counts = base_counts(organizing, *house_one)
    assert set(counts.values()) == {(3, 1)}, counts


def test_a_leader_is_whoever_stands_on_the_rung_named_leader(organizing, nutmeg, house_one):
    # With a rung added below "Leader", it is the fourth rung: the legislature's fixed rank 2
    # used to count people on the rung below as leaders.
    rungs = ladder.levels(nutmeg)
    for rung in reversed(rungs[1:]):
        rung.rank += 1
        rung.save()
    ladder.save_level(
        actor=organizing,
        level=None,
        values={"name": "Regular", "rank": 1, "description": "Came once.", "min_attended": 1},
    )
    ladder.recompute(organization=nutmeg)
    counts = base_counts(organizing, *house_one)
    assert set(counts.values()) == {(5, 1)}, counts


def test_people_without_a_voter_link_are_placed_by_address_on_every_page(
    organizing, nutmeg, tenant_union, settings, tmp_path
):
    from tests.identity.conftest import import_town

    settings.DATA_DIR = tmp_path / "data"
    import_town(nutmeg)  # 12 ELM ST, 06511 is a registration in house district 94
    person = add_member(nutmeg, tenant_union, "Mara", "Gonzalez")
    PostalAddress.objects.create(
        organization=nutmeg,
        person=person,
        source=person.source,
        original="12 Elm St",
        line1="12  Elm St",
        zip_code="06511-2201",
        is_primary=True,
    )
    official = legislature_services.create_official(
        actor=command_line(nutmeg),
        name="Rep. Bo Vance",
        chamber="lower",
        district_code="94",
        party="DEM",
    )
    district = District.objects.get(organization=nutmeg, kind="state_house", code="94")
    counts = base_counts(organizing, district, official)
    assert set(counts.values()) == {(1, 0)}, counts


def test_the_pages_say_what_the_base_and_a_leader_are(client, organizer, nutmeg, house_one):
    district, official = house_one
    client.force_login(organizer)
    pages = [
        reverse("power:map", kwargs={"org": nutmeg.slug}),
        reverse("power:district", kwargs={"org": nutmeg.slug, "district_id": district.pk}),
        reverse("actions:ladder", kwargs={"org": nutmeg.slug}),
        reverse("legislature:official", kwargs={"org": nutmeg.slug, "official_id": official.pk}),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "The base is everyone on our lists except merged records" in html, url
        assert "Leader rung or above" in html, url


def funnel_rows(actor) -> list[tuple[str, list[int]]]:
    _, rows = ladder.funnel_by_district(actor)
    return [(row.label, [n for _, n in row.cells]) for row in rows]


def test_the_ladders_district_funnel_counts_each_rung_of_the_base_it_places(
    organizing, nutmeg, linked_base
):
    # V02 holds a leader role (rung 2); V10's registration is removed but still places her.
    assert funnel_rows(organizing) == [
        ("State house district 1", [4, 0, 1, 0]),
        ("State house district 2", [1, 0, 0, 0]),
        ("District not known yet", [1, 0, 0, 0]),
    ]


def test_an_affiliate_leads_district_funnel_counts_only_their_affiliates_base(
    nutmeg, linked_base, affiliate_lead
):
    lead = act(affiliate_lead, nutmeg)
    # V11 is a teachers' union member: the tenant union's lead does not count her. A lead may
    # not read the voter file, so no one is placed for them.
    assert funnel_rows(lead) == [("District not known yet", [5, 0, 1, 0])]


def test_the_district_funnel_reads_a_fixed_number_of_queries_however_large_the_base(
    organizing, nutmeg, tenant_union, linked_base, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of_a_warm_funnel() -> int:
        funnel_rows(organizing)  # fills the placing cache, as the first page view does
        with CaptureQueriesContext(connection) as counted:
            funnel_rows(organizing)
        return len(counted)

    small = queries_of_a_warm_funnel()
    for n in range(30):
        add_member(nutmeg, tenant_union, f"Extra{n}", "Member")
    ladder.recompute(organization=nutmeg)
    assert queries_of_a_warm_funnel() == small
    with django_assert_max_num_queries(9):
        rows = funnel_rows(organizing)
    assert rows[-1] == ("District not known yet", [31, 0, 0, 0])
