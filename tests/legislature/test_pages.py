"""The legislature pages: the whip board's htmx update, the floor-session form, uploads, the
public scorecard page (off until published) and the calendar with its .ics export."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import services as actions
from powerbase.core import access
from powerbase.legislature import services
from powerbase.legislature.models import Chamber, Official, RollCall, WhipStance
from tests.legislature.conftest import FIXTURES


def url(name, **kwargs):
    return reverse(f"legislature:{name}", kwargs={"org": "nutmeg", **kwargs})


@pytest.fixture
def board(manager, senate, platform):
    return services.create_whip_board(
        actor=manager,
        title="Fund the schools: $300M",
        chamber=Chamber.UPPER,
        needed=3,
        demand=platform.planks.get().demands.get(order=2),
    )


def test_a_stance_posted_by_htmx_returns_the_row_and_the_new_count(
    client, organizer, board, senate
):
    client.force_login(organizer)
    response = client.post(
        url("whip_stance", board_id=board.pk, official_id=senate["dov"].pk),
        {"stance": "lean_yes", "source": "Lobby visit"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="official-{senate["dov"].pk}"' in html
    assert 'id="whip-count"' in html and 'hx-swap-oob="true"' in html
    assert '<strong data-testid="likely">1</strong>' in html
    assert "Lobby visit" in html
    client.post(
        url("whip_stance", board_id=board.pk, official_id=senate["dov"].pk),
        {"stance": "yes", "source": "Floor speech"},
        headers={"HX-Request": "true"},
    )
    assert WhipStance.objects.filter(official=senate["dov"]).count() == 2  # history kept


def test_the_whip_board_lists_every_senator_and_flags_nobody_without_a_base(
    client, viewer, board, senate
):
    client.force_login(viewer)
    page = client.get(url("whip_board", board_id=board.pk)).content.decode()
    assert all(official.name in page for official in senate.values())
    assert "Push here" not in page
    assert "<form" not in page.split("whip-list")[1]  # a viewer reads, does not whip


def test_undecided_officials_where_the_base_is_strong_are_flagged(
    monkeypatch, manager, board, senate
):
    from powerbase.legislature import queries

    bases = {
        "1": queries.DistrictBase(50, 40, 5, strong=True),
        "4": queries.DistrictBase(60, 50, 9, strong=True),
        "5": queries.DistrictBase(1, 1, 0, strong=False),
    }
    monkeypatch.setattr(queries, "base_by_district", lambda organization, kind: bases)
    for name in ("ada", "dov", "eve"):
        services.set_stance(actor=manager, board=board, official=senate[name], stance="undecided")
    rows = queries.whip_rows(manager, board)
    assert [row.official.name for row in rows if row.push_here] == ["Ada Quill", "Dov Elling"]
    assert rows[0].push_here  # where to push comes first


def test_the_floor_session_form_records_everyone_with_the_exceptions(
    client, organizer, senate, fair_share
):
    client.force_login(organizer)
    form = client.get(url("roll_call_new") + "?chamber=upper").content.decode()
    assert "Ada Quill" in form and "Eve Rook" in form
    data = {"motion": "On final passage", "on": "2027-05-02", "bill": fair_share.pk, "result": ""}
    data |= {f"vote_{official.pk}": "yes" for official in senate.values()}
    data[f"vote_{senate['eve'].pk}"] = "no"
    response = client.post(url("roll_call_new") + "?chamber=upper", data)
    roll_call = RollCall.objects.get()
    assert response.status_code == 302
    assert roll_call.result == "pass" and roll_call.votes.count() == 5
    assert roll_call.votes.get(official=senate["eve"]).option == "no"


def test_officials_and_votes_upload_from_the_pages(client, organizer, nutmeg):
    client.force_login(organizer)
    files = [
        SimpleUploadedFile(path.name, path.read_bytes()) for path in sorted(FIXTURES.glob("*.yml"))
    ]
    response = client.post(url("official_import"), {"files": files})
    assert response.status_code == 302
    assert Official.objects.filter(organization=nutmeg).count() == 3
    services.create_bill(
        actor=access.command_line(nutmeg),
        jurisdiction="Connecticut",
        session="2027",
        identifier="SB 10",
        title="Fair Share",
    )
    services.create_bill(
        actor=access.command_line(nutmeg),
        jurisdiction="Connecticut",
        session="2027",
        identifier="HB 5001",
        title="Homes",
    )
    votes = SimpleUploadedFile("votes.csv", (FIXTURES / "votes.csv").read_bytes())
    client.post(url("votes_import"), {"file": votes})
    assert RollCall.objects.count() == 2


def test_the_public_scorecard_page_shows_nothing_until_published(
    client, manager, senate, fair_share
):
    card = services.create_scorecard(actor=manager, title="2027 Scorecard", session="2027")
    public = reverse(
        "legislature:public_scorecard", kwargs={"org_slug": "nutmeg", "scorecard_id": card.pk}
    )
    assert client.get(public).status_code == 404
    assert (
        client.get(
            reverse("legislature:public_scorecards", kwargs={"org_slug": "nutmeg"})
        ).status_code
        == 404
    )
    services.publish_scorecard(actor=manager, scorecard=card, publish=True)
    page = client.get(public)
    assert page.status_code == 200 and b"2027 Scorecard" in page.content


def test_the_official_page_shows_pledges_votes_and_the_bloc(
    client, viewer, manager, senate, platform, fair_share
):
    fair = platform.planks.get().demands.get(order=1)
    services.record_pledge(
        actor=manager, official=senate["ada"], demand=fair, pledged_on=date(2026, 1, 5)
    )
    services.record_roll_call(
        actor=manager,
        chamber=Chamber.UPPER,
        motion="On final passage",
        on=date(2026, 5, 2),
        result="pass",
        votes={senate["ada"]: "yes"},
        bill=fair_share,
    )
    client.force_login(viewer)
    page = client.get(url("official", official_id=senate["ada"].pk)).content.decode()
    assert "Pass the Fair Share Amendment" in page and "Kept" in page
    assert "Democratic and Working Families" in page and "fusion" in page
    assert "Bloc" in page


def test_the_calendar_puts_inside_events_and_actions_on_one_timeline(
    client, organizer, manager, fair_share
):
    campaign = actions.create_campaign(actor=manager, name="Fund our schools")
    soon = timezone.now() + timedelta(days=3)
    actions.create_action(
        actor=manager, title="Rally at the Capitol", starts_at=soon, campaign=campaign
    )
    services.create_inside_event(
        actor=manager,
        kind="hearing",
        title="Appropriations hearing",
        starts_at=soon - timedelta(days=1),
        campaign=campaign,
        bill=fair_share,
    )
    client.force_login(organizer)
    page = client.get(url("calendar") + f"?campaign={campaign.pk}").content.decode()
    assert page.index("Appropriations hearing") < page.index("Rally at the Capitol")
    feed = client.get(url("calendar_ics") + f"?campaign={campaign.pk}")
    assert feed["Content-Type"].startswith("text/calendar")
    assert feed.content.count(b"BEGIN:VEVENT") == 2


def test_saving_without_choosing_a_stance_says_so_in_the_row(client, organizer, board, senate):
    client.force_login(organizer)
    response = client.post(
        url("whip_stance", board_id=board.pk, official_id=senate["eve"].pk),
        {"stance": ""},
        headers={"HX-Request": "true"},
    )
    assert "Choose a stance." in response.content.decode()
    assert not WhipStance.objects.exists()


@pytest.mark.parametrize("page", ["officials", "whip_board"])
def test_list_pages_take_the_same_queries_for_more_officials(
    client, organizer, manager, board, senate, page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.legislature.conftest import fictional

    client.force_login(organizer)
    address = url(page, **({"board_id": board.pk} if page == "whip_board" else {}))

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    before = queries_for_page()
    for number in range(6, 16):
        official = fictional(manager, f"Extra Senator{number}", Chamber.UPPER, str(number))
        services.set_stance(actor=manager, board=board, official=official, stance="no")
    assert queries_for_page() == before


@pytest.mark.parametrize("page", ["scorecard", "public_scorecard"])
def test_a_scorecard_takes_the_same_few_queries_for_more_officials(
    client, viewer, manager, senate, page, django_assert_max_num_queries
):
    """Scoring a chamber reads the votes and the officials once each, however many voted."""
    from tests.legislature.conftest import fictional

    card = services.create_scorecard(actor=manager, title="2026", session="2026")
    services.publish_scorecard(actor=manager, scorecard=card, publish=True)

    def score_a_vote_by(officials) -> None:
        vote = services.record_roll_call(
            actor=manager,
            chamber=Chamber.UPPER,
            motion="On final passage",
            on=date(2026, 5, 2),
            result="pass",
            votes=dict.fromkeys(officials, "yes"),
        )
        services.score_vote(actor=manager, scorecard=card, roll_call=vote, right_option="yes")

    if page == "scorecard":
        client.force_login(viewer)
        address = url("scorecard", scorecard_id=card.pk)
    else:
        address = reverse(
            "legislature:public_scorecard", kwargs={"org_slug": "nutmeg", "scorecard_id": card.pk}
        )
    score_a_vote_by(senate.values())
    with django_assert_max_num_queries(13 if page == "scorecard" else 7) as few:
        assert client.get(address).status_code == 200
    extra = [fictional(manager, f"Extra Senator{n}", Chamber.UPPER, str(n)) for n in range(6, 16)]
    score_a_vote_by([*senate.values(), *extra])
    with django_assert_max_num_queries(len(few)):
        page_content = client.get(address).content.decode()
    assert "Extra Senator15" in page_content


def test_a_closed_count_leaves_the_live_list_and_keeps_its_history(
    client, organizer, board, senate, manager
):
    services.set_stance(actor=manager, board=board, official=senate["ada"], stance="yes")
    client.force_login(organizer)
    client.post(url("whip_board_live", board_id=board.pk), {"live": "0"})
    board.refresh_from_db()
    assert not board.is_live
    assert "Live fight" not in client.get(url("officials")).content.decode()
    assert WhipStance.objects.filter(board=board).count() == 1


def test_a_scorecard_shows_one_chamber_at_a_time_on_request(
    client, viewer, manager, senate, fair_share
):
    from tests.legislature.conftest import fictional

    rep = fictional(manager, "Ola Birch", Chamber.LOWER, "7")
    on = date(2026, 5, 2)
    senate_vote = services.record_roll_call(
        actor=manager,
        chamber=Chamber.UPPER,
        motion="M",
        on=on,
        result="pass",
        votes={senate["ada"]: "yes"},
    )
    house_vote = services.record_roll_call(
        actor=manager, chamber=Chamber.LOWER, motion="M", on=on, result="pass", votes={rep: "yes"}
    )
    card = services.create_scorecard(actor=manager, title="2026", session="2026")
    for item in (senate_vote, house_vote):
        services.score_vote(actor=manager, scorecard=card, roll_call=item, right_option="yes")
    client.force_login(viewer)
    page = client.get(url("scorecard", scorecard_id=card.pk) + "?chamber=lower").content
    assert b"Ola Birch" in page and b"Ada Quill" not in page


def test_the_officials_list_filters_to_the_bloc(client, viewer, senate):
    client.force_login(viewer)
    page = client.get(url("officials") + "?bloc=on").content.decode()
    assert "Ada Quill" in page and "Eve Rook" not in page
    assert "3 officials shown; 3 in the bloc" in page


def test_an_officials_page_says_where_they_stand_on_each_live_fight(
    client, viewer, manager, board, senate
):
    services.set_stance(
        actor=manager,
        board=board,
        official=senate["cy"],
        stance="lean_no",
        source="Said so on the radio",
    )
    client.force_login(viewer)
    page = client.get(url("official", official_id=senate["cy"].pk)).content.decode()
    assert "Fund the schools: $300M" in page and "Lean no" in page
    assert "Said so on the radio" in page
