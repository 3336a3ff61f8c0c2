"""The bargaining objects the permission test's URLs point at: a unit of the tenant union (the
lead's own) with a contract campaign, one demand and one employer target."""

import datetime

from django.utils import timezone

from powerbase.bargaining import services
from powerbase.core import access


def world(*, nutmeg, tenant_union, **_) -> dict:
    staff = access.command_line(nutmeg)
    unit = services.create_unit(
        actor=staff,
        affiliate=tenant_union,
        employer="Elm City Housing Authority",
        unit_size=120,
        contract_expires_on=timezone.localdate() + datetime.timedelta(days=200),
    )
    campaign = services.start_campaign(actor=staff, unit=unit, name="Homes for All")
    demand = services.add_demand(
        actor=staff, campaign=campaign, source="union", title="Repairs within 30 days"
    )
    target = services.add_target(
        actor=staff, campaign=campaign, kind="employer", name="Dana Reyes", role="Director"
    )
    return {
        "unit_id": unit.pk,
        "campaign_id": campaign.pk,
        "demand_id": demand.pk,
        "target_id": target.pk,
    }
