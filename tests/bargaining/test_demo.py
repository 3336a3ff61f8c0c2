"""The bargaining demo: units expiring over three years and one contract campaign with
community demands, partners, targets and an action; loaded once, through services."""

from powerbase.bargaining import queries
from powerbase.core import access
from powerbase.demo.bargaining import load_bargaining_demo
from tests.bargaining.conftest import TODAY
from tests.conftest import add_member


def test_the_demo_campaign_has_community_demands_partners_targets_and_an_action(
    nutmeg, tenant_union, teachers_union
):
    from powerbase.coalition.services import create_affiliate

    system = access.system(nutmeg)
    for name in ("Nutmeg Educators Association Local 12", "Greater Hartford Interfaith Table"):
        create_affiliate(actor=system, name=name, kind="labor_union")
    add_member(nutmeg, tenant_union, "Tenant", "Fictional")
    loaded = load_bargaining_demo(nutmeg, today=TODAY)
    assert loaded["units"] == 2  # of the demo's seven, the two whose affiliates exist here
    assert load_bargaining_demo(nutmeg, today=TODAY) == {"status": "already loaded"}
    [campaign] = queries.campaigns(system)
    assert len(queries.sessions(system, campaign)) == 3
    demands = queries.demands(system, campaign)
    assert sum(d.source == "community" for d in demands) == 3
    assert sum(d.outcome == "won" for d in demands) == 1
    assert {p.affiliate.name for p in queries.partners(system, campaign)} == {
        "Quinnipiac Tenants Union",
        "Greater Hartford Interfaith Table",
    }
    [rally] = queries.public_actions(system, campaign)
    assert rally.action.is_structure_test
    [superintendent] = queries.targets(system, campaign)
    assert [r.stance for r in superintendent.history] == ["undecided", "no"]
    expiring = [u for q in queries.calendar(system, today=TODAY) for m in q.months for u in m.units]
    assert len(expiring) == 2
    assert [w.title for w in queries.wins(system).at_the_table] == [
        "A full-time nurse and counselor in every school"
    ]
