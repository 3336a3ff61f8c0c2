import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("money", "0009_dues_entity"),
    ]

    operations = [
        migrations.AlterField(
            model_name="duesschedule",
            name="entity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="money.entity"
            ),
        ),
    ]
