"""Encrypt the notes already written (core.encryption); new ones are encrypted as they are saved.

Raw SQL, because the field now decrypts what it reads and these rows are still plain text.
"""

from django.db import migrations

import powerbase.core.encryption


def encrypt_existing(apps, schema_editor):
    _rewrite(schema_editor.connection, powerbase.core.encryption.encrypt)


def decrypt_existing(apps, schema_editor):
    _rewrite(schema_editor.connection, powerbase.core.encryption.decrypt)


def _rewrite(connection, convert):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, body FROM people_note")
        rows = cursor.fetchall()
        cursor.executemany("UPDATE people_note SET body = %s WHERE id = %s",
                           [(convert(body), note_id) for note_id, body in rows])


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='note',
            name='body',
            field=powerbase.core.encryption.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
