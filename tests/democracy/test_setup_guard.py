"""The vote page says whether the setup still matches its fingerprint without reading the
roll, because the database marks an opened vote whose setup or roll changed, however it
changed (democracy.setup_guard). These tests make the changes behind the services' back, as
a SQL prompt would, and read the page an organizer sees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from powerbase.democracy import services
from powerbase.democracy.models import BallotCandidate, Eligibility, Vote

UNCHANGED = "the setup and voter roll are unchanged since voting opened"
CHANGED = "the setup or roll has changed since voting opened"


def vote_page(client, vote) -> str:
    url = reverse("democracy:vote", kwargs={"org": "nutmeg", "vote_id": vote.pk})
    return client.get(url).content.decode()


@pytest.fixture
def opened(manager, election):
    services.open_vote(actor=manager, vote=election)
    election.refresh_from_db()
    return election


@pytest.fixture
def signed_in(client, organizer):
    client.force_login(organizer)
    return client


def test_an_opened_vote_page_holds_without_reading_the_roll(
    signed_in, opened, django_assert_max_num_queries
):
    assert not opened.setup_touched  # opening writes the roll while the vote is a draft
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(16):
        page = vote_page(signed_in, opened)
    assert UNCHANGED in page and opened.setup_fingerprint in page
    roll_reads = [q["sql"] for q in queries if '"democracy_eligibility"."basis"' in q["sql"]]
    assert roll_reads == []


@pytest.mark.parametrize(
    "change",
    [
        lambda vote: Eligibility.objects.filter(vote=vote).update(weight=2),
        lambda vote: Eligibility.objects.filter(pk=vote.eligibilities.first().pk).delete(),
        lambda vote: Eligibility.objects.create(
            organization=vote.organization,
            vote=vote,
            person=None,
            affiliate=None,
            weight=1,
            basis=Eligibility.Basis.MEMBER,
        ),
        lambda vote: BallotCandidate.objects.filter(vote=vote, name="Our Towns").update(
            name="Our Cities"
        ),
        lambda vote: BallotCandidate.objects.filter(vote=vote, name="Our Towns").delete(),
        lambda vote: Vote.objects.filter(pk=vote.pk).update(seats=2),
        lambda vote: Vote.objects.filter(pk=vote.pk).update(options={"tiebreak": "random"}),
        lambda vote: Vote.objects.filter(pk=vote.pk).update(setup_fingerprint="0" * 64),
    ],
    ids=[
        "roll weight",
        "roll row deleted",
        "roll row added",
        "candidate renamed",
        "candidate deleted",
        "seats",
        "rules",
        "stored fingerprint",
    ],
)
def test_a_change_behind_the_services_back_shows_on_the_vote_page(signed_in, opened, change):
    change(opened)
    opened.refresh_from_db()
    assert opened.setup_touched
    page = vote_page(signed_in, opened)
    assert CHANGED in page and UNCHANGED not in page


def test_a_change_undone_is_checked_in_full_and_holds(signed_in, opened):
    rows = Eligibility.objects.filter(vote=opened)
    rows.update(weight=2)
    rows.update(weight=1)
    opened.refresh_from_db()
    assert opened.setup_touched
    assert UNCHANGED in vote_page(signed_in, opened)


def test_saving_a_stale_copy_of_the_vote_does_not_clear_the_mark(signed_in, opened):
    stale = Vote.objects.get(pk=opened.pk)
    Eligibility.objects.filter(vote=opened).update(weight=3)
    stale.save()  # writes setup_touched=False, as read before the change
    stale.refresh_from_db()
    assert stale.setup_touched
    assert CHANGED in vote_page(signed_in, stale)


def test_a_vote_set_back_to_draft_behind_the_services_back_is_marked(opened):
    Vote.objects.filter(pk=opened.pk).update(status=Vote.Status.DRAFT)
    opened.refresh_from_db()
    assert opened.setup_touched


def test_a_drafts_changes_and_the_votes_own_steps_do_not_mark_it(manager, election, base):
    services.add_candidate(actor=manager, vote=election, name="Green Jobs")
    services.remove_candidate(actor=manager, candidate=election.candidates.get(name="Green Jobs"))
    services.open_vote(actor=manager, vote=election)
    services.close_vote(actor=manager, vote=election)
    election.refresh_from_db()
    assert not election.setup_touched and election.status == Vote.Status.CLOSED
