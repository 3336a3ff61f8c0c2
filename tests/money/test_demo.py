"""The money demo tells its story: the base's share grows through the year, and the affiliate
that stopped paying is not in good standing."""

import datetime

from powerbase.core import access
from powerbase.demo.money import load_money_demo
from powerbase.money import capacity, queries
from powerbase.money.entities import books


def test_the_demo_year_moves_towards_self_funding_and_loads_once(
    nutmeg, tenant_union, teachers_union
):
    loaded = load_money_demo(nutmeg, today=datetime.date(2026, 12, 7))
    assert loaded == {"affiliate behind on dues": "Quinnipiac Tenants Union"}
    assert load_money_demo(nutmeg) == {"status": "already loaded"}
    lapsed = queries.not_in_good_standing(nutmeg, on=datetime.date(2026, 12, 7))
    assert list(lapsed) == [tenant_union.pk]
    months = capacity.self_funding(access.system(nutmeg), 2026, books(nutmeg, None))
    shares = [m.base_share for m in months if m.base_share is not None]
    assert shares[-1] > shares[0]
