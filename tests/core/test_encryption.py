"""Sensitive notes are encrypted at rest, and `powerbase keys rotate` moves them to a new key."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from powerbase.core import encryption
from powerbase.core.models import AuditEntry
from powerbase.people import services
from powerbase.people.models import Note
from tests.conftest import act

SECRET = "Overstayed visa; DACA renewal due in May"


def raw_bodies() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM people_note")
        return [row[0] for row in cursor.fetchall()]


def test_a_sensitive_note_is_not_stored_in_plain_text(owner, nutmeg, walter):
    note = services.add_note(
        actor=act(owner, nutmeg), person=walter, body=SECRET, is_sensitive=True
    )
    stored = raw_bodies()
    assert stored and all("DACA" not in body and "visa" not in body for body in stored)
    assert Note.objects.get(pk=note.pk).body == SECRET
    audit_text = " ".join(f"{e.object_repr} {e.changes}" for e in AuditEntry.objects.all())
    assert "DACA" not in audit_text


def test_notes_written_by_a_bulk_import_are_encrypted_too(owner, nutmeg, walter):
    from powerbase.core.bulk import insert_rows
    from powerbase.people.services import manual_source

    source = manual_source(act(owner, nutmeg))
    insert_rows(
        Note,
        ("organization_id", "person_id", "source_id", "body", "is_sensitive"),
        [(nutmeg.pk, walter.pk, source.pk, SECRET, False)],
    )
    assert all("DACA" not in body for body in raw_bodies())
    assert Note.objects.get().body == SECRET


def test_rotating_keys_rewrites_every_note_with_the_newest_key(settings, owner, nutmeg, walter):
    services.add_note(actor=act(owner, nutmeg), person=walter, body=SECRET, is_sensitive=True)
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert encryption.rotate() == {"people.Note": 1}
    assert Fernet(new_key.encode()).decrypt(raw_bodies()[0].encode()).decode() == SECRET
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):  # the old key can now be dropped
        assert Note.objects.get().body == SECRET


def test_a_missing_key_is_named_rather_than_showing_garbage(settings, owner, nutmeg, walter):
    services.add_note(actor=act(owner, nutmeg), person=walter, body=SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="POWERBASE_FIELD_KEYS"):
        Note.objects.get()


def test_the_keys_rotate_command_reports_what_it_rewrote(settings, owner, nutmeg, walter):
    from typer.testing import CliRunner

    from powerbase.cli.main import app

    services.add_note(actor=act(owner, nutmeg), person=walter, body=SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    result = CliRunner().invoke(app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "people.Note: 1 rewritten" in result.output
