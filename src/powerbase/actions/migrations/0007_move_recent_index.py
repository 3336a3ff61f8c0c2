from django.db import migrations, models

from powerbase.core.migration_operations import AddIndexWithoutLock


class Migration(migrations.Migration):
    # The ladder page's recent movement reads the latest moves by this index instead of sorting
    # every move. Built concurrently on PostgreSQL (docs/deploy.md, "Migrations on large
    # tables"): outside a transaction.
    atomic = False

    dependencies = [
        ("actions", "0006_fingerprint_index"),
    ]

    operations = [
        AddIndexWithoutLock(
            model_name="laddermove",
            index=models.Index(
                fields=["organization", "-moved_on", "-id"], name="move_recent"
            ),
        ),
    ]
