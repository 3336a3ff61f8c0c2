"""Who may open each democracy page. Voters' pages are public (reached by a code); an
affiliate lead sees votes their affiliate takes part in, but no assembly, proposal or
electorate (those have no affiliate path, so they stay closed to leads)."""

from powerbase.core.models import Role
from powerbase.democracy import codes
from powerbase.democracy.models import (
    Amendment,
    Assembly,
    Candidate,
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
from tests.url_access import Row, roles_with

CODE = "K7QD-3MXP-9T2A"

VIEW = roles_with("democracy.view")
MANAGE = roles_with("democracy.manage")
LEAD = frozenset({Role.AFFILIATE_LEAD})

URL_ACCESS = {
    "democracy:ballot_entry": Row("public"),
    "democracy:ballot": Row("public"),
    "democracy:published": Row("public"),
    "democracy:published_ballots": Row("public"),
    "democracy:overview": Row(VIEW),
    "democracy:electorates": Row(VIEW),
    "democracy:electorate": Row(VIEW - LEAD, out_of_scope=LEAD),
    "democracy:electorate_new": Row(MANAGE),
    "democracy:electorate_weights": Row(MANAGE, method="post"),
    "democracy:delegates": Row(VIEW),
    "democracy:delegate_new": Row(MANAGE),
    "democracy:delegate_remove": Row(MANAGE, method="post"),
    "democracy:bodies": Row(VIEW),
    "democracy:body_new": Row(MANAGE, method="post"),
    "democracy:seat_new": Row(MANAGE),
    "democracy:seat_holder": Row(MANAGE),
    "democracy:vote_new": Row(MANAGE),
    "democracy:endorsement_new": Row(MANAGE),
    # The world's vote has María, a tenant-union member, on its roll: the lead sees it.
    "democracy:vote": Row(VIEW),
    "democracy:vote_ballots_csv": Row(VIEW),
    "democracy:vote_edit": Row(MANAGE),
    "democracy:candidate_add": Row(MANAGE, method="post"),
    "democracy:candidate_remove": Row(MANAGE, method="post"),
    "democracy:proxy_add": Row(MANAGE, method="post"),
    "democracy:vote_step": Row(MANAGE, method="post"),
    "democracy:vote_links": Row(MANAGE, method="post"),
    "democracy:vote_codes": Row(MANAGE, method="post"),
    "democracy:vote_roll": Row(MANAGE),
    "democracy:vote_paper_handout": Row(MANAGE, method="post"),
    "democracy:vote_paper": Row(MANAGE),
    "democracy:assembly_new": Row(MANAGE),
    "democracy:assembly": Row(VIEW - LEAD, out_of_scope=LEAD),
    "democracy:assembly_attendance": Row(MANAGE, method="post"),
    "democracy:assembly_agenda": Row(MANAGE, method="post"),
    "democracy:assembly_status": Row(MANAGE, method="post"),
    "democracy:assembly_decision": Row(MANAGE, method="post"),
    "democracy:assembly_minutes": Row(MANAGE),
    "democracy:proposal_new": Row(MANAGE),
    "democracy:proposal": Row(VIEW - LEAD, out_of_scope=LEAD),
    "democracy:proposal_comment": Row(VIEW - LEAD, method="post", out_of_scope=LEAD),
    "democracy:proposal_amend": Row(VIEW - LEAD, method="post", out_of_scope=LEAD),
    "democracy:amendment_decide": Row(MANAGE, method="post"),
    "democracy:proposal_status": Row(MANAGE, method="post"),
    "democracy:proposal_vote": Row(MANAGE, method="post"),
}


def world(*, nutmeg, tenant_union, maria, **_) -> dict:
    """A published vote with María (a tenant-union member) on its roll and a code of hers, an
    assembly, a proposal in deliberation with an amendment, a delegate and a seat.

    Made straight in the tables: every URL test of every app builds this world, so it must
    cost a handful of inserts, not the services' full checks (tested in this folder).
    """
    org = {"organization": nutmeg}
    members = Electorate.objects.create(**org, name="All members", kind=Electorate.Kind.MEMBERS)
    vote = Vote.objects.create(**org, title="Name the campaign", method="irv",
                               electorate=members, status=Vote.Status.PUBLISHED)
    names = ["Homes for All", "Fair Share"]
    candidates = Candidate.objects.bulk_create(
        [Candidate(**org, vote=vote, name=name, order=n) for n, name in enumerate(names, 1)])
    right = Eligibility.objects.create(**org, vote=vote, person=maria, holder=maria,
                                       affiliate=tenant_union, basis=Eligibility.Basis.MEMBER)
    VotingCode.objects.create(**org, vote=vote, eligibility=right, digest=codes.digest(CODE),
                              channel=VotingCode.Channel.PRINTED)
    CastBallot.objects.create(**org, vote=vote, sort_key=1, marks=[["Fair Share"]],
                              receipt="H3K9W2QXRM", channel="online")
    record = tabulate("irv", [Ballot(["Fair Share"])], Rules(candidates=names)).to_dict()
    Result.objects.create(**org, vote=vote, record=record, winners=record["winners"],
                          ballots_csv="receipt,rank1,weight\nH3K9W2QXRM,Fair Share,1\n",
                          ballots_sha256="0" * 64, tally_command="powerbase tally ...",
                          published_at=vote.created_at)
    body = GoverningBody.objects.create(**org, name="Steering committee")
    seat = Seat.objects.create(**org, body=body, title="At-large 1", holder=maria)
    delegate = Delegate.objects.create(**org, affiliate=tenant_union, person=maria)
    assembly = Assembly.objects.create(**org, title="Spring assembly", electorate=members,
                                       starts_at=vote.created_at, quorum_count=1)
    proposal = Proposal.objects.create(**org, title="Platform", text="Homes for all.",
                                       status=Proposal.Status.DELIBERATION)
    amendment = Amendment.objects.create(**org, proposal=proposal, summary="Add schools",
                                         text="Homes and schools for all.",
                                         moved_by_label="organizer")
    return {"vote_id": vote.pk, "public_id": vote.public_id, "code": CODE,
            "candidate_id": candidates[0].pk, "eligibility_id": right.pk,
            "electorate_id": members.pk, "body_id": body.pk, "seat_id": seat.pk,
            "delegate_id": delegate.pk, "assembly_id": assembly.pk,
            "proposal_id": proposal.pk, "amendment_id": amendment.pk}
