"""A lint, run with the suite: no migration takes a long lock on a large table on PostgreSQL.

An upgrade is `powerbase migrate` on a running install (docs/deploy.md, "Migrations on large
tables"). On a table of millions of rows two operations hold a lock that stops every read or
write of the table for as long as the table takes to scan:

- `AddIndex` (CREATE INDEX) blocks writes while it builds; `AddIndexConcurrently` does not.
- `AddField` of a NOT NULL column without `db_default`: Django adds it with a default and then
  drops that default, so the old code, still running until its processes restart, fails to
  insert a row (it does not name the column); and a column without any default cannot be added
  to a table with rows at all. Add it nullable, backfill in batches, then constrain, or give it
  a `db_default` (a constant default is a catalog change on PostgreSQL 11+, no rewrite).

Every migration of the project is read through Django's migration loader (the operations
themselves, not their text). A migration that does one of these on a LARGE table fails the
test, naming the migration, unless it is in BASELINE: the migrations written before this rule,
applied by every install since. `python -m tests.deploy.test_migration_locks` prints what the
lint finds, BASELINE included.
"""

from django.apps import apps
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation
from django.db.models.fields import NOT_PROVIDED

# (app, model) -> why its table grows with the base (or with every action) to millions of rows.
LARGE: dict[tuple[str, str], str] = {
    ("people", "person"): "everyone an organization and its affiliates ever listed",
    ("people", "emailaddress"): "each person's email addresses",
    ("people", "phonenumber"): "each person's phone numbers",
    ("people", "postaladdress"): "each person's postal addresses",
    ("people", "persontag"): "each tag on each person",
    ("people", "note"): "notes on people",
    ("people", "customvalue"): "each custom field's value for each person",
    ("people", "personchange"): "every change to a person",
    ("coalition", "affiliatemembership"): "a person's membership in each affiliate",
    ("core", "membership"): "every user's role in every organization",
    ("core", "auditentry"): "the audit log: a row per write, append-only",
    ("identity", "voterlink"): "a person linked to a voter-file record",
    ("identity", "candidatepair"): "every pair a dedupe or link run scored",
    ("actions", "commitment"): "an RSVP or sign-up to an action",
    ("actions", "commitmentchange"): "every change of an RSVP",
    ("actions", "rsvp"): "every RSVP to every action (with its recruiter's credit)",
    ("actions", "attendance"): "every check-in at every action",
    ("actions", "ladderstanding"): "each person's rung on the ladder",
    ("actions", "laddermove"): "every move up or down the ladder",
    ("field", "door"): "every door of every turf cut from a universe",
    ("field", "attempt"): "every door knock of every canvasser",
    ("messaging", "consent"): "each person's consent to email and texts",
    ("messaging", "recipient"): "a row per person per message sent",
    ("messaging", "inboundmessage"): "every reply received",
    ("imports", "rowfingerprint"): "a fingerprint per imported row, to skip repeats",
    ("imports", "importproblem"): "each bad cell of every import",
    ("money", "payment"): "every dues payment",
    ("money", "memberdues"): "each member's dues",
    ("democracy", "eligibility"): "who may vote in each vote",
    ("democracy", "castballot"): "every ballot cast",
}

# Migrations written before this rule (7 December 2026): every install has applied them.
BASELINE: set[tuple[str, str]] = {
    ("actions", "0002_ladder_canvass_rule_and_move_rule"),
    ("coalition", "0003_affiliatemembership_person_and_more"),
    ("coalition", "0004_membership_members_index"),
    ("core", "0007_audit_hash_chain"),
    ("field", "0004_attempt_by_voter"),
}


def long_lock(app: str, operation: Operation) -> str:
    """Why *operation* locks a large table for long, or "" when it does not."""
    model = getattr(operation, "model_name_lower", "")
    if (app, model) not in LARGE:
        return ""
    if type(operation) is migrations.AddIndex:
        return (
            f"AddIndex {operation.index.name} on {app}.{model} blocks writes while it builds: "
            "use AddIndexConcurrently (django.contrib.postgres.operations) in a migration "
            "with atomic = False"
        )
    if isinstance(operation, migrations.AddField):
        field = operation.field
        if field.null or field.many_to_many or field.db_default is not NOT_PROVIDED:
            return ""
        return (
            f"AddField {model}.{operation.name} is NOT NULL without db_default on {app}.{model}: "
            "add it nullable, backfill in batches (RunPython, atomic = False), then constrain; "
            "or give it a db_default"
        )
    return ""


def findings(loader: MigrationLoader) -> dict[tuple[str, str], list[str]]:
    """Each project migration's long locks on large tables, by (app, migration name)."""
    found: dict[tuple[str, str], list[str]] = {}
    for key, migration in sorted(loader.disk_migrations.items()):
        if not type(migration).__module__.startswith("powerbase."):
            continue  # Django's and other packages' own migrations: not ours to change
        problems = []
        created = set()  # a table created in this migration is empty: nothing to lock long
        for operation in migration.operations:
            if isinstance(operation, migrations.CreateModel):
                created.add(operation.name_lower)
            elif getattr(operation, "model_name_lower", "") not in created:
                problems += [why] if (why := long_lock(key[0], operation)) else []
        if problems:
            found[key] = problems
    return found


def project_findings() -> dict[tuple[str, str], list[str]]:
    return findings(MigrationLoader(None, ignore_no_migrations=True))


def test_no_migration_locks_a_large_table_for_long():
    new = {key: why for key, why in project_findings().items() if key not in BASELINE}
    assert new == {}, "\n".join(
        f"Migration {app}.{name}: {problem}. See docs/deploy.md, 'Migrations on large tables'."
        for (app, name), problems in new.items()
        for problem in problems
    )


def test_the_baseline_holds_only_migrations_that_still_need_it():
    assert set(project_findings()) >= BASELINE, "remove what no longer needs the baseline"


def test_every_large_table_is_a_model_of_the_project():
    for app, model in LARGE:
        assert apps.get_model(app, model)._meta.app_config.name.startswith("powerbase.")


def _loader_with(migration: migrations.Migration) -> MigrationLoader:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    loader.disk_migrations[(migration.app_label, migration.name)] = migration
    return loader


def _new_migration(name: str, *operations: Operation) -> migrations.Migration:
    migration = type(
        "Migration", (migrations.Migration,), {"__module__": f"powerbase.people.migrations.{name}"}
    )(name, "people")
    migration.operations = list(operations)
    return migration


def test_a_new_not_null_column_or_plain_index_on_people_fails_naming_the_migration():
    bad = _new_migration(
        "0099_person_level",
        migrations.AddField("person", "level", models.IntegerField(default=0)),
        migrations.AddIndex("person", models.Index(fields=["level"], name="person_level_idx")),
    )
    found = findings(_loader_with(bad))[("people", "0099_person_level")]
    assert "AddField person.level is NOT NULL without db_default" in found[0]
    assert "AddIndex person_level_idx on people.person blocks writes" in found[1]


def test_the_safe_forms_pass():
    from django.contrib.postgres.operations import AddIndexConcurrently

    safe = _new_migration(
        "0099_person_level_safely",
        migrations.AddField("person", "level", models.IntegerField(null=True)),
        migrations.AddField("person", "rank", models.IntegerField(db_default=0)),
        AddIndexConcurrently("person", models.Index(fields=["level"], name="person_level_idx")),
        migrations.AddField("tag", "colour", models.CharField(max_length=7, default="")),
    )
    assert ("people", "0099_person_level_safely") not in findings(_loader_with(safe))


def test_a_table_created_in_the_same_migration_is_empty_and_passes():
    fields = [("id", models.BigAutoField(primary_key=True))]
    new_table = _new_migration(
        "0099_new_note_table",
        migrations.CreateModel("Note", fields),  # as if it were new: named like a large table
        migrations.AddField("note", "level", models.IntegerField(default=0)),
        migrations.AddIndex("note", models.Index(fields=["level"], name="note_level_idx")),
    )
    assert ("people", "0099_new_note_table") not in findings(_loader_with(new_table))


if __name__ == "__main__":
    import django

    django.setup()
    for (app, name), problems in project_findings().items():
        print(f"{app}.{name}{'  (baseline)' if (app, name) in BASELINE else ''}")
        for problem in problems:
            print(f"  {problem}")
