"""The audit log: append-only, never keeps sensitive values, browsable by admins."""

import pytest
from django.db import connection
from django.urls import reverse

from powerbase.core import audit
from powerbase.core.models import AuditEntry, Organization


def test_entries_cannot_be_changed_or_deleted_through_the_orm(owner, nutmeg):
    entry = audit.record(owner, "test.happened", nutmeg, organization=nutmeg)
    entry.action = "test.rewritten"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.rewritten")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_rewriting_the_log_even_in_raw_sql(owner, nutmeg):
    from django.db import DatabaseError, transaction

    entry = audit.record(owner, "test.happened", nutmeg, organization=nutmeg)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.pk])


def test_sensitive_values_are_recorded_only_as_changed(owner, nutmeg):
    class PersonLike(Organization):
        SENSITIVE_FIELDS = ("race", "gender")

        class Meta:
            proxy = True
            app_label = "core"

    entry = audit.record(owner, "person.updated", PersonLike.objects.get(pk=nutmeg.pk),
                         changes={"race": ["", "Black or African American"],
                                  "gender": ["", "woman"], "city": ["Hartford", "New Haven"]})
    assert entry.changes == {"race": "changed", "gender": "changed",
                             "city": ["Hartford", "New Haven"]}


def test_a_password_is_never_written_to_the_log(owner, nutmeg):
    entry = audit.record(owner, "user.updated", owner, changes={"password": ["old", "new"]})
    assert entry.changes == {"password": "changed"}


def test_field_changes_lists_only_what_differs():
    assert audit.field_changes({"name": "A", "state": "CT"}, {"name": "B", "state": "CT"}) == {
        "name": ["A", "B"]}


def test_admins_browse_and_filter_the_log(client, owner, admin, nutmeg):
    audit.record(owner, "affiliate.created", nutmeg, organization=nutmeg)
    audit.record(admin, "membership.updated", nutmeg, organization=nutmeg)
    client.force_login(admin)
    url = reverse("core:audit_log", kwargs={"org": nutmeg.slug})
    everything = client.get(url)
    assert b"affiliate.created" in everything.content
    narrowed = client.get(url, {"action": "membership.updated"})
    assert b"membership.updated" in narrowed.content
    assert b"<code>affiliate.created</code>" not in narrowed.content
    by_person = client.get(url, {"actor": "owner@"})
    assert b"<code>membership.updated</code>" not in by_person.content


def test_the_log_shows_sign_ins_of_the_organizations_users_only(client, owner, outsider, nutmeg):
    from powerbase.core import services

    services.record_sign_in(user=owner)
    services.record_sign_in(user=outsider)
    client.force_login(owner)
    page = client.get(reverse("core:audit_log", kwargs={"org": nutmeg.slug}))
    assert owner.email.encode() in page.content
    assert outsider.email.encode() not in page.content


def test_the_audit_page_costs_the_same_queries_for_many_entries(client, owner, nutmeg,
                                                                django_assert_max_num_queries):
    for number in range(60):
        audit.record(owner, f"test.entry{number % 3}", nutmeg, organization=nutmeg)
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:audit_log", kwargs={"org": nutmeg.slug}))
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 60
