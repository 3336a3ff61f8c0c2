"""The audit log: append-only, never keeps sensitive values, browsable by admins."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.urls import reverse

from powerbase.core import audit, audit_chain
from powerbase.core.models import AuditEntry, Organization
from tests.conftest import act


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
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.pk])


def test_sensitive_values_are_recorded_only_as_changed(owner, nutmeg):
    class PersonLike(Organization):
        SENSITIVE_FIELDS = ("race", "gender")

        class Meta:
            proxy = True
            app_label = "core"

    entry = audit.record(
        owner,
        "person.updated",
        PersonLike.objects.get(pk=nutmeg.pk),
        changes={
            "race": ["", "Black or African American"],
            "gender": ["", "woman"],
            "city": ["Hartford", "New Haven"],
        },
    )
    assert entry.changes == {
        "race": "changed",
        "gender": "changed",
        "city": ["Hartford", "New Haven"],
    }


def test_a_password_is_never_written_to_the_log(owner, nutmeg):
    entry = audit.record(owner, "user.updated", owner, changes={"password": ["old", "new"]})
    assert entry.changes == {"password": "changed"}


def test_field_changes_lists_only_what_differs():
    assert audit.field_changes({"name": "A", "state": "CT"}, {"name": "B", "state": "CT"}) == {
        "name": ["A", "B"]
    }


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


def test_the_audit_page_costs_the_same_queries_for_many_entries(
    client, owner, nutmeg, django_assert_max_num_queries
):
    for number in range(60):
        audit.record(owner, f"test.entry{number % 3}", nutmeg, organization=nutmeg)
    client.force_login(owner)
    url = reverse("core:audit_log", kwargs={"org": nutmeg.slug})
    # The organization's entries and its users' sign-ins are counted and read apart, each
    # from its index, and a page reads its ids before its entries (core.queries.AuditLog).
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 60
    with django_assert_max_num_queries(14):
        assert client.get(url, {"page": 2}).status_code == 200


@pytest.mark.parametrize("merged_by", ["python", "database"])
def test_a_page_of_the_log_merges_sign_ins_and_the_organizations_entries_newest_first(
    client, owner, admin, outsider, nutmeg, harbor, monkeypatch, merged_by
):
    from powerbase.core import queries, services

    if merged_by == "database":  # as for a page deep in a long log
        monkeypatch.setattr(queries.AuditLog, "MERGED_HERE_UP_TO", 10)

    for number in range(40):
        audit.record(owner, f"test.entry{number}", nutmeg, organization=nutmeg)
        services.record_sign_in(user=owner if number % 2 else admin)
        services.record_sign_in(user=outsider)  # not a user of Nutmeg: not in its log
        audit.record(outsider, "test.elsewhere", harbor, organization=harbor)
    shown = Q(organization=nutmeg) | Q(
        organization__isnull=True, action__startswith="login", actor__in=[owner, admin]
    )
    expected = list(
        AuditEntry.objects.filter(shown).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    log = queries.audit_entries(act(owner, nutmeg))
    assert log.count() == len(expected) >= 80
    assert [entry.pk for entry in log[0:50]] + [entry.pk for entry in log[50:100]] == expected
    client.force_login(owner)
    second = client.get(reverse("core:audit_log", kwargs={"org": nutmeg.slug}), {"page": 2})
    assert [entry.pk for entry in second.context["page"]] == expected[50:100]


def test_the_action_menu_lists_each_action_of_the_log_once(owner, outsider, nutmeg, harbor):
    from powerbase.core import queries, services

    for number in range(4):
        audit.record(owner, f"test.entry{number % 2}", nutmeg, organization=nutmeg)
        services.record_sign_in(user=owner)
    services.record_failed_sign_in(username=outsider.email, locked_out=False)
    audit.record(outsider, "test.elsewhere", harbor, organization=harbor)
    actions = queries.audit_actions(act(owner, nutmeg))
    assert [a for a in actions if a.startswith(("test.", "login."))] == [
        "login.succeeded",
        "test.entry0",
        "test.entry1",
    ]


def test_the_database_refuses_rewriting_the_log_in_raw_sql_on_every_backend(owner, nutmeg):
    entry = audit.record(act(owner, nutmeg), "test.raw")
    for statement in (
        "UPDATE core_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.raw"


def _rewrite_behind_the_triggers(statement: str, params: list) -> None:
    """Do what someone with the database file could: drop the guard, change history."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for drop in audit_chain.SQLITE_DROP_TRIGGERS:
                cursor.execute(drop)
            cursor.execute(statement, params)
            for create in audit_chain.SQLITE_TRIGGERS:
                cursor.execute(create)
        else:  # a superuser can switch triggers off for the session
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(statement, params)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_verify_passes_an_untouched_log_and_names_the_first_changed_entry(owner, nutmeg, harbor):
    actor = act(owner, nutmeg)
    entries = [audit.record(actor, "test.chain", changes={"n": [None, n]}) for n in range(5)]
    audit.record(None, "test.other_chain", organization=harbor)
    checked, breaks = audit_chain.verify()
    assert checked == AuditEntry.objects.count() and breaks == []

    _rewrite_behind_the_triggers(
        "UPDATE core_auditentry SET actor_label = %s WHERE id = %s",
        ["someone-else@example.org", entries[2].pk],
    )
    _, breaks = audit_chain.verify()
    assert [b.entry_id for b in breaks] == [entries[2].pk]
    assert f"Audit entry #{entries[2].pk}" in str(breaks[0])


def test_verify_notices_an_entry_removed_from_the_middle(owner, nutmeg):
    actor = act(owner, nutmeg)
    entries = [audit.record(actor, "test.chain") for _ in range(4)]
    _rewrite_behind_the_triggers("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])
    _, breaks = audit_chain.verify()
    assert [b.entry_id for b in breaks] == [entries[2].pk]


def test_the_audit_verify_command_exits_non_zero_on_a_broken_chain(owner, nutmeg):
    from typer.testing import CliRunner

    from powerbase.cli.main import app

    entry = audit.record(act(owner, nutmeg), "test.chain")
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
    assert f"nutmeg: {audit_chain.last_hash(nutmeg.pk)}" in result.output
    _rewrite_behind_the_triggers(
        "UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.pk]
    )
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"#{entry.pk}" in result.output
