"""Link the audit log into a hash chain, and make it append-only in SQLite as well.

The entries already written are hashed in order (the PostgreSQL trigger is paused for that one
UPDATE). Then SQLite gets triggers refusing UPDATE and DELETE, as PostgreSQL has since 0002.
A later migration that rebuilds core_auditentry on SQLite drops its triggers: re-create them
with `audit_chain.SQLITE_TRIGGERS` in the same migration.
"""

from django.db import migrations, models

from powerbase.core import audit_chain

PG_TRIGGER = "core_auditentry_append_only"


def hash_existing(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE core_auditentry DISABLE TRIGGER {PG_TRIGGER}")
    chains = AuditEntry.objects.order_by().values_list("organization_id", flat=True).distinct()
    for organization_id in set(chains):
        previous = ""
        for values in (AuditEntry.objects.filter(organization_id=organization_id)
                       .order_by("id").values("id", *audit_chain.CHAINED_FIELDS)):
            previous = audit_chain.link(previous, values)
            AuditEntry.objects.filter(pk=values["id"]).update(chain_hash=previous)
    if connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE core_auditentry ENABLE TRIGGER {PG_TRIGGER}")


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in audit_chain.SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in audit_chain.SQLITE_DROP_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_two_factor_by_default_and_recovery_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='chain_hash',
            field=models.CharField(
                blank=True, editable=False, max_length=64,
                help_text="SHA-256 of the previous entry's hash and this entry "
                          "(core.audit_chain)."),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['organization', 'id'], name='audit_chain_end'),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
