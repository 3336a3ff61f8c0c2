"""Migration money 0006: lines already on the books go into one default entity per
organization, so no row is left without one when 0007 makes the entity required."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("money", "0005_member_dues")]


@pytest.mark.django_db(transaction=True)
def test_existing_lines_go_into_the_organizations_c4(nutmeg, harbor):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("money", "Budget").objects.create(
        organization_id=nutmeg.pk, name="Operating", year=2025
    )
    old.get_model("money", "IncomeLine").objects.create(
        organization_id=nutmeg.pk,
        received_on="2025-05-01",
        amount_cents=1500,
        source_class="individual",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from powerbase.money.models import Budget, Entity, IncomeLine

    (entity,) = Entity.objects.all()  # Harbor had no money: it gets no entity
    assert (entity.organization, entity.slug, entity.kind) == (nutmeg, "c4", "501c4")
    assert Budget.objects.get().entity == entity == IncomeLine.objects.get().entity


@pytest.mark.django_db(transaction=True)
def test_existing_dues_schedules_go_into_the_default_entitys_books(nutmeg, harbor, tenant_union):
    """Migration money 0009: schedules made before dues had an entity go into the books their
    payments were kept in, the default entity; an organization without one gets its c4."""
    before = [("money", "0008_import_people_and_job")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("money", "DuesSchedule").objects.create(
        organization_id=nutmeg.pk,
        affiliate_id=tenant_union.pk,
        kind="flat",
        period="yearly",
        amount_cents=120000,
        starts_on="2026-01-01",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from powerbase.money.models import DuesSchedule, Entity, MoneySettings

    (entity,) = Entity.objects.all()
    assert (entity.organization, entity.slug) == (nutmeg, "c4")
    assert DuesSchedule.objects.get().entity == entity
    assert not MoneySettings.objects.filter(dues_entity__isnull=False).exists()
