"""The democracy objects the permission test's URLs point at.

Who may open each democracy page is written in tests/permission_table.txt.
"""

from powerbase.democracy import codes
from powerbase.democracy.models import (
    Amendment,
    Assembly,
    BallotCandidate,
    CastBallot,
    Delegate,
    Electorate,
    Eligibility,
    GoverningBody,
    Proposal,
    Result,
    Seat,
    Vote,
    VotingCode,
)
from powerbase.democracy.tabulation import Ballot, Rules, tabulate

CODE = "K7QD-3MXP-9T2A"


def world(*, nutmeg, tenant_union, maria, **_) -> dict:
    """A published vote with María (a tenant-union member) on its roll and a code of hers, an
    assembly, a proposal in deliberation with an amendment, a delegate and a seat.

    Made straight in the tables: every URL test of every app builds this world, so it must
    cost a handful of inserts, not the services' full checks (tested in this folder).
    """
    org = {"organization": nutmeg}
    members = Electorate.objects.create(**org, name="All members", kind=Electorate.Kind.MEMBERS)
    vote = Vote.objects.create(
        **org,
        title="Name the campaign",
        method="irv",
        electorate=members,
        status=Vote.Status.PUBLISHED,
    )
    names = ["Homes for All", "Fair Share"]
    candidates = BallotCandidate.objects.bulk_create(
        [BallotCandidate(**org, vote=vote, name=name, order=n) for n, name in enumerate(names, 1)]
    )
    right = Eligibility.objects.create(
        **org,
        vote=vote,
        person=maria,
        holder=maria,
        affiliate=tenant_union,
        basis=Eligibility.Basis.MEMBER,
    )
    VotingCode.objects.create(
        **org,
        vote=vote,
        eligibility=right,
        digest=codes.digest(CODE),
        channel=VotingCode.Channel.PRINTED,
    )
    CastBallot.objects.create(
        **org, vote=vote, sort_key=1, marks=[["Fair Share"]], receipt="H3K9W2QXRM", channel="online"
    )
    record = tabulate("irv", [Ballot(["Fair Share"])], Rules(candidates=names)).to_dict()
    Result.objects.create(
        **org,
        vote=vote,
        record=record,
        winners=record["winners"],
        ballots_csv="receipt,rank1,weight\nH3K9W2QXRM,Fair Share,1\n",
        ballots_sha256="0" * 64,
        tally_command="powerbase tally ...",
        published_at=vote.created_at,
    )
    body = GoverningBody.objects.create(**org, name="Steering committee")
    seat = Seat.objects.create(**org, body=body, title="At-large 1", holder=maria)
    delegate = Delegate.objects.create(**org, affiliate=tenant_union, person=maria)
    assembly = Assembly.objects.create(
        **org,
        title="Spring assembly",
        electorate=members,
        starts_at=vote.created_at,
        quorum_count=1,
    )
    proposal = Proposal.objects.create(
        **org, title="Platform", text="Homes for all.", status=Proposal.Status.DELIBERATION
    )
    amendment = Amendment.objects.create(
        **org,
        proposal=proposal,
        summary="Add schools",
        text="Homes and schools for all.",
        moved_by_label="organizer",
    )
    return {
        "vote_id": vote.pk,
        "public_id": vote.public_id,
        "code": CODE,
        "candidate_id": candidates[0].pk,
        "eligibility_id": right.pk,
        "electorate_id": members.pk,
        "body_id": body.pk,
        "seat_id": seat.pk,
        "delegate_id": delegate.pk,
        "assembly_id": assembly.pk,
        "proposal_id": proposal.pk,
        "amendment_id": amendment.pk,
    }
