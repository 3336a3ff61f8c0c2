"""The kinds of background job: which handler runs each, and the label people see.

Its own module, importing nothing, so that `core.models` (a job's label) and `core.jobs` (which
runs them) both read it without importing each other.
"""

# kind -> (handler as "module:function", label shown to people)
KINDS: dict[str, tuple[str, str]] = {
    "demo.load": ("powerbase.demo.load:load_demo", "Load the demo organizations"),
    "core.selftest": ("powerbase.core.jobs:selftest", "Check that background jobs run"),
    "imports.check": ("powerbase.imports.services:check_batch", "Check an uploaded list"),
    "imports.commit": ("powerbase.imports.services:commit_batch", "Import a list"),
    "voterfile.import": ("powerbase.voterfile.services:run_import", "Import the voter file"),
    "actions.recompute_ladder": (
        "powerbase.actions.ladder:recompute_job",
        "Place everyone on the leadership ladder",
    ),
    "identity.dedupe": ("powerbase.identity.runs:run_dedupe", "Find duplicates in the base"),
    "identity.link": ("powerbase.identity.runs:run_link", "Link people to the voter file"),
    "democracy.send_voting_links": (
        "powerbase.democracy.services:deliver_voting_links",
        "Email voting links",
    ),
    "field.cut_turfs": ("powerbase.field.services:cut_job", "Cut a universe into turfs"),
    "messaging.send": ("powerbase.messaging.sending:send_job", "Send a message"),
    "people.export": ("powerbase.people.exports:export_job", "Export people"),
    "coalition.who_looked_export": (
        "powerbase.coalition.exports:who_looked_job",
        "Export who looked at an affiliate's members",
    ),
    "money.import": ("powerbase.money.services:import_job", "Import donations or ledger income"),
    "imports.problems_export": (
        "powerbase.imports.problem_reports:problems_job",
        "Export an import's problems",
    ),
}

# The kinds that write a file for the person who started them to download (core.exports).
EXPORT_KINDS = frozenset(
    {"people.export", "coalition.who_looked_export", "imports.problems_export"}
)


def label_for(kind: str) -> str:
    return KINDS.get(kind, ("", kind))[1]
