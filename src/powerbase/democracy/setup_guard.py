"""The database marks an opened vote whose setup or roll changed: `Vote.setup_touched`.

The setup fingerprint (`fingerprints`) is checked in full before counting. The vote's page
shows whether it still holds too, and checking it in full reads the whole voter roll (45,000
rows for a vote of every member of the demo) on every view. Instead the database itself sets
`setup_touched` on an opened vote when anything the fingerprint covers changes: the vote's
setup columns (or its stored fingerprint, or its status back to draft), a candidate, or a row
of the roll. Triggers do it, so a change made behind the services (a SQL prompt, a script) is
marked as surely as one through them; the flag is never cleared by an UPDATE. The page reads
the roll only for a vote marked touched, and the count checks in full whatever the flag says.

The triggers fire only for a vote that is not a draft in the database: a draft's setup changes
freely, and opening writes the roll while the vote row still says draft.

A later migration that rebuilds one of these tables on SQLite (most AlterField operations do)
drops its triggers: re-create them with `SQLITE_TRIGGERS` in the same migration.
`tests/democracy/test_setup_guard.py` fails if they are gone.
"""

# What the fingerprint covers on the vote row (fingerprints.setup), and the fingerprint itself.
VOTE_COLUMNS = (
    "title",
    "question",
    "method",
    "seats",
    "options",
    "electorate_id",
    "assembly_id",
    "setup_fingerprint",
)
# Tables of rows the fingerprint covers, each with a vote_id column.
ROW_TABLES = ("democracy_ballotcandidate", "democracy_eligibility")


def _vote_changed(new: str, old: str, distinct: str) -> str:
    return " OR ".join(
        [f"{new}.{c} {distinct} {old}.{c}" for c in VOTE_COLUMNS] + [f"{new}.status = 'draft'"]
    )


_PG_CHANGED = _vote_changed("NEW", "OLD", "IS DISTINCT FROM")
_SQLITE_CHANGED = _vote_changed("NEW", "OLD", "IS NOT")

PG_CREATE = [
    f"""
CREATE OR REPLACE FUNCTION powerbase_vote_setup_touched() RETURNS trigger AS $$
BEGIN
  IF OLD.setup_touched OR (OLD.status <> 'draft' AND ({_PG_CHANGED})) THEN
    NEW.setup_touched := true;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER democracy_vote_setup_touched BEFORE UPDATE ON democracy_vote
  FOR EACH ROW EXECUTE FUNCTION powerbase_vote_setup_touched()
""",
    """
CREATE OR REPLACE FUNCTION powerbase_vote_rows_touched() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE democracy_vote SET setup_touched = true
     WHERE status <> 'draft' AND NOT setup_touched AND id IN (SELECT vote_id FROM new_rows);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE democracy_vote SET setup_touched = true
     WHERE status <> 'draft' AND NOT setup_touched AND id IN (SELECT vote_id FROM old_rows);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
]
# One statement-level trigger per table and event (PostgreSQL allows transition tables only
# on a single event): opening a vote inserts its roll 2,000 rows a statement.
for _table in ROW_TABLES:
    PG_CREATE += [
        f"""
CREATE TRIGGER {_table}_insert_touches AFTER INSERT ON {_table}
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION powerbase_vote_rows_touched()
""",
        f"""
CREATE TRIGGER {_table}_update_touches AFTER UPDATE ON {_table}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION powerbase_vote_rows_touched()
""",
        f"""
CREATE TRIGGER {_table}_delete_touches AFTER DELETE ON {_table}
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION powerbase_vote_rows_touched()
""",
    ]

PG_DROP = [
    f"DROP TRIGGER IF EXISTS {_table}_{event}_touches ON {_table}"
    for _table in ROW_TABLES
    for event in ("insert", "update", "delete")
] + [
    "DROP TRIGGER IF EXISTS democracy_vote_setup_touched ON democracy_vote",
    "DROP FUNCTION IF EXISTS powerbase_vote_rows_touched()",
    "DROP FUNCTION IF EXISTS powerbase_vote_setup_touched()",
]

# SQLite has no BEFORE trigger that rewrites the row: an AFTER trigger sets the flag again
# (it does not fire itself; SQLite's recursive triggers are off).
SQLITE_TRIGGERS = [
    f"""
CREATE TRIGGER democracy_vote_setup_touched AFTER UPDATE ON democracy_vote
WHEN NOT NEW.setup_touched
 AND (OLD.setup_touched OR (OLD.status <> 'draft' AND ({_SQLITE_CHANGED})))
BEGIN
  UPDATE democracy_vote SET setup_touched = 1 WHERE id = NEW.id;
END
"""  # noqa: S608 - only our own column names
]
for _table in ROW_TABLES:
    SQLITE_TRIGGERS += [
        f"""
CREATE TRIGGER {_table}_insert_touches AFTER INSERT ON {_table}
BEGIN
  UPDATE democracy_vote SET setup_touched = 1
   WHERE id = NEW.vote_id AND status <> 'draft' AND NOT setup_touched;
END
""",  # noqa: S608 - only our own table names
        f"""
CREATE TRIGGER {_table}_update_touches AFTER UPDATE ON {_table}
BEGIN
  UPDATE democracy_vote SET setup_touched = 1
   WHERE id IN (OLD.vote_id, NEW.vote_id) AND status <> 'draft' AND NOT setup_touched;
END
""",  # noqa: S608 - only our own table names
        f"""
CREATE TRIGGER {_table}_delete_touches AFTER DELETE ON {_table}
BEGIN
  UPDATE democracy_vote SET setup_touched = 1
   WHERE id = OLD.vote_id AND status <> 'draft' AND NOT setup_touched;
END
""",  # noqa: S608 - only our own table names
    ]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {_table}_{event}_touches"
    for _table in ROW_TABLES
    for event in ("insert", "update", "delete")
] + ["DROP TRIGGER IF EXISTS democracy_vote_setup_touched"]


def create(schema_editor) -> None:
    """Create the triggers on *schema_editor*'s database (PostgreSQL or SQLite)."""
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_CREATE, "sqlite": SQLITE_TRIGGERS}.get(vendor, []):
        schema_editor.execute(statement, params=None)


def drop(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement, params=None)
