"""The demo's campaign: five structure tests where some affiliates grow and some fall short."""

from powerbase.actions import report
from powerbase.actions.models import Action, Campaign, LadderStanding, OneOnOne
from powerbase.core.models import Job, Organization, User
from powerbase.demo.actions import DEMO_CAMPAIGN, load_actions_demo
from tests.conftest import act
from tests.test_demo import load


def test_the_demo_campaign_shows_affiliates_growing_and_falling_short(db, monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")
    job = load()
    assert job.status == Job.Status.SUCCEEDED, job.error
    nutmeg = Organization.objects.get(slug="nutmeg")
    campaign = Campaign.objects.get(organization=nutmeg, name=DEMO_CAMPAIGN)
    assert campaign.actions.filter(is_structure_test=True).count() == 5
    organizer = act(User.objects.get(email="organizer@nutmeg.example"), nutmeg)
    trend = report.campaign_trend(organizer, campaign)
    first, last = trend.points[0].by_affiliate, trend.points[-1].by_affiliate
    growing = [name for name in first if last[name].ratio > first[name].ratio]
    falling = [name for name in first if last[name].ratio < first[name].ratio]
    assert growing and falling
    assert {last[name].status for name in falling} & {"short", "far"}
    assert Action.objects.filter(organization=nutmeg, is_public=True).exists()
    # Leaders deliver as their affiliates do: some bring what they committed, some fall short.
    records = report.leader_delivery(organizer, limit=100)
    assert any(r.delivered for r in records) and not all(r.delivered for r in records)
    assert LadderStanding.objects.filter(organization=nutmeg, level__rank__gte=2).exists()
    assert OneOnOne.objects.filter(held_by__email="leader@nutmeg.example").exists()
    assert load_actions_demo(nutmeg) == {"status": "already loaded"}
