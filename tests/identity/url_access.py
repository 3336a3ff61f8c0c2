"""The identity objects the permission test's URLs point at.

Who may open each identity page is written in tests/permission_table.txt.
"""

from powerbase.identity import services
from powerbase.identity.models import CandidatePair, IdentityRun, VoterLink
from tests.conftest import add_member


def world(*, nutmeg, tenant_union, maria, **_) -> dict:
    """A run with a pair waiting, a merge to undo, and María linked to a voter."""
    again = add_member(nutmeg, tenant_union, "Maria", "Gonzalez")
    bill = add_member(nutmeg, tenant_union, "Bill", "Ochoa")
    william = add_member(nutmeg, tenant_union, "William", "Ochoa")
    run = IdentityRun.objects.create(
        organization=nutmeg,
        kind=IdentityRun.Kind.DEDUPE,
        auto_accept_threshold=0.95,
        review_threshold=0.5,
    )
    pair = CandidatePair.objects.create(
        organization=nutmeg,
        run=run,
        left=bill,
        right=william,
        probability=0.8,
        band=CandidatePair.Band.REVIEW,
    )
    merge = services.merge(
        by=None, organization=nutmeg, survivor=maria, merged=again, method="manual"
    )
    VoterLink.objects.create(organization=nutmeg, person=maria, voter_id="CT000001")
    return {"kind": "dedupe", "run_id": run.pk, "pair_id": pair.pk, "merge_id": merge.pk}
