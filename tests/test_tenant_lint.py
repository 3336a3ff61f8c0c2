"""A lint, run with the suite: views, services and queries reach tenant rows through
`core.access`, not through a model's manager.

`access.scoped(actor, Model.objects...)` and `access.get(actor, Model.objects..., pk=...)`
filter to the actor's organization (and an affiliate lead's affiliates); a bare
`Person.objects.filter(...)` in a view or query filters to nothing unless its author
remembered to. This test reads the source of every views.py, *_views.py, services.py and
queries.py and finds each `<TenantModel>.objects` that is not inside an access helper's
arguments. Creating a row (`.objects.create(...)`, `.bulk_create`) is not a read and is
allowed: services set its organization from the actor after `access.require`.

When this was written the code held many such uses (BASELINE, counted per module and model):
most are writes or reads keyed by a row the caller already got through access. A NEW one
fails the test. Either go through `access.scoped`/`access.get`, or, when the use is justified
(a public page, a lookup by a secret token), add it to JUSTIFIED with the reason. When you
remove a use, lower its count: `python -m tests.test_tenant_lint` prints the current table.
"""

import ast
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps

SRC = Path(__file__).resolve().parent.parent / "src" / "powerbase"
ACCESS_HELPERS = {"scoped", "get"}  # access.scoped(...), access.get(...)
WRITES = {"create", "bulk_create"}

# (module, model) -> why a bare manager is right there. Counts are not limited.
JUSTIFIED: dict[tuple[str, str], str] = {
    (
        "strategy/queries.py",
        "Task",
    ): "A user's own tasks on their home page: filtered to the organization the actor acts in "
    "and to tasks whose owner is the signed-in user, whatever the role (an affiliate lead or a "
    "viewer given a task sees it, and nobody else's).",
    (
        "school/services.py",
        "Attendance",
    ): "A participant's attendance at their own cohort's sessions, counted for the graduation "
    "rule: the participants are already read through access, and a check-in credited to another "
    "affiliate still counts toward their attendance.",
    (
        "core/queries.py",
        "Job",
    ): "demo_loading() finds the demo's own load, a platform job of no organization, for the "
    "sign-in page's notice of how far it got (a percentage, nothing of any organization).",
    (
        "actions/public_views.py",
        "Action",
    ): "A public sign-up page has no actor: it shows only actions marked public, found by "
    "the organization's slug and the action's id in the address.",
    (
        "voterfile/queries.py",
        "VoterFileVersion",
    ): "version_in_use(organization) finds the voter file behind counts shown without names "
    "(a district's base on the legislature pages and the structure-test report), for "
    "the organization the caller already acts in.",
    (
        "api/services.py",
        "ApiKey",
    ): "A request's API key is found by its secret, before there is any actor to scope by; "
    "its last use is then noted on that one key.",
    (
        "democracy/voter_views.py",
        "Participation",
    ): "A voter has no account: whether the right behind a valid code was used is asked of "
    "that one eligibility, which the secret code found.",
    (
        "messaging/services.py",
        "Recipient",
    ): "Delivery reports, replies and unsubscribe links come from a provider or a signed token "
    "with no actor: the provider's message id or the token finds the one recipient row.",
    (
        "messaging/services.py",
        "InboundMessage",
    ): "A reply arrives by a signed webhook with no actor, for the organization its address names.",
    ("messaging/services.py", "EmailAddress"): "A reply or bounce names an address, not a "
    "person: its owner is looked up in the organization the signed webhook is for.",
    ("messaging/services.py", "PhoneNumber"): "A text reply names a number, not a person: its "
    "owner is looked up in the organization the signed webhook is for.",
    ("messaging/services.py", "Person"): "The owner of a replying address, by the id the "
    "organization's own address row gave.",
    ("messaging/services.py", "Consent"): "Consent is written for a person the caller already "
    "holds (checked by access.require_same_organization), locked for the change.",
    ("messaging/services.py", "AffiliateTerms"): "An affiliate's terms are written for an "
    "affiliate the actor was checked against, locked for the change.",
    ("messaging/queries.py", "SendingLimit"): "One row per organization, the actor's own.",
    ("messaging/queries.py", "AffiliateTerms"): "The terms of affiliates the caller already "
    "scoped; they hold no person's data.",
}

# The uses found when the lint was introduced (December 2026), per (module, model): at most
# this many. 217 uses in 129 (module, model) pairs, counted after the branches that were
# written alongside the lint were merged.
BASELINE: dict[tuple[str, str], int] = {
    ("actions/queries.py", "Affiliate"): 2,
    ("actions/queries.py", "AffiliateMembership"): 1,
    ("actions/queries.py", "Attendance"): 1,
    ("actions/queries.py", "CommitmentChange"): 1,
    ("actions/queries.py", "Person"): 3,
    ("actions/queries.py", "PhoneNumber"): 2,
    ("actions/queries.py", "Rsvp"): 1,
    ("actions/services.py", "Action"): 1,
    ("actions/services.py", "Affiliate"): 1,
    ("actions/services.py", "AffiliateMembership"): 1,
    # +1: record_attendances_in_bulk reads who is already in, at an action access.require checked.
    ("actions/services.py", "Attendance"): 3,
    # The after-the-fact bulk writes (record_*_in_bulk, record_commitment_history) and the
    # text-reply RSVP change read rows of an action or person access.require already checked.
    ("actions/services.py", "Commitment"): 2,
    ("actions/services.py", "Person"): 2,
    ("actions/services.py", "Rsvp"): 4,
    ("coalition/queries.py", "AffiliateMembership"): 1,
    ("coalition/queries.py", "AuditEntry"): 1,
    ("coalition/services.py", "Affiliate"): 2,
    ("core/queries.py", "AuditEntry"): 1,
    ("core/queries.py", "Membership"): 3,
    ("core/services.py", "Membership"): 3,
    ("core/views.py", "Membership"): 2,
    ("democracy/queries.py", "Affiliate"): 1,
    ("democracy/queries.py", "CastBallot"): 1,
    ("democracy/queries.py", "Person"): 1,
    ("democracy/queries.py", "Seat"): 1,
    ("democracy/queries.py", "Vote"): 1,
    ("democracy/services.py", "AssemblyAttendance"): 1,
    ("democracy/services.py", "BlocWeight"): 1,
    ("democracy/services.py", "CastBallot"): 1,
    ("democracy/services.py", "Delegate"): 2,
    ("democracy/services.py", "EmailAddress"): 1,
    ("democracy/services.py", "Endorsement"): 2,
    ("democracy/services.py", "GoverningBody"): 1,
    ("democracy/services.py", "PaperEntry"): 1,
    ("democracy/services.py", "Participation"): 1,
    ("democracy/services.py", "Proxy"): 4,
    ("democracy/services.py", "Vote"): 10,
    ("democracy/services.py", "VotingCode"): 2,
    ("democracy/views.py", "Affiliate"): 1,
    ("electoral/queries.py", "Candidate"): 2,
    ("electoral/queries.py", "Demand"): 2,
    ("electoral/queries.py", "District"): 1,
    ("electoral/queries.py", "Pledge"): 1,
    ("electoral/queries.py", "ResultLine"): 5,
    ("electoral/services.py", "Candidate"): 1,
    ("electoral/services.py", "Election"): 1,
    ("electoral/services.py", "EndorsementProcess"): 5,
    ("electoral/services.py", "Official"): 1,
    ("electoral/services.py", "PipelineEntry"): 2,
    ("electoral/services.py", "Pledge"): 1,
    ("electoral/services.py", "Response"): 2,
    ("field/queries.py", "Attempt"): 3,
    ("field/queries.py", "Door"): 2,
    ("field/queries.py", "Membership"): 1,
    ("field/services.py", "Attempt"): 3,
    ("field/services.py", "CanvassLink"): 1,
    ("field/services.py", "Membership"): 1,
    ("field/services.py", "Universe"): 3,
    ("field/services.py", "VoterFileVersion"): 1,
    ("identity/queries.py", "Person"): 1,
    ("identity/services.py", "CandidatePair"): 2,
    ("identity/services.py", "Job"): 1,
    ("identity/services.py", "Merge"): 1,
    ("identity/services.py", "Person"): 1,
    ("identity/services.py", "VoterFileVersion"): 2,
    ("identity/services.py", "VoterLink"): 3,
    ("imports/services.py", "CustomField"): 1,
    ("imports/services.py", "ImportBatch"): 7,
    ("imports/services.py", "ImportProblem"): 2,
    ("imports/services.py", "Job"): 1,
    ("imports/services.py", "Person"): 4,
    ("imports/services.py", "PersonChange"): 2,
    ("imports/services.py", "RowFingerprint"): 1,
    ("imports/services.py", "SavedMapping"): 1,
    ("legislature/queries.py", "Bill"): 1,
    ("legislature/queries.py", "BlocMembership"): 2,
    ("legislature/queries.py", "Campaign"): 1,
    ("legislature/queries.py", "Demand"): 2,
    ("legislature/queries.py", "InsideEvent"): 1,
    ("legislature/queries.py", "Official"): 4,
    ("legislature/queries.py", "OfficialVote"): 3,
    ("legislature/queries.py", "Plank"): 1,
    ("legislature/queries.py", "Platform"): 1,
    ("legislature/queries.py", "Pledge"): 1,
    ("legislature/queries.py", "RollCall"): 1,
    ("legislature/queries.py", "Scorecard"): 2,
    ("legislature/queries.py", "ScorecardVote"): 1,
    ("legislature/queries.py", "WhipBoard"): 1,
    ("legislature/queries.py", "WhipStance"): 1,
    ("legislature/services.py", "ActionTarget"): 1,
    ("legislature/services.py", "Bill"): 3,
    ("legislature/services.py", "District"): 1,
    ("legislature/services.py", "Official"): 5,
    ("legislature/services.py", "RollCall"): 2,
    ("legislature/services.py", "ScorecardVote"): 1,
    ("legislature/views.py", "Action"): 1,
    ("people/queries.py", "AffiliateMembership"): 2,
    ("people/queries.py", "EmailAddress"): 1,
    ("people/queries.py", "PersonTag"): 1,
    ("people/queries.py", "PhoneNumber"): 1,
    ("people/services.py", "Affiliate"): 1,
    # create_people_in_bulk writes people and memberships it has just made.
    ("people/services.py", "AffiliateMembership"): 2,
    ("people/services.py", "CustomField"): 1,
    ("people/services.py", "CustomValue"): 1,
    ("people/services.py", "EmailAddress"): 2,
    ("people/services.py", "Person"): 4,
    ("people/services.py", "PersonTag"): 2,
    ("people/services.py", "PhoneNumber"): 1,
    ("people/services.py", "Tag"): 1,
    ("power/queries.py", "Action"): 1,
    ("power/queries.py", "AffiliateMembership"): 1,
    ("power/queries.py", "ImportBatch"): 1,
    ("power/queries.py", "Membership"): 1,
    ("power/queries.py", "VoterFileVersion"): 1,
    ("power/services.py", "CensusCount"): 1,
    ("power/services.py", "DistrictShape"): 1,
    ("voterfile/queries.py", "District"): 1,
    ("voterfile/services.py", "Job"): 1,
    ("voterfile/services.py", "VoterFileVersion"): 4,
}


def tenant_models() -> set[str]:
    """Class names of the models that belong to one organization."""
    return {
        model.__name__
        for model in apps.get_models()
        if any(field.name == "organization" for field in model._meta.get_fields())
    }


def checked_modules() -> list[Path]:
    names = ("views.py", "services.py", "queries.py")
    return sorted(
        path for path in SRC.glob("*/*.py") if path.name in names or path.name.endswith("_views.py")
    )


def _is_access_helper(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ACCESS_HELPERS
        and isinstance(func.value, ast.Name)
        and func.value.id == "access"
    )


def bare_uses(path: Path, models: set[str]) -> Counter:
    """Count `<Model>.objects` in *path* outside access helpers and creates, per model."""
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    found: Counter = Counter()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in models
        ):
            continue
        outer = parents.get(node)
        if isinstance(outer, ast.Attribute) and outer.attr in WRITES:
            continue
        ancestor = outer
        while ancestor is not None and not _is_access_helper(ancestor):
            ancestor = parents.get(ancestor)
        if ancestor is None:
            found[node.value.id] += 1
    return found


def current_uses() -> dict[tuple[str, str], int]:
    models = tenant_models()
    uses = {}
    for path in checked_modules():
        module = str(path.relative_to(SRC))
        for model, count in bare_uses(path, models).items():
            if (module, model) not in JUSTIFIED:
                uses[(module, model)] = count
    return uses


def test_no_new_view_service_or_query_reads_tenant_rows_around_core_access():
    grown = {key: count for key, count in current_uses().items() if count > BASELINE.get(key, 0)}
    assert not grown, "\n".join(
        f"{module} uses {model}.objects {count} time(s) outside access.scoped/access.get "
        f"(allowed: {BASELINE.get((module, model), 0)}). Read it through core.access, or "
        "add it to JUSTIFIED in tests/test_tenant_lint.py with the reason."
        for (module, model), count in sorted(grown.items())
    )


def test_the_lint_sees_a_bare_read_and_lets_scoped_reads_and_creates_pass(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def page(actor):\n"
        "    leak = Person.objects.filter(given_name='Ana')\n"
        "    fine = access.scoped(actor, Person.objects.filter(given_name='Ana'))\n"
        "    one = access.get(actor, Person.objects.select_related('source'), pk=1)\n"
        "    Note.objects.create(person=one, body='x')\n"
    )
    assert bare_uses(sample, {"Person", "Note"}) == Counter({"Person": 1})


@pytest.mark.parametrize("key", sorted(JUSTIFIED))
def test_every_justified_exception_still_exists(key):
    module, model = key
    assert bare_uses(SRC / module, tenant_models())[model], (
        f"{module} no longer uses {model}.objects: remove it from JUSTIFIED."
    )


if __name__ == "__main__":  # print the table to paste into BASELINE
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    django.setup()
    uses = current_uses()
    print(f"# {sum(uses.values())} uses in {len(uses)} (module, model) pairs")
    for (module, model), count in sorted(uses.items()):
        print(f"    ({module!r}, {model!r}): {count},")
