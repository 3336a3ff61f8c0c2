"""The pages: a voter's way from a code to a receipt and the published results, and the
organizers' pages for running votes, assemblies and proposals."""

import re

import pytest
from django.urls import reverse

from powerbase.democracy import services, throttle
from powerbase.democracy.models import CastBallot, Vote
from tests.democracy.conftest import printed_slips, voter_codes


def ballot_url(code: str) -> str:
    return reverse("democracy:ballot", kwargs={"code": code})


def org_url(name: str, **kwargs) -> str:
    return reverse(f"democracy:{name}", kwargs={"org": "nutmeg", **kwargs})


def published(manager, vote) -> None:
    services.close_vote(actor=manager, vote=vote)
    services.count_vote(actor=manager, vote=vote)
    services.publish_results(actor=manager, vote=vote)


# The voter's pages ---------------------------------------------------------------------------


def test_a_voter_ranks_with_one_labelled_select_per_rank_and_gets_a_receipt(
    client, manager, election
):
    code = voter_codes(manager, election)["ana"]
    page = client.get(ballot_url(code))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    for rank in ("1st", "2nd", "3rd"):
        assert re.search(rf'<label for="id_rank\d">{rank} choice:?</label>', html)
    response = client.post(ballot_url(code), {"rank1": "Our Towns", "rank2": "Fair Share"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    receipt = re.search(r'id="receipt-code">([0-9A-Z-]{11})<', response.content.decode())
    assert receipt and CastBallot.objects.get().receipt == receipt.group(1).replace("-", "")
    again = client.get(ballot_url(code))
    assert b"has already been cast" in again.content


def test_choosing_a_candidate_twice_is_explained_and_nothing_is_cast(client, manager, election):
    code = voter_codes(manager, election)["ana"]
    response = client.post(ballot_url(code), {"rank1": "Our Towns", "rank2": "Our Towns"})
    assert b"choose each candidate once" in response.content
    assert not CastBallot.objects.exists()


def test_a_wrong_code_reveals_nothing(client, manager, election):
    voter_codes(manager, election)
    first = client.get(ballot_url("WRONG-CODE-0001"))
    second = client.get(ballot_url("an-invented-link-token-that-matches-nothing"))
    assert first.status_code == second.status_code == 404
    assert without_csrf(first.content) == without_csrf(second.content)
    assert b"Nutmeg" not in first.content and election.title.encode() not in first.content


def without_csrf(html: bytes) -> bytes:
    """Drop the per-request CSRF token, the one part of a page that always differs."""
    return re.sub(rb'"X-CSRFToken": "[^"]*"', b"", html)


def test_guessing_codes_is_stopped_after_ten_wrong_tries(client, manager, election):
    code = voter_codes(manager, election)["ana"]
    for n in range(throttle.LIMIT):
        assert client.get(ballot_url(f"WRONG-CODE-{n:04d}")).status_code == 404
    assert client.get(ballot_url(code)).status_code == 429  # even the right one, for a while
    assert not CastBallot.objects.exists()


def test_wrong_tries_count_across_web_server_processes(rf, db):
    # `powerbase serve` runs several gunicorn workers: each has its own cache connection, and
    # a guesser spread over them must still be stopped.
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    assert isinstance(caches["default"], DatabaseCache)  # not one per process
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    for _ in range(throttle.LIMIT):
        throttle.count_wrong_try(request, "code")
    other_process = caches.create_connection("default")
    assert other_process is not caches["default"]
    assert other_process.get(throttle._key(request, "code")) == throttle.LIMIT
    assert throttle.blocked(request, "code")


def test_a_printed_code_typed_in_leads_to_the_ballot(client, manager, assembly_vote):
    code = printed_slips(manager, assembly_vote)[0]
    response = client.post(reverse("democracy:ballot_entry"), {"code": code.lower()})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    wrong = client.post(reverse("democracy:ballot_entry"), {"code": "AAAA-BBBB-CCCC"})
    assert b"That code is not valid" in wrong.content


def test_a_yes_no_question_is_answered_with_labelled_radio_buttons(client, manager, members):
    vote = services.create_vote(
        actor=manager, title="Join the campaign?", method="threshold", electorate=members
    )
    code = voter_codes(manager, vote)["ana"]
    html = client.get(ballot_url(code)).content.decode()
    assert "<legend>Your answer</legend>" in html
    assert re.search(r'<label class="choice" for="id_choice_0"><input type="radio"', html)
    client.post(ballot_url(code), {"choice": "yes"})
    assert CastBallot.objects.get().marks == [["yes"]]


def test_results_appear_only_once_published_and_a_receipt_finds_its_ballot(
    client, manager, election
):
    code = voter_codes(manager, election)["ana"]
    receipt = services.cast_ballot(code=code, marks=[["Fair Share"], ["Our Towns"]]).code
    url = reverse("democracy:published", kwargs={"public_id": election.public_id})
    assert client.get(url).status_code == 404
    assert client.get("/results/not-a-vote/").status_code == 404
    published(manager, election)
    page = client.get(url).content.decode()
    assert "Elected: Fair Share" in page and '<th scope="row">Fair Share</th>' in page
    found = client.post(url, {"receipt": receipt.lower()}).content.decode()
    assert "Your ballot is in the published ballot set" in found
    missing = client.post(url, {"receipt": "AAAAA-BBBBB"}).content.decode()
    assert "No ballot with that receipt code" in missing


# The organizers' pages -----------------------------------------------------------------------


def test_an_organizer_sets_up_and_opens_a_vote_from_the_pages(client, organizer, members):
    client.force_login(organizer)
    response = client.post(
        org_url("vote_new"),
        {
            "title": "Steering committee",
            "method": "stv",
            "seats": 2,
            "electorate": members.pk,
            "required": "majority",
            "share_of": "cast",
        },
    )
    vote = Vote.objects.get(title="Steering committee")
    assert response.status_code == 302
    for name in ["Ana Reyes", "Dana Whitfield", "Gus Halvorsen"]:
        client.post(org_url("candidate_add", vote_id=vote.pk), {"name": name})
    client.post(org_url("vote_step", vote_id=vote.pk), {"step": "open"})
    vote.refresh_from_db()
    assert vote.status == "open" and vote.candidates.count() == 3
    page = client.get(org_url("vote", vote_id=vote.pk)).content.decode()
    assert "0 of 8 voted" in page and vote.setup_fingerprint in page


def test_voter_codes_are_shown_once_and_never_cached(client, organizer, assembly_vote):
    client.force_login(organizer)
    response = client.post(org_url("vote_codes", vote_id=assembly_vote.pk))
    assert response["Cache-Control"] == "no-store"
    assert (
        len(
            re.findall(
                r'class="slip-code">[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}<', response.content.decode()
            )
        )
        == 3
    )  # Ana, Bo and Dana are present


def test_the_voter_roll_shows_who_voted_not_how(
    client, organizer, manager, election, django_assert_max_num_queries
):
    codes = voter_codes(manager, election)
    services.cast_ballot(code=codes["ana"], marks=[["Our Towns"]])
    client.force_login(organizer)
    with django_assert_max_num_queries(12):
        page = client.get(org_url("vote_roll", vote_id=election.pk)).content.decode()
    assert "1 of 8 have voted" in page and "Online" in page and "Our Towns" not in page
    found = client.get(org_url("vote_roll", vote_id=election.pk), {"q": "ana"}).content
    assert b"Ana Reyes" in found and b"Bo Lindgren" not in found


def test_the_overview_lists_votes_in_a_fixed_number_of_queries(
    client, organizer, manager, members, django_assert_max_num_queries
):
    for n in range(5):
        services.create_vote(
            actor=manager, title=f"Question {n}", method="threshold", electorate=members
        )
    client.force_login(organizer)
    with django_assert_max_num_queries(12):
        response = client.get(org_url("overview"))
    assert response.content.decode().count("Question ") == 5


def test_two_tellers_enter_a_paper_ballot_through_the_page(
    client, organizer, manager, election, base, nutmeg
):
    from powerbase.core.models import Role
    from tests.conftest import make_user

    opened = services.open_vote(actor=manager, vote=election)
    right = opened.eligibilities.get(person=base["ana"])
    client.force_login(organizer)
    client.post(org_url("vote_paper_handout", vote_id=opened.pk, eligibility_id=right.pk))
    client.post(org_url("vote_paper", vote_id=opened.pk), {"sheet": 1, "rank1": "Fair Share"})
    client.force_login(make_user(nutmeg, Role.ADMIN, email="teller@nutmeg.example"))
    response = client.post(
        org_url("vote_paper", vote_id=opened.pk), {"sheet": 1, "rank1": "Fair Share"}, follow=True
    )
    assert b"confirmed by two tellers" in response.content
    assert CastBallot.objects.get().marks == [["Fair Share"]]


def test_a_name_that_fits_several_people_asks_for_more(
    client, organizer, manager, delegate_electorate, base
):
    assembly = services.create_assembly(
        actor=manager,
        title="Assembly",
        starts_at=base["ana"].created_at,
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=1),
    )
    client.force_login(organizer)
    response = client.post(
        org_url("assembly_attendance", assembly_id=assembly.pk), {"person": "A"}, follow=True
    )  # Ana Reyes, Femi Adebayo
    page = response.content.decode()
    assert "Several people on the roster match" in page
    assert "Ana Reyes (Quinnipiac Tenants Union, delegate" in page
    client.post(org_url("assembly_attendance", assembly_id=assembly.pk), {"person": "Dana Whit"})
    page = client.get(org_url("assembly", assembly_id=assembly.pk)).content.decode()
    assert "Quorum: 1 of 4 present, 1 needed. Met." in page


def test_an_affiliate_lead_sees_their_own_voters_turnout(
    client, affiliate_lead, manager, election, nutmeg
):
    codes = voter_codes(manager, election)
    services.cast_ballot(code=codes["ana"], marks=[["Our Towns"]])  # a tenant
    services.cast_ballot(code=codes["dana"], marks=[["Our Towns"]])  # a teacher
    client.force_login(affiliate_lead)
    page = client.get(org_url("vote", vote_id=election.pk)).content.decode()
    assert "1 of 4 voted (25%), of your affiliate's voters" in page


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        ("close", "is not open, so it cannot be closed"),
        ("count", "is draft; only a closed vote is counted"),
        ("publish", "results are published once counted"),
    ],
)
def test_a_step_out_of_order_is_refused_with_a_reason(client, organizer, election, step, reason):
    client.force_login(organizer)
    response = client.post(org_url("vote_step", vote_id=election.pk), {"step": step}, follow=True)
    assert reason in response.content.decode()
    election.refresh_from_db()
    assert election.status == "draft"
