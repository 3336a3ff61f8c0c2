import django.db.models.deletion
from django.db import migrations, models


def put_schedules_in_the_dues_books(apps, schema_editor):
    """Existing dues schedules (and so their invoices) go in the books their affiliates' dues
    payments were kept in until now: the organization's default entity, its first. An
    organization with schedules but no entity gets its 501(c)(4), as 0006 did."""
    Entity = apps.get_model("money", "Entity")
    DuesSchedule = apps.get_model("money", "DuesSchedule")
    Organization = apps.get_model("core", "Organization")
    for organization in Organization.objects.filter(
        pk__in=DuesSchedule.objects.values("organization_id")
    ):
        entity = Entity.objects.filter(organization=organization).order_by("id").first()
        if entity is None:
            entity = Entity.objects.create(
                organization=organization, name=organization.name, slug="c4", kind="501c4"
            )
        DuesSchedule.objects.filter(organization=organization).update(entity=entity)


class Migration(migrations.Migration):
    dependencies = [
        ("money", "0008_import_people_and_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="moneysettings",
            name="dues_entity",
            field=models.ForeignKey(
                blank=True,
                help_text="The entity whose books keep affiliate dues; empty: the default entity.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="money.entity",
            ),
        ),
        migrations.AddField(
            model_name="duesschedule",
            name="entity",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="money.entity",
            ),
        ),
        migrations.RunPython(put_schedules_in_the_dues_books, migrations.RunPython.noop),
    ]
