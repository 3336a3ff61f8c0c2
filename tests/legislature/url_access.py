"""The legislature objects the permission test's URLs point at.

Who may open each legislature page is written in tests/permission_table.txt.
"""

from datetime import date

from powerbase.core.models import Role
from powerbase.legislature import services
from powerbase.legislature.models import Chamber
from tests.conftest import act


def world(*, nutmeg, users_by_role, **_) -> dict:
    """A fictional senator in the bloc with a pledge and a vote on a published scorecard, a
    draft platform, and a live whip count."""
    organizer = act(users_by_role[Role.ORGANIZER], nutmeg)
    senator = services.create_official(
        actor=organizer,
        name="Ada Quill",
        given_name="Ada",
        family_name="Quill",
        chamber=Chamber.UPPER,
        district_code="1",
        party="Working Families",
    )
    membership = services.join_bloc(actor=organizer, official=senator, joined_on=date(2025, 1, 8))
    version = services.create_platform(actor=organizer, title="People's Platform")
    plank = services.add_plank(actor=organizer, version=version, title="Fund the schools")
    demand = services.add_demand(
        actor=organizer, plank=plank, title="Fair Share", amount="300000000"
    )
    bill = services.create_bill(
        actor=organizer,
        jurisdiction="Connecticut",
        session="2027",
        identifier="SB 10",
        title="Fair Share",
        position="support",
    )
    services.link_bill(actor=organizer, demand=demand, bill=bill)
    services.record_pledge(actor=organizer, official=senator, demand=demand)
    roll_call = services.record_roll_call(
        actor=organizer,
        chamber=Chamber.UPPER,
        motion="On final passage",
        on=date(2026, 5, 2),
        result="pass",
        votes={senator: "yes"},
        bill=bill,
    )
    scorecard = services.create_scorecard(actor=organizer, title="Scorecard", session="2026")
    item = services.score_vote(
        actor=organizer, scorecard=scorecard, roll_call=roll_call, right_option="yes"
    )
    services.publish_scorecard(actor=organizer, scorecard=scorecard, publish=True)
    board = services.create_whip_board(
        actor=organizer, title="Fund the schools", chamber=Chamber.UPPER, needed=19, demand=demand
    )
    services.set_stance(actor=organizer, board=board, official=senator, stance="undecided")
    return {
        "official_id": senator.pk,
        "membership_id": membership.pk,
        "version_id": version.pk,
        "platform_id": version.platform_id,
        "plank_id": plank.pk,
        "bill_id": bill.pk,
        "roll_call_id": roll_call.pk,
        "scorecard_id": scorecard.pk,
        "item_id": item.pk,
        "board_id": board.pk,
        "org_slug": nutmeg.slug,
    }
