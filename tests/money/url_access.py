"""The money objects the permission test's URLs point at.

Who may open each money page is written in tests/permission_table.txt.
"""

from powerbase.money.entities import default_entity
from powerbase.money.models import Budget


def world(*, nutmeg, tenant_union, **_) -> dict:
    """The tenant union's dues page (it needs no schedule to open) and an operating budget."""
    budget = Budget.objects.create(
        organization=nutmeg, entity=default_entity(nutmeg), name="Operating", year=2026
    )
    return {"affiliate_id": tenant_union.pk, "budget_id": budget.pk}
