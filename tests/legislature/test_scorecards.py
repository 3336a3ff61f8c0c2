"""Scorecards: weighted scores, bloc average and cohesion; pledges kept, broken or pending."""

from datetime import date

import pytest

from powerbase.legislature import queries, services
from powerbase.legislature.models import Chamber


def roll_call(manager, bill, on, votes, motion="On final passage"):
    return services.record_roll_call(
        actor=manager,
        chamber=Chamber.UPPER,
        motion=motion,
        on=on,
        result="pass",
        votes=votes,
        bill=bill,
    )


@pytest.fixture
def session(manager, senate, fair_share):
    """Two scored votes: the bloc splits on the first (Cy defects), holds on the second."""
    s = senate
    first = roll_call(
        manager,
        fair_share,
        date(2027, 4, 1),
        {s["ada"]: "yes", s["bea"]: "yes", s["cy"]: "no", s["dov"]: "yes", s["eve"]: "no"},
        motion="On the amendment",
    )
    second = roll_call(
        manager,
        fair_share,
        date(2027, 5, 2),
        {s["ada"]: "yes", s["bea"]: "yes", s["cy"]: "yes", s["dov"]: "absent", s["eve"]: "no"},
    )
    card = services.create_scorecard(actor=manager, title="2027 Scorecard", session="2027")
    services.score_vote(actor=manager, scorecard=card, roll_call=first, right_option="yes")
    services.score_vote(
        actor=manager, scorecard=card, roll_call=second, right_option="yes", weight=3
    )
    return card


def test_scores_weigh_votes_and_leave_missed_ones_out(session, senate):
    found = {row.official.name: row for row in queries.results(session).rows}
    assert found["Ada Quill"].score == 100
    assert found["Cy Thorne"].score == 75  # wrong on weight 1, right on weight 3
    assert found["Dov Elling"].score == 100  # right once, absent once (missed)
    assert found["Dov Elling"].missed == 1
    assert found["Eve Rook"].score == 0


def test_bloc_average_and_cohesion(session):
    result = queries.results(session)
    assert result.bloc_average == round((100 + 100 + 75) / 3)
    # First vote: 2 of 3 with the majority; second: unanimous.
    assert result.cohesion.percent == round(100 * (2 / 3 + 1) / 2)
    assert (result.cohesion.unanimous, result.cohesion.counted) == (1, 2)


def test_a_scorecard_is_private_until_published(manager, session, nutmeg):
    from powerbase.core.exceptions import NotFound

    with pytest.raises(NotFound):
        queries.published_scorecards(nutmeg.slug)
    services.publish_scorecard(actor=manager, scorecard=session, publish=True)
    assert queries.published_scorecard(nutmeg.slug, session.pk) == session
    services.publish_scorecard(actor=manager, scorecard=session, publish=False)
    with pytest.raises(NotFound):
        queries.published_scorecard(nutmeg.slug, session.pk)


def test_pledges_are_kept_broken_or_pending_by_the_votes_after_them(
    manager, senate, platform, fair_share
):
    fair, schools = platform.planks.get().demands.order_by("order")
    for name in ("ada", "cy"):
        services.record_pledge(
            actor=manager, official=senate[name], demand=fair, pledged_on=date(2026, 10, 1)
        )
    services.record_pledge(actor=manager, official=senate["bea"], demand=schools)
    roll_call(manager, fair_share, date(2026, 9, 1), {senate["cy"]: "yes"})  # before the pledge
    roll_call(manager, fair_share, date(2027, 5, 2), {senate["ada"]: "yes", senate["cy"]: "no"})

    status = {
        name: [r.status for r in queries.accountability(manager, senate[name])]
        for name in ("ada", "bea", "cy")
    }
    assert status == {"ada": ["kept"], "bea": ["pending"], "cy": ["broken"]}
    [cys_vote] = queries.accountability(manager, senate["cy"])[0].votes
    assert (cys_vote.roll_call.date, cys_vote.option) == (date(2027, 5, 2), "no")
    # The accountability page's summary judges the same way without reading the roll calls.
    summary = {o.pk: counts for o, counts in queries.accountability_summary(manager)}
    assert summary == {
        senate["ada"].pk: {"kept": 1, "broken": 0, "pending": 0},
        senate["bea"].pk: {"kept": 0, "broken": 0, "pending": 1},
        senate["cy"].pk: {"kept": 0, "broken": 1, "pending": 0},
    }


def test_a_scorecards_right_vote_overrides_the_bill_position(
    manager, senate, platform, fair_share, session
):
    fair = platform.planks.get().demands.get(order=1)
    services.record_pledge(
        actor=manager, official=senate["eve"], demand=fair, pledged_on=date(2026, 1, 1)
    )
    item = session.items.first()
    services.score_vote(
        actor=manager, scorecard=session, roll_call=item.roll_call, right_option="no"
    )  # a hostile amendment: no is right
    report = queries.accountability(manager, senate["eve"])[0]
    assert [vote.is_right for vote in report.votes] == [True, False]
    assert report.status == "broken"


def test_a_platform_version_is_adopted_by_a_decision_and_then_frozen(manager, platform, nutmeg):
    from powerbase.core.exceptions import Conflict, InvalidInput
    from powerbase.democracy.models import Decision

    rejected = Decision.objects.create(organization=nutmeg, title="Platform", outcome="rejected")
    with pytest.raises(InvalidInput, match="not adopted"):
        services.adopt_version(actor=manager, version=platform, decision=rejected)
    adopted = Decision.objects.create(
        organization=nutmeg, title="Platform", outcome="adopted", decided_on=date(2026, 4, 12)
    )
    services.adopt_version(actor=manager, version=platform, decision=adopted)
    assert platform.adopted_on == date(2026, 4, 12)
    with pytest.raises(Conflict):
        services.add_plank(actor=manager, version=platform, title="More")
    second = services.new_version(actor=manager, platform=platform.platform)
    assert second.number == 2
    assert second.planks.get().demands.count() == 2
    assert queries.version_in_force(platform.platform) == platform


def test_a_vote_taken_off_the_scorecard_no_longer_counts(manager, session):
    item = session.items.order_by("roll_call__date").first()
    services.unscore_vote(actor=manager, item=item)
    found = {row.official.name: row for row in queries.results(session).rows}
    assert found["Cy Thorne"].score == 100  # only the vote he got right is left


def test_bloc_averages_come_per_chamber_too(manager, session, fair_share):
    from tests.legislature.conftest import fictional

    rep = fictional(manager, "Ola Birch", Chamber.LOWER, "7", "Working Families")
    services.join_bloc(actor=manager, official=rep, joined_on=date(2025, 1, 8))
    house = roll_call(manager, fair_share, date(2027, 5, 9), {rep: "no"})
    house.chamber = Chamber.LOWER
    house.save()
    services.score_vote(actor=manager, scorecard=session, roll_call=house, right_option="yes")
    assert queries.results(session).bloc_average_by_chamber == [("Senate", 92, 3), ("House", 0, 1)]


def test_an_officials_page_scores_them_as_the_whole_scorecard_does(manager, session, senate):
    # The official's page reads only their votes; the scorecard scores everyone at once.
    for official in senate.values():
        mine = queries.scores_of(manager, official)
        everyone = [
            (session, row) for row in queries.results(session).rows if row.official == official
        ]
        assert [(card, row.score, row.missed, row.in_bloc) for card, row in mine] == [
            (card, row.score, row.missed, row.in_bloc) for card, row in everyone
        ]
