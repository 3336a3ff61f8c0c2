"""The pages that count the whole base by district keep their figures until the base changes
(`identity.base.kept`; issue 15: on the demo's 49,000 people they took 0.4-0.9 s at p95).

Each test pins what a page shows against the figure computed afresh (the reference, without
anything kept), after each kind of change the page must show at once, and checks that a page
answers in as many queries with more people in the base.

The power conftest's linked base: V01, V02, V05, V09, V10 in house district 1, V11 in
district 2, one person not linked; V02 holds a leader role.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from powerbase.actions import ladder
from powerbase.coalition.models import AffiliateMembership
from powerbase.core.access import command_line
from powerbase.identity import base
from powerbase.identity.models import VoterLink
from powerbase.legislature import queries as legislature
from powerbase.legislature import services as legislature_services
from powerbase.power import map as map_engine
from powerbase.power import queries as power
from powerbase.voterfile import queries as voterfile
from powerbase.voterfile import store
from powerbase.voterfile.models import District
from tests.conftest import act, add_member


@pytest.fixture
def organizing(organizer, nutmeg):
    return act(organizer, nutmeg)


@pytest.fixture
def seat(nutmeg, linked_base):
    """House district 1 and the official who holds its seat."""
    official = legislature_services.create_official(
        actor=command_line(nutmeg),
        name="Rep. Ada Quill",
        chamber="lower",
        district_code="1",
        party="DEM",
    )
    return District.objects.get(organization=nutmeg, kind="state_house", code="1"), official


def map_figures(rows) -> dict[str, tuple]:
    return {
        row.code: (
            row.members,
            row.leaders,
            row.members_registered,
            row.members_in_party,
            row.members_voted_primaries,
        )
        for row in rows
    }


def reference_map(actor, kind: str = "state_house") -> dict[str, tuple]:
    """The map's base counted afresh: every person read and joined with the voter file."""
    shown = power.power_map(actor, kind=kind)
    version = shown.version
    with store.reading(version) as con:
        facts = map_engine.district_facts(con, kind=kind, party=shown.assumptions.party)
        whole = power.base_table(actor, kind=kind, version=version)
        rows = map_engine.power_map(con, whole, facts, shown.assumptions)
    return map_figures(rows)


def reference_seats(organization, kind: str = "state_house") -> dict:
    version = voterfile.version_in_use(organization)
    return legislature._count_by_district(organization, kind, version)


def reference_district(organization, district) -> list[int]:
    """The people placed in *district*, placed afresh (a base given explicitly is not kept)."""
    everyone = base.people(organization)
    return base.placed_in(organization, district.kind, district.code, base=everyone)


def assert_pages_agree_with_the_reference(actor, district, official) -> None:
    organization = actor.organization
    assert map_figures(power.power_map(actor).rows) == reference_map(actor)
    assert legislature.base_by_district(organization, "state_house") == reference_seats(
        organization
    )
    assert legislature.district_base(actor, official) == reference_seats(organization)["1"]
    page = power.district_page(actor, district.pk)
    placed = reference_district(organization, district)
    assert page.people_count == len(placed)
    assert sorted(p.pk for p in page.people) == placed
    assert page.base == power.base_composition(actor, placed)  # counted afresh
    from powerbase.identity import queries as identity

    assert identity.district_people(actor, district).member_count == len(placed)


def test_the_kept_figures_are_the_figures_counted_afresh(organizing, seat):
    assert_pages_agree_with_the_reference(organizing, *seat)
    # Members, leaders, registered (V10's was removed), in the party (V09 is REP), voted in
    # one of the primaries (V01, V02, V05, and V09 with no party recorded).
    assert map_figures(power.power_map(organizing).rows)["1"] == (5, 1, 4, 3, 4)


def test_every_change_a_page_counts_shows_at_once(
    organizing, nutmeg, tenant_union, seat, linked_base
):
    district, official = seat
    assert_pages_agree_with_the_reference(organizing, district, official)  # now kept
    newcomer = add_member(nutmeg, tenant_union, "Given03", "Family03")
    VoterLink.objects.create(organization=nutmeg, person=newcomer, voter_id="V03")
    assert legislature.district_base(organizing, official).matched == 6
    assert_pages_agree_with_the_reference(organizing, district, official)
    # A membership lapses: one member fewer on an official's page.
    members_before = legislature.district_base(organizing, official).members
    AffiliateMembership.objects.filter(person=linked_base["05"]).update(status="lapsed")
    assert legislature.district_base(organizing, official).members == members_before - 1
    assert_pages_agree_with_the_reference(organizing, district, official)
    # A new leader: a ladder move, on the map and an official's page.
    AffiliateMembership.objects.filter(person=linked_base["01"]).update(role="leader")
    ladder.recompute(organization=nutmeg)
    assert legislature.district_base(organizing, official).leaders == 2
    assert map_figures(power.power_map(organizing).rows)["1"][1] == 2
    assert_pages_agree_with_the_reference(organizing, district, official)


def page_urls(nutmeg, district, official) -> dict[str, str]:
    org = {"org": nutmeg.slug}
    return {
        "power map": reverse("power:map", kwargs=org),
        "power district": reverse("power:district", kwargs={**org, "district_id": district.pk}),
        "official": reverse("legislature:official", kwargs={**org, "official_id": official.pk}),
        "voter file district": reverse(
            "voterfile:district", kwargs={**org, "district_id": district.pk}
        ),
    }


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as counted:
        assert client.get(url).status_code == 200
    return len(counted)


def test_each_page_answers_in_as_many_queries_with_more_of_the_base(
    client, organizer, nutmeg, tenant_union, seat
):
    client.force_login(organizer)
    urls = page_urls(nutmeg, *seat)
    for url in urls.values():
        client.get(url)  # the first view computes and keeps the figures
    before = {name: queries_of(client, url) for name, url in urls.items()}
    for voter in ("03", "04", "06", "07", "08", "12", "13", "14", "15", "16"):
        person = add_member(nutmeg, tenant_union, f"Given{voter}", f"Family{voter}")
        VoterLink.objects.create(organization=nutmeg, person=person, voter_id=f"V{voter}")
    for url in urls.values():
        client.get(url)
    after = {name: queries_of(client, url) for name, url in urls.items()}
    assert after == before
    html = client.get(urls["power district"]).content.decode()
    assert "Given03" in html and "Given12" not in html  # district 2's newcomer is not here


def test_a_districts_voter_profile_is_read_from_the_voter_file_once(organizing, seat, monkeypatch):
    district, _ = seat
    first = voterfile.district_profile(organizing, district)
    version = voterfile.current_version(organizing)
    assert first == voterfile._read_profile(version, district, first["last"])
    assert first["parties"] == [("DEM", 8), ("REP", 1)]
    parties = voterfile.parties(version)
    assert parties == voterfile._read_parties(version) == [("DEM", 14), ("REP", 1)]
    composition = power.district_page(organizing, district.pk).voters
    with store.reading(version) as con:
        assert composition == map_engine.voter_compositions(con, kind="state_house")["1"]

    def refuse(*args, **kwargs):
        raise AssertionError("the voter file was read again")

    monkeypatch.setattr(store, "reading", refuse)
    assert voterfile.district_profile(organizing, district) == first
    assert voterfile.parties(version) == parties


def ladder_funnels(actor) -> tuple[list, list]:
    """The ladder page's two funnels: [(label, people on each rung)] by affiliate, by district."""
    shown = ladder.funnels(actor)
    return (
        [(row.label, [n for _, n in row.cells]) for row in shown.by_affiliate],
        [(row.label, [n for _, n in row.cells]) for row in shown.by_district],
    )


def test_the_ladders_kept_funnels_show_every_change_at_once(
    organizing, nutmeg, tenant_union, linked_base, affiliate_lead
):
    assert ladder_funnels(organizing) == (
        [("Educators Local 12", [1, 0, 0, 0]), ("Quinnipiac Tenants Union", [5, 0, 1, 0])],
        [
            ("State house district 1", [4, 0, 1, 0]),
            ("State house district 2", [1, 0, 0, 0]),
            ("District not known yet", [1, 0, 0, 0]),
        ],
    )
    # A newcomer linked to a district-1 registration, placed on the ladder's first rung.
    newcomer = add_member(nutmeg, tenant_union, "Given03", "Family03")
    VoterLink.objects.create(organization=nutmeg, person=newcomer, voter_id="V03")
    ladder.recompute(organization=nutmeg, person_ids=[newcomer.pk])
    by_affiliate, by_district = ladder_funnels(organizing)
    assert by_affiliate[1] == ("Quinnipiac Tenants Union", [6, 0, 1, 0])
    assert by_district[0] == ("State house district 1", [5, 0, 1, 0])
    # A new leader: a ladder move.
    AffiliateMembership.objects.filter(person=linked_base["01"]).update(role="leader")
    ladder.recompute(organization=nutmeg)
    by_affiliate, by_district = ladder_funnels(organizing)
    assert by_affiliate[1] == ("Quinnipiac Tenants Union", [5, 0, 2, 0])
    assert by_district[0] == ("State house district 1", [4, 0, 2, 0])
    # A membership lapses; an affiliate is renamed (names are not kept).
    AffiliateMembership.objects.filter(person=linked_base["11"]).update(status="lapsed")
    tenant_union.name = "Renters United"
    tenant_union.save()
    assert ladder_funnels(organizing)[0] == [("Renters United", [5, 0, 2, 0])]
    # What is kept for the whole base is not what an affiliate lead sees.
    lead = act(affiliate_lead, nutmeg)
    assert ladder_funnels(lead) == (
        [("Renters United", [5, 0, 2, 0])],
        [("District not known yet", [5, 0, 2, 0])],
    )


def test_the_ladder_page_answers_in_as_many_queries_with_more_of_the_base(
    client, organizer, nutmeg, tenant_union, linked_base
):
    client.force_login(organizer)
    url = reverse("actions:ladder", kwargs={"org": nutmeg.slug})
    client.get(url)  # the session's own first-view queries

    def first_and_next_view(voters) -> tuple[int, int]:
        """Queries of the first view after *voters* join the base (it counts the funnels and
        keeps them) and of the next (it reads them)."""
        for voter in voters:
            person = add_member(nutmeg, tenant_union, f"Given{voter}", f"Family{voter}")
            VoterLink.objects.create(organization=nutmeg, person=person, voter_id=f"V{voter}")
        ladder.recompute(organization=nutmeg)
        return queries_of(client, url), queries_of(client, url)

    first, then = first_and_next_view(["03"])
    assert then < first
    assert first_and_next_view(["04", "06", "12", "13", "14"]) == (first, then)


def test_the_first_district_of_one_kind_places_the_base_in_every_kind_at_once(
    organizing, nutmeg, linked_base, monkeypatch
):
    """After a change of the base, the first page of a kind of district places the base in
    every kind the voter file has: a page of another kind reads it (here from the cache, as
    another process would) instead of placing it again."""
    from powerbase.identity import queries as identity

    placed_kinds = []
    place_kinds = base._place_kinds
    monkeypatch.setattr(
        base, "_place_kinds", lambda *args: placed_kinds.append(args[1]) or place_kinds(*args)
    )
    house = District.objects.get(organization=nutmeg, kind="state_house", code="1")
    senate = District.objects.get(organization=nutmeg, kind="state_senate", code="1")
    assert identity.district_people(organizing, house).member_count == 5
    base.forget_kept()
    assert identity.district_people(organizing, senate).member_count == 6
    assert power.power_map(organizing, kind="congressional").rows[0].members == 6
    assert placed_kinds == [["state_house", "congressional", "state_senate"]]
    linked = ("01", "02", "05", "09", "10", "11")
    assert reference_district(nutmeg, senate) == sorted(linked_base[v].pk for v in linked)


def test_a_change_of_an_affiliates_sharing_terms_shows_at_once_in_a_districts_composition(
    organizing, nutmeg, tenant_union, seat
):
    district, _ = seat
    before = power.district_page(organizing, district.pk).base  # now kept
    tenant_union.share_demographics = not tenant_union.share_demographics
    tenant_union.save()
    after = power.district_page(organizing, district.pk).base
    assert after != before
    assert after == power.base_composition(organizing, reference_district(nutmeg, district))


def test_a_page_that_reads_takes_the_bases_fingerprint_once(
    client, organizer, nutmeg, linked_base, monkeypatch
):
    """The power map reads three figures kept under the base's fingerprint: a GET takes it
    once (identity.middleware), and a row of the base saved during the page takes it again."""
    taken = []
    fingerprint = base.fingerprint
    monkeypatch.setattr(base, "fingerprint", lambda org: taken.append(org.pk) or fingerprint(org))
    client.force_login(organizer)
    url = reverse("power:map", kwargs={"org": "nutmeg"}) + "?kind=state_senate"
    assert client.get(url).status_code == 200
    assert taken == [nutmeg.pk]
    taken.clear()
    with base.one_fingerprint():
        first = base.kept(nutmeg, "test:figure", lambda: "before")
        # The fingerprint reads the voter links: taken again at the next read.
        VoterLink.objects.get(person=linked_base["01"]).delete()
        again = base.kept(nutmeg, "test:figure", lambda: "after")
    assert (first, again, len(taken)) == ("before", "after", 2)


def test_the_first_map_after_a_change_counts_every_chamber_once(
    organizing, nutmeg, linked_base, monkeypatch
):
    """The first map after a change of the base counts the voter file's other chambers too:
    the first map of each chamber no longer pays for it."""
    counted = []
    count_base = map_engine.count_base
    monkeypatch.setattr(
        map_engine,
        "count_base",
        lambda con, base_rows, facts, assumptions: (
            counted.append(assumptions.kind) or count_base(con, base_rows, facts, assumptions)
        ),
    )
    kinds = voterfile.district_kinds(voterfile.version_in_use(nutmeg))
    chambers = [kind for kind in power.COUNTED_TOGETHER if kind in kinds]
    assert len(chambers) >= 2  # the fixture's voter file has more than one chamber
    house = power.power_map(organizing, kind="state_house")
    assert sorted(counted) == sorted(chambers)
    counted.clear()
    shown = {kind: map_figures(power.power_map(organizing, kind=kind).rows) for kind in chambers}
    assert counted == []  # every chamber's map read what the first one kept
    assert shown == {kind: reference_map(organizing, kind) for kind in chambers}
    assert shown["state_house"] == map_figures(house.rows)


def test_the_whip_boards_base_is_counted_for_every_chamber_at_once(
    nutmeg, linked_base, monkeypatch
):
    """After a change of the base, the first whip board's count of the base by district reads
    the whole base's members and leaders once for every chamber."""
    reads = []
    member_ids = base.member_ids
    monkeypatch.setattr(base, "member_ids", lambda org: reads.append(1) or member_ids(org))
    house = legislature.base_by_district(nutmeg, "state_house")
    senate = legislature.base_by_district(nutmeg, "state_senate")
    assert len(reads) == 1
    assert house == reference_seats(nutmeg, "state_house")
    assert senate == reference_seats(nutmeg, "state_senate")
    VoterLink.objects.get(person=linked_base["01"]).delete()  # a change: counted again, at once
    assert legislature.base_by_district(nutmeg, "state_senate") == reference_seats(
        nutmeg, "state_senate"
    )
    assert legislature.base_by_district(nutmeg, "state_senate") != senate
