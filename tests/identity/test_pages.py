"""The identity pages, and the sections they add to the person and district pages."""

import pytest
from django.urls import reverse

from powerbase.actions.ladder import levels
from powerbase.actions.models import LadderMove, LadderStanding
from powerbase.core.models import Role
from powerbase.identity import services
from powerbase.identity.models import CandidatePair, IdentityRun
from powerbase.voterfile.models import District
from tests.identity.conftest import run_job


@pytest.fixture
def signed_in(client, users_by_role):
    client.force_login(users_by_role[Role.DATA])
    return client


def url(name: str, **kwargs) -> str:
    return reverse(f"identity:{name}", kwargs={"org": "nutmeg", **kwargs})


@pytest.fixture
def waiting(base, data_director):
    run = IdentityRun.objects.get(job=run_job(services.start_dedupe(actor=data_director)))
    return run.pairs.get(status=CandidatePair.Status.PENDING)


def test_the_review_page_shows_both_records_and_what_agrees(signed_in, waiting):
    response = signed_in.get(url("review"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bill Ochoa" in text and "William Ochoa" in text
    assert "nickname (e.g. Bill and William)" in text
    assert 'data-key="a"' in text and 'data-key="r"' in text


def test_accepting_by_htmx_shows_the_next_pair_and_an_undo_button(signed_in, waiting):
    response = signed_in.post(
        url("decide", pair_id=waiting.pk), {"decision": "accept"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Merged William Ochoa into Bill Ochoa." in text
    assert "Undo the merge (U)" in text
    assert "Nothing waits for review" in text


def test_undo_from_the_review_page_brings_the_pair_back(signed_in, waiting):
    signed_in.post(url("decide", pair_id=waiting.pk), {"decision": "accept"})
    waiting.refresh_from_db()
    response = signed_in.post(
        url("undo", merge_id=waiting.merge_id), {"from": "review"}, HTTP_HX_REQUEST="true"
    )
    assert "separate records again" in response.content.decode()
    assert (
        f"pair_id={waiting.pk}" in response.content.decode()
        or f"/pairs/{waiting.pk}/decide/" in response.content.decode()
    )


def test_rejecting_without_htmx_returns_to_the_queue(signed_in, waiting):
    response = signed_in.post(url("decide", pair_id=waiting.pk), {"decision": "reject"})
    assert response.status_code == 302 and response["Location"] == url("review")


def test_the_overview_offers_both_jobs_and_lists_runs_and_merges(signed_in, waiting):
    text = signed_in.get(url("overview")).content.decode()
    assert "Find duplicates in the base" in text and "Link people to the voter file" in text
    assert "Maria Gonzalez (#" in text  # the automatic merge


def test_starting_a_job_goes_to_its_progress_page(signed_in, base):
    response = signed_in.post(url("start", kind="dedupe"))
    assert response.status_code == 302 and "/jobs/" in response["Location"]


def test_the_person_page_shows_the_voter_match_districts_and_turnout(
    signed_in, town, base, data_director, django_assert_max_num_queries
):
    run_job(services.start_link(actor=data_director))
    # A fixed number however long the person's story: each part of it is one query or two
    # (messages sent, replies and consent are three; the Democracy School's nominations and
    # graduations one; member dues and the currency they are shown in two); PostgreSQL runs
    # one more than SQLite.
    with django_assert_max_num_queries(47):
        response = signed_in.get(
            reverse("people:person", kwargs={"org": "nutmeg", "person_id": base["maria"].pk})
        )
    text = response.content.decode()
    assert "CT000001" in text and "Matched automatically" in text
    assert "State house district" in text
    assert "Voted in 2 of the last 4 primaries and 2 of the last 4 generals" in text


def test_the_person_page_lists_the_records_merged_into_it(signed_in, base, data_director):
    services.merge_people(actor=data_director, survivor=base["maria"], merged=base["maria_again"])
    text = signed_in.get(
        reverse("people:person", kwargs={"org": "nutmeg", "person_id": base["maria"].pk})
    ).content.decode()
    assert "Records merged into this one" in text and "Undo this merge" in text


def test_the_district_page_lists_members_and_leaders(signed_in, town, base, data_director):
    run_job(services.start_link(actor=data_director))
    leader = next(rung for rung in levels(base["maria"].organization) if rung.rank == 2)
    LadderStanding.objects.create(
        organization=leader.organization, person=base["maria"], level=leader
    )
    district = District.objects.get(kind="state_house", code="94")
    text = signed_in.get(
        reverse("voterfile:district", kwargs={"org": "nutmeg", "district_id": district.pk})
    ).content.decode()
    assert "María Gonzalez" in text
    assert "Leaders" in text and "Leader" in text
    assert "linked to a registration here" in text


def test_the_review_page_reads_the_same_queries_however_many_pairs_wait(signed_in, waiting):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            signed_in.get(url("review"))
        return len(queries)

    before = count()
    run = waiting.run
    for number in range(20):
        CandidatePair.objects.create(
            organization=run.organization,
            run=run,
            left=waiting.left,
            voter_id=f"CT9{number:05d}",
            probability=0.6,
            band=CandidatePair.Band.REVIEW,
        )
    assert count() == before


def test_skipping_walks_the_whole_queue_then_starts_again(signed_in, waiting):
    run = waiting.run
    later = [
        CandidatePair.objects.create(
            organization=run.organization,
            run=run,
            left=waiting.left,
            voter_id=f"CT9{number:05d}",
            probability=0.6,
            band=CandidatePair.Band.REVIEW,
        )
        for number in range(2)
    ]
    order = [waiting, *later]
    for shown, following in zip(order, [*order[1:], order[0]], strict=True):
        response = signed_in.get(url("review") + f"?skip={shown.pk}")
        assert response.context["view"].pair == following


def _counted_afresh(actor, district):
    """The district panel's figures as the page counted them before they were kept: every
    person placed in the district sent to the database."""
    from powerbase.identity import base as base_module

    seen = base_module.people(actor.organization, actor)
    placed = base_module.placements(actor.organization, district.kind)
    ids = [pk for pk, code in placed.items() if code == district.code]
    people = seen.filter(pk__in=ids).order_by("family_name", "given_name", "pk")
    leaders = people.filter(
        ladder_standing__level__rank__gte=base_module.leader_rank(actor.organization)
    )
    return (
        [p.pk for p in people],
        len(ids),
        [p.pk for p in leaders],
        leaders.count(),
        people.filter(voter_link__isnull=False).count(),
    )


def test_the_district_panel_kept_for_the_whole_base_matches_a_fresh_count_and_follows_changes(
    town, base, data_director
):
    from powerbase.identity import queries

    run_job(services.start_link(actor=data_director))
    district = District.objects.get(kind="state_house", code="94")

    def panel():
        found = queries.district_people(data_director, district)
        return (
            [p.pk for p in found.members],
            found.member_count,
            [p.pk for p in found.leaders],
            found.leader_count,
            found.matched_voters,
        )

    assert panel() == _counted_afresh(data_director, district)
    assert panel()[1] > 0
    # A new leader shows on the next view: the kept figures follow the base's fingerprint,
    # which counts ladder moves (the ladder records one with every change of rung).
    leader = next(rung for rung in levels(base["maria"].organization) if rung.rank == 2)
    LadderStanding.objects.create(
        organization=leader.organization, person=base["maria"], level=leader
    )
    LadderMove.objects.create(
        organization=leader.organization, person=base["maria"], to_level=leader, rule="test"
    )
    assert panel() == _counted_afresh(data_director, district)
    assert base["maria"].pk in panel()[2]
