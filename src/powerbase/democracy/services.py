"""Write operations of the democracy app. Each checks access, runs in one transaction and is
audited, except casting a ballot: a voter is anonymous, and auditing a ballot would record who
voted when, next to what.

Sections: governing bodies and delegates; electorates; assemblies; proposals; votes (setup,
opening, voting codes, casting, paper ballots, counting, publishing); endorsements.
"""

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from powerbase.coalition.models import Affiliate
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.jobs import Progress
from powerbase.core.models import Job
from powerbase.democracy import ballot_sets, codes, electorates, fingerprints
from powerbase.democracy.models import (
    VOTE_METHODS,
    AgendaItem,
    Amendment,
    Assembly,
    AssemblyAttendance,
    BallotCandidate,
    BlocWeight,
    CastBallot,
    Comment,
    Decision,
    Delegate,
    Electorate,
    Eligibility,
    Endorsement,
    GoverningBody,
    PaperEntry,
    Participation,
    Proposal,
    Proxy,
    Result,
    Seat,
    Vote,
    VotingCode,
)
from powerbase.democracy.tabulation import OVERVOTE, Method
from powerbase.democracy.tabulation.threshold import CHOICES
from powerbase.people.models import Person

MANAGE = "democracy.manage"
SORT_KEY_RANGE = 2**62


# Governing bodies and delegates ------------------------------------------------------------


def create_body(
    *, actor: Actor, name: str, description: str = "", kind: str = GoverningBody.Kind.OTHER
) -> GoverningBody:
    """Add a governing body (a steering committee, a strategy table, a board)."""
    access.require(actor, MANAGE)
    name = name.strip()
    if not name:
        raise InvalidInput("A governing body needs a name.")
    if kind not in GoverningBody.Kind.values:
        raise InvalidInput(f"'{kind}' is not a kind of governing body.", field="kind")
    if GoverningBody.objects.filter(organization=actor.organization, name=name).exists():
        raise Conflict(f"There is already a governing body called '{name}'.")
    with transaction.atomic():
        body = GoverningBody.objects.create(
            organization=actor.organization, name=name, description=description, kind=kind
        )
        audit.record(actor, "governing_body.created", body, changes={"name": [None, name]})
    return body


def add_seat(
    *,
    actor: Actor,
    body: GoverningBody,
    title: str,
    holder: Person | None = None,
    affiliate: Affiliate | None = None,
) -> Seat:
    """Add a seat to *body*, optionally with its holder and the affiliate it is reserved for."""
    access.require(actor, MANAGE, body)
    access.require_same_organization(actor, body, holder, affiliate)
    if not title.strip():
        raise InvalidInput("A seat needs a title, e.g. 'At-large seat 1'.")
    with transaction.atomic():
        seat = Seat.objects.create(
            organization=actor.organization,
            body=body,
            title=title.strip(),
            holder=holder,
            affiliate=affiliate,
            order=body.seats.count() + 1,
        )
        audit.record(
            actor,
            "seat.created",
            seat,
            changes={"title": [None, seat.title], "holder": [None, str(holder or "")]},
        )
    return seat


def set_seat_holder(*, actor: Actor, seat: Seat, holder: Person | None) -> Seat:
    """Put *holder* in *seat* (None leaves it empty)."""
    access.require(actor, MANAGE, seat)
    access.require_same_organization(actor, seat, holder)
    with transaction.atomic():
        before = str(seat.holder or "")
        seat.holder = holder
        seat.save(update_fields=["holder"])
        audit.record(
            actor, "seat.holder_changed", seat, changes={"holder": [before, str(holder or "")]}
        )
    return seat


def appoint_delegate(
    *,
    actor: Actor,
    affiliate: Affiliate,
    person: Person,
    role: str = Delegate.Role.DELEGATE,
    order: int = 1,
) -> Delegate:
    """Record that *affiliate* appointed *person* as a delegate or an alternate."""
    access.require(actor, MANAGE, affiliate)
    access.require_same_organization(actor, affiliate, person)
    if role not in Delegate.Role.values:
        raise InvalidInput(f"'{role}' is not a delegate role; choose delegate or alternate.")
    if Delegate.objects.filter(affiliate=affiliate, person=person).exists():
        raise Conflict(f"{person} is already appointed by {affiliate}.")
    with transaction.atomic():
        delegate = Delegate.objects.create(
            organization=actor.organization,
            affiliate=affiliate,
            person=person,
            role=role,
            order=order,
        )
        audit.record(
            actor,
            "delegate.appointed",
            delegate,
            changes={"person": [None, str(person)], "role": [None, role]},
        )
    return delegate


def remove_delegate(*, actor: Actor, delegate: Delegate) -> None:
    """End an appointment. Votes already open keep their frozen voter roll."""
    access.require(actor, MANAGE, delegate)
    access.require_same_organization(actor, delegate)
    with transaction.atomic():
        audit.record(
            actor, "delegate.removed", delegate, changes={"person": [str(delegate.person), None]}
        )
        delegate.delete()


# Electorates -------------------------------------------------------------------------------


def create_electorate(
    *,
    actor: Actor,
    name: str,
    kind: str,
    affiliates: Sequence[Affiliate] = (),
    governing_body: GoverningBody | None = None,
) -> Electorate:
    """Define who may vote. Weighted blocs then need a weight per affiliate."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, governing_body, *affiliates)
    if not name.strip():
        raise InvalidInput("An electorate needs a name, e.g. 'Delegates of member affiliates'.")
    if kind not in Electorate.Kind.values:
        raise InvalidInput(
            f"'{kind}' is not a kind of electorate; choose one of: "
            f"{', '.join(Electorate.Kind.values)}."
        )
    if kind == Electorate.Kind.GOVERNING_BODY and governing_body is None:
        raise InvalidInput("Choose the governing body whose seat holders vote.")
    if kind == Electorate.Kind.AFFILIATE_MEMBERS and not affiliates:
        raise InvalidInput("Choose the affiliates whose members vote.")
    with transaction.atomic():
        electorate = Electorate.objects.create(
            organization=actor.organization,
            name=name.strip(),
            kind=kind,
            governing_body=governing_body if kind == Electorate.Kind.GOVERNING_BODY else None,
        )
        electorate.affiliates.set(affiliates)
        audit.record(
            actor,
            "electorate.created",
            electorate,
            changes={
                "name": [None, electorate.name],
                "kind": [None, kind],
                "affiliates": [None, [a.name for a in affiliates]],
            },
        )
    return electorate


def set_bloc_weights(
    *, actor: Actor, electorate: Electorate, weights: dict[Affiliate, Decimal]
) -> None:
    """Set how many votes each affiliate's bloc ballot is worth (0 leaves it out)."""
    access.require(actor, MANAGE, electorate)
    access.require_same_organization(actor, electorate, *weights)
    if not electorate.is_weighted:
        raise InvalidInput(f"'{electorate}' is not weighted by affiliate; weights do not apply.")
    for affiliate, weight in weights.items():
        if weight is None or weight < 0:
            raise InvalidInput(f"The weight of {affiliate} must be a number of at least 0.")
    with transaction.atomic():
        for affiliate, weight in weights.items():
            BlocWeight.objects.update_or_create(
                electorate=electorate,
                affiliate=affiliate,
                defaults={"weight": weight, "organization": actor.organization},
            )
        audit.record(
            actor,
            "electorate.weights_set",
            electorate,
            changes={a.name: str(w) for a, w in weights.items()},
        )


def weights_from_membership(*, actor: Actor, electorate: Electorate) -> dict[Affiliate, Decimal]:
    """Set each affiliate's weight to its members in good standing; return the weights."""
    counts = electorates.member_counts(electorate)
    weights = {
        affiliate: Decimal(counts.get(affiliate.pk, 0))
        for affiliate in electorates.chosen_affiliates(electorate)
    }
    set_bloc_weights(actor=actor, electorate=electorate, weights=weights)
    return weights


# Assemblies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorumRule:
    count: int | None = None
    percent: Decimal | None = None
    min_affiliates: int | None = None


def create_assembly(
    *,
    actor: Actor,
    title: str,
    starts_at,
    electorate: Electorate,
    quorum: QuorumRule,
    location: str = "",
) -> Assembly:
    """Call an assembly of *electorate* with a quorum rule."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, electorate)
    if not title.strip():
        raise InvalidInput("An assembly needs a title.")
    if quorum.percent is not None and not 0 < quorum.percent <= 100:
        raise InvalidInput("A quorum share must be more than 0% and at most 100%.")
    with transaction.atomic():
        assembly = Assembly.objects.create(
            organization=actor.organization,
            title=title.strip(),
            starts_at=starts_at,
            location=location,
            electorate=electorate,
            quorum_count=quorum.count,
            quorum_percent=quorum.percent,
            quorum_min_affiliates=quorum.min_affiliates,
        )
        audit.record(
            actor,
            "assembly.created",
            assembly,
            changes={"title": [None, assembly.title], "quorum": [None, _quorum_words(quorum)]},
        )
    return assembly


def _quorum_words(quorum: QuorumRule) -> str:
    parts = []
    if quorum.count:
        parts.append(f"{quorum.count} present")
    if quorum.percent is not None:
        parts.append(f"{quorum.percent}% of the electorate")
    if quorum.min_affiliates:
        parts.append(f"{quorum.min_affiliates} affiliates")
    return ", ".join(parts) or "none"


def add_agenda_item(
    *,
    actor: Actor,
    assembly: Assembly,
    title: str,
    notes: str = "",
    proposal: Proposal | None = None,
) -> AgendaItem:
    """Add an item at the end of *assembly*'s agenda."""
    access.require(actor, MANAGE, assembly)
    access.require_same_organization(actor, assembly, proposal)
    if not title.strip():
        raise InvalidInput("An agenda item needs a title.")
    with transaction.atomic():
        item = AgendaItem.objects.create(
            organization=actor.organization,
            assembly=assembly,
            title=title.strip(),
            notes=notes,
            proposal=proposal,
            order=assembly.agenda.count() + 1,
        )
        if proposal is not None and proposal.assembly_id is None:
            proposal.assembly = assembly
            proposal.save(update_fields=["assembly"])
        audit.record(actor, "agenda_item.created", item, changes={"title": [None, item.title]})
    return item


def check_in(
    *, actor: Actor, assembly: Assembly, person: Person, guest: bool = False
) -> AssemblyAttendance:
    """Record *person* as present at *assembly*, once.

    Only people the assembly's roster names (its electorate, alternates and bloc delegates of
    its affiliates, proxy holders for its votes) are checked in as taking part; anyone else is
    refused unless checked in as a guest, who has no vote and is not counted for quorum.
    """
    access.require(actor, MANAGE, assembly)
    access.require_same_organization(actor, assembly, person)
    if assembly.status == Assembly.Status.ADJOURNED:
        raise Conflict(f"{assembly} is adjourned; attendance can no longer change.")
    entitled = person.pk in electorates.assembly_roster(assembly)
    if not entitled and not guest:
        raise InvalidInput(
            f"{person} is not on the roster of {assembly}: neither in its "
            f"electorate ({assembly.electorate}) nor holding a proxy. Check them "
            "in as a guest if they attend without a vote."
        )
    with transaction.atomic():
        attendance, created = AssemblyAttendance.objects.get_or_create(
            assembly=assembly,
            person=person,
            defaults={"organization": actor.organization, "guest": not entitled},
        )
        if created:
            audit.record(
                actor,
                "attendance.recorded",
                attendance,
                changes={"person": [None, str(person)], "guest": [None, not entitled]},
            )
    return attendance


def set_assembly_status(*, actor: Actor, assembly: Assembly, status: str) -> Assembly:
    """Open the session or adjourn it."""
    access.require(actor, MANAGE, assembly)
    access.require_same_organization(actor, assembly)
    if status not in Assembly.Status.values:
        raise InvalidInput(f"'{status}' is not an assembly status.")
    with transaction.atomic():
        before = assembly.status
        assembly.status = status
        assembly.save(update_fields=["status"])
        audit.record(
            actor, "assembly.status_changed", assembly, changes={"status": [before, status]}
        )
    return assembly


def save_minutes(*, actor: Actor, assembly: Assembly, minutes: str) -> Assembly:
    """Write the minutes of *assembly*."""
    access.require(actor, MANAGE, assembly)
    access.require_same_organization(actor, assembly)
    with transaction.atomic():
        assembly.minutes = minutes
        assembly.save(update_fields=["minutes"])
        audit.record(actor, "assembly.minutes_saved", assembly)
    return assembly


def record_decision(
    *,
    actor: Actor,
    assembly: Assembly,
    title: str,
    summary: str = "",
    outcome: str = Decision.Outcome.ADOPTED,
) -> Decision:
    """Record a decision an assembly took without a ballot (by consensus or a show of hands)."""
    access.require(actor, MANAGE, assembly)
    access.require_same_organization(actor, assembly)
    if not title.strip():
        raise InvalidInput("Say what was decided.")
    if outcome not in Decision.Outcome.values:
        raise InvalidInput(f"'{outcome}' is not an outcome.")
    with transaction.atomic():
        decision = Decision.objects.create(
            organization=actor.organization,
            title=title.strip(),
            summary=summary,
            outcome=outcome,
            assembly=assembly,
        )
        audit.record(actor, "decision.recorded", decision, changes={"title": [None, title]})
    return decision


# Proposals ---------------------------------------------------------------------------------


def create_proposal(
    *, actor: Actor, title: str, text: str, assembly: Assembly | None = None
) -> Proposal:
    """Draft a proposal."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, assembly)
    if not title.strip() or not text.strip():
        raise InvalidInput("A proposal needs a title and a text.")
    with transaction.atomic():
        proposal = Proposal.objects.create(
            organization=actor.organization,
            title=title.strip(),
            text=text,
            assembly=assembly,
            created_by=actor.user,
        )
        audit.record(actor, "proposal.created", proposal, changes={"title": [None, title]})
    return proposal


PROPOSAL_MOVES: dict[str, set[str]] = {
    Proposal.Status.DELIBERATION: {Proposal.Status.DRAFT},
    Proposal.Status.WITHDRAWN: {Proposal.Status.DRAFT, Proposal.Status.DELIBERATION},
}


def move_proposal(*, actor: Actor, proposal: Proposal, status: str) -> Proposal:
    """Open a draft for deliberation, or withdraw it. Voting and deciding follow its vote."""
    access.require(actor, MANAGE, proposal)
    access.require_same_organization(actor, proposal)
    allowed_from = PROPOSAL_MOVES.get(status)
    if allowed_from is None or proposal.status not in allowed_from:
        raise Conflict(
            f"A proposal that is {proposal.get_status_display().lower()} cannot "
            f"become {Proposal.Status(status).label.lower()}."
        )
    return _set_proposal_status(actor, proposal, status)


def _set_proposal_status(actor: Actor, proposal: Proposal, status: str) -> Proposal:
    with transaction.atomic():
        before = proposal.status
        proposal.status = status
        proposal.save(update_fields=["status"])
        audit.record(
            actor,
            "proposal.status_changed",
            proposal,
            organization=proposal.organization,
            changes={"status": [before, status]},
        )
    return proposal


def add_comment(*, actor: Actor, proposal: Proposal, body: str) -> Comment:
    """Add to the deliberation of *proposal*. Anyone who may see proposals may take part."""
    access.require(actor, "democracy.view", proposal)
    access.require_same_organization(actor, proposal)
    if proposal.status != Proposal.Status.DELIBERATION:
        raise Conflict("Comments are taken while a proposal is in deliberation.")
    if not body.strip():
        raise InvalidInput("The comment is empty.")
    with transaction.atomic():
        comment = Comment.objects.create(
            organization=actor.organization,
            proposal=proposal,
            author=actor.user,
            author_label=str(actor.user),
            body=body.strip(),
        )
        audit.record(actor, "comment.created", comment)
    return comment


def move_amendment(*, actor: Actor, proposal: Proposal, summary: str, text: str) -> Amendment:
    """Propose an amendment: the proposal's full text as it would read."""
    access.require(actor, "democracy.view", proposal)
    access.require_same_organization(actor, proposal)
    if proposal.status != Proposal.Status.DELIBERATION:
        raise Conflict("Amendments are moved while a proposal is in deliberation.")
    if not summary.strip() or not text.strip():
        raise InvalidInput("An amendment needs a summary and the amended text.")
    if text.strip() == proposal.text.strip():
        raise InvalidInput("The amended text is the same as the proposal's text.")
    with transaction.atomic():
        amendment = Amendment.objects.create(
            organization=actor.organization,
            proposal=proposal,
            summary=summary.strip(),
            text=text,
            moved_by=actor.user,
            moved_by_label=str(actor.user),
        )
        audit.record(actor, "amendment.moved", amendment, changes={"summary": [None, summary]})
    return amendment


def decide_amendment(*, actor: Actor, amendment: Amendment, accept: bool) -> Amendment:
    """Accept an amendment (its text becomes the proposal's) or reject it."""
    access.require(actor, MANAGE, amendment)
    access.require_same_organization(actor, amendment)
    proposal = amendment.proposal
    if amendment.status != Amendment.Status.PROPOSED:
        raise Conflict("That amendment has already been decided.")
    if proposal.status != Proposal.Status.DELIBERATION:
        raise Conflict("Amendments are decided while the proposal is in deliberation.")
    with transaction.atomic():
        amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REJECTED
        amendment.decided_at = timezone.now()
        amendment.save(update_fields=["status", "decided_at"])
        if accept:
            proposal.text = amendment.text
            proposal.save(update_fields=["text"])
        audit.record(actor, f"amendment.{amendment.status}", amendment)
    return amendment


def put_to_vote(
    *,
    actor: Actor,
    proposal: Proposal,
    electorate: Electorate,
    required: str = "majority",
    share_of: str = "cast",
    assembly: Assembly | None = None,
) -> Vote:
    """Make a yes/no/abstain vote on *proposal* as it now reads. Pending amendments lapse."""
    access.require(actor, MANAGE, proposal)
    access.require_same_organization(actor, proposal, electorate, assembly)
    if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.DELIBERATION):
        raise Conflict(
            f"A proposal that is {proposal.get_status_display().lower()} cannot be put to a vote."
        )
    with transaction.atomic():
        vote = create_vote(
            actor=actor,
            title=proposal.title,
            question=proposal.text,
            method=Method.THRESHOLD,
            electorate=electorate,
            options={"required": required, "share_of": share_of},
            assembly=assembly or proposal.assembly,
            proposal=proposal,
        )
        proposal.amendments.filter(status=Amendment.Status.PROPOSED).update(
            status=Amendment.Status.REJECTED, decided_at=timezone.now()
        )
        _set_proposal_status(actor, proposal, Proposal.Status.VOTING)
    return vote


# Votes: setup ------------------------------------------------------------------------------

SETUP_FIELDS = (
    "title",
    "question",
    "method",
    "seats",
    "options",
    "electorate",
    "assembly",
    "remote",
)


def create_vote(
    *,
    actor: Actor,
    title: str,
    method: str,
    electorate: Electorate,
    question: str = "",
    seats: int = 1,
    options: dict | None = None,
    assembly: Assembly | None = None,
    proposal: Proposal | None = None,
    remote: bool = False,
) -> Vote:
    """Set up a vote as a draft. Candidates are added next; nothing is frozen until it opens."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, electorate, assembly, proposal)
    vote = Vote(
        organization=actor.organization,
        title=title.strip(),
        question=question,
        method=method,
        seats=seats,
        options=options or {},
        electorate=electorate,
        assembly=assembly,
        proposal=proposal,
        created_by=actor.user,
        remote=remote,
    )
    _check_setup(vote)
    with transaction.atomic():
        vote.save()
        audit.record(
            actor,
            "vote.created",
            vote,
            changes={
                "title": [None, vote.title],
                "method": [None, method],
                "seats": [None, seats],
                "electorate": [None, str(electorate)],
            },
        )
    return vote


def _check_setup(vote: Vote) -> None:
    if not vote.title:
        raise InvalidInput("A vote needs a title.")
    if vote.method not in dict(VOTE_METHODS):
        raise InvalidInput(
            f"'{vote.method}' is not a method for a vote here; choose one of: "
            f"{', '.join(dict(VOTE_METHODS))}."
        )
    unknown = set(vote.options) - set(ballot_sets.OPTION_DEFAULTS)
    if unknown:
        raise InvalidInput(f"Unknown counting options: {', '.join(sorted(unknown))}.")
    if vote.is_question:
        vote.seats = 1
    ballot_sets.check_rules(vote)


def update_vote(*, actor: Actor, vote: Vote, changes: dict) -> Vote:
    """Change a draft vote's setup; an open vote's setup cannot change."""
    access.require(actor, MANAGE, vote)
    access.require_same_organization(
        actor, vote, changes.get("electorate"), changes.get("assembly")
    )
    unknown = set(changes) - set(SETUP_FIELDS)
    if unknown:
        raise InvalidInput(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = _locked_draft(vote)
        before = {name: getattr(current, name) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        _check_setup(current)
        current.save()
        audit.record(actor, "vote.updated", current, changes=audit.field_changes(before, changes))
    return current


def _locked_draft(vote: Vote) -> Vote:
    """Return *vote* locked for this transaction, or refuse if its setup is frozen."""
    current = Vote.objects.select_for_update().get(pk=vote.pk)
    if current.status != Vote.Status.DRAFT:
        raise Conflict(
            f"'{current}' is {current.get_status_display().lower()}: its setup "
            "cannot change once voting has opened."
        )
    return current


def add_candidate(
    *, actor: Actor, vote: Vote, name: str, person: Person | None = None
) -> BallotCandidate:
    """Put a candidate on a draft vote's ballot, after those already on it."""
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote, person)
    name = ballot_sets.check_candidate_name(name)
    with transaction.atomic():
        current = _locked_draft(vote)
        if current.is_question:
            raise InvalidInput("A yes/no question has no candidates.")
        if current.candidates.filter(name=name).exists():
            raise Conflict(f"'{name}' is already on the ballot.")
        candidate = BallotCandidate.objects.create(
            organization=actor.organization,
            vote=current,
            name=name,
            person=person,
            order=current.candidates.count() + 1,
        )
        audit.record(actor, "candidate.added", candidate, changes={"name": [None, name]})
    return candidate


def remove_candidate(*, actor: Actor, candidate: BallotCandidate) -> None:
    """Take a candidate off a draft vote's ballot."""
    access.require(actor, MANAGE, candidate)
    access.require_same_organization(actor, candidate)
    with transaction.atomic():
        _locked_draft(candidate.vote)
        audit.record(
            actor, "candidate.removed", candidate, changes={"name": [candidate.name, None]}
        )
        candidate.delete()


def give_proxy(*, actor: Actor, vote: Vote, grantor: Person, holder: Person) -> Proxy:
    """Record that *grantor* (a delegate in the electorate) gives their vote to *holder*."""
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote, grantor, holder)
    if grantor == holder:
        raise InvalidInput("A person cannot hold their own proxy.")
    with transaction.atomic():
        current = _locked_draft(vote)
        if current.electorate.kind not in (
            Electorate.Kind.DELEGATES,
            Electorate.Kind.GOVERNING_BODY,
        ):
            raise InvalidInput("Proxies are for votes of delegates or of a governing body.")
        rights = {entry.person_id for entry in electorates.entries(current.electorate)}
        if grantor.pk not in rights:
            raise InvalidInput(
                f"{grantor} is not in the electorate of '{current}', so has no vote to give."
            )
        if Proxy.objects.filter(vote=current, grantor=grantor).exists():
            raise Conflict(f"{grantor} has already given a proxy for this vote.")
        if Proxy.objects.filter(vote=current, holder=holder).exists():
            raise Conflict(
                f"{holder} already holds a proxy for this vote; nobody may carry more than one."
            )
        proxy = Proxy.objects.create(
            organization=actor.organization, vote=current, grantor=grantor, holder=holder
        )
        audit.record(
            actor,
            "proxy.given",
            proxy,
            changes={"grantor": [None, str(grantor)], "holder": [None, str(holder)]},
        )
    return proxy


def seat_alternate(*, actor: Actor, vote: Vote, delegate: Delegate) -> Proxy:
    """Give an absent delegate's vote to their affiliate's next alternate without a proxy."""
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote, delegate)
    taken = set(Proxy.objects.filter(vote=vote).values_list("holder_id", flat=True))
    alternate = (
        Delegate.objects.filter(
            affiliate=delegate.affiliate,
            role=Delegate.Role.ALTERNATE,
        )
        .exclude(person_id__in=taken)
        .order_by("order", "id")
        .first()
    )
    if alternate is None:
        raise Conflict(f"{delegate.affiliate} has no alternate left to seat.")
    return give_proxy(actor=actor, vote=vote, grantor=delegate.person, holder=alternate.person)


# Votes: opening and closing ----------------------------------------------------------------


def open_vote(*, actor: Actor, vote: Vote) -> Vote:
    """Freeze the voter roll and the setup, and open voting.

    An assembly's vote opens only when the assembly has quorum; the quorum is kept on the
    vote. The setup's fingerprint is kept too, and checked again before counting.
    """
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote)
    with transaction.atomic():
        current = _locked_draft(vote)
        _check_ready(current)
        if current.assembly is not None:
            quorum = electorates.quorum(current.assembly)
            if not quorum.met:
                raise Conflict(
                    f"{current.assembly} does not have quorum, so it cannot vote. "
                    f"{quorum.sentence()}"
                )
            current.quorum_record = quorum.as_record()
        roll = _frozen_roll(current)
        Eligibility.objects.bulk_create(roll, batch_size=2000)
        current.status = Vote.Status.OPEN
        current.opened_at = timezone.now()
        current.setup_fingerprint = fingerprints.setup_fingerprint(current)
        current.save()
        audit.record(
            actor,
            "vote.opened",
            current,
            changes={"eligible": len(roll), "fingerprint": current.setup_fingerprint},
        )
    return current


def _check_ready(vote: Vote) -> None:
    names = ballot_sets.candidate_names(vote)
    if not vote.is_question and len(names) < max(2, vote.seats):
        raise InvalidInput(
            f"'{vote}' needs at least {max(2, vote.seats)} candidates for "
            f"{vote.seats} seat{'s' if vote.seats != 1 else ''}; it has "
            f"{len(names)}."
        )
    if not vote.is_question and vote.seats >= len(names):
        raise InvalidInput(
            f"'{vote}' has {len(names)} candidates for {vote.seats} seats; "
            "add candidates or lower the seats."
        )
    ballot_sets.rules_for(vote, Decimal(1))


def _proxy_holder(proxies: dict[int, int], entry: electorates.Entry) -> int | None:
    """Who holds *entry*'s proxy; a bloc (no person) grants none."""
    return None if entry.person_id is None else proxies.get(entry.person_id)


def _frozen_roll(vote: Vote) -> list[Eligibility]:
    rights = electorates.entries(vote.electorate)
    if not rights:
        raise InvalidInput(
            f"The electorate '{vote.electorate}' has nobody in it today, so nobody could vote."
        )
    proxies = dict(Proxy.objects.filter(vote=vote).values_list("grantor_id", "holder_id"))
    return [
        Eligibility(
            organization=vote.organization,
            vote=vote,
            person_id=entry.person_id,
            holder_id=_proxy_holder(proxies, entry) or entry.casts,
            affiliate_id=entry.affiliate_id,
            weight=entry.weight,
            basis=entry.basis,
        )
        for entry in rights
    ]


def close_vote(*, actor: Actor, vote: Vote) -> Vote:
    """Stop voting. Paper ballots may still be entered by the tellers before the count."""
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote)
    with transaction.atomic():
        current = Vote.objects.select_for_update().get(pk=vote.pk)
        if current.status != Vote.Status.OPEN:
            raise Conflict(f"'{current}' is not open, so it cannot be closed.")
        current.status = Vote.Status.CLOSED
        current.closed_at = timezone.now()
        current.save(update_fields=["status", "closed_at"])
        audit.record(
            actor, "vote.closed", current, changes={"participated": current.participations.count()}
        )
    return current


def count_vote(*, actor: Actor, vote: Vote) -> Result:
    """Shuffle the ballots, write the ballot file and count it.

    Refused while paper sheets wait for a second teller, or if the setup no longer matches
    the fingerprint taken when voting opened.
    """
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote)
    with transaction.atomic():
        current = Vote.objects.select_for_update().get(pk=vote.pk)
        if current.status != Vote.Status.CLOSED:
            raise Conflict(
                f"'{current}' is {current.get_status_display().lower()}; only a "
                "closed vote is counted."
            )
        _check_fingerprint(current)
        _check_paper_done(current)
        _reshuffle(current)
        ballots = list(CastBallot.objects.filter(vote=current).order_by("sort_key"))
        if not ballots:
            raise Conflict(f"No ballots were cast in '{current}'; there is nothing to count.")
        weight = roll_weight(current)
        text = ballot_sets.ballot_csv(current, ballots)
        record = ballot_sets.count_file(current, text, weight).to_dict()
        result = Result.objects.create(
            organization=current.organization,
            vote=current,
            record=record,
            winners=record["winners"],
            ballots_csv=text,
            ballots_sha256=ballot_sets.sha256(text),
            tally_command=ballot_sets.tally_command(
                current, weight, ballot_sets.file_name(current)
            ),
        )
        current.status = Vote.Status.COUNTED
        current.save(update_fields=["status"])
        audit.record(
            actor,
            "vote.counted",
            current,
            changes={
                "ballots": len(ballots),
                "winners": record["winners"],
                "ballots_sha256": result.ballots_sha256,
            },
        )
    return result


def roll_weight(vote: Vote) -> Decimal:
    """Return the total weight of the voter roll (the electorate's size, for weighted votes).

    Written without trailing zeros (7, not 7.0000 as PostgreSQL sums it), as the published
    command line writes it, so that a recount's record matches to the character.
    """
    total = vote.eligibilities.aggregate(total=Sum("weight"))["total"] or Decimal(0)
    return Decimal(format(total.normalize(), "f"))


def _check_fingerprint(vote: Vote) -> None:
    if fingerprints.setup_fingerprint(vote) != vote.setup_fingerprint:
        raise Conflict(
            f"The setup or voter roll of '{vote}' differs from when voting opened "
            "(its fingerprint no longer matches), so it will not be counted. Check "
            "the audit log."
        )


def _check_paper_done(vote: Vote) -> None:
    waiting = vote.paper_entries.filter(confirmed=False).values("sheet").distinct().count()
    if waiting:
        raise Conflict(
            f"{waiting} paper sheet{'s' if waiting != 1 else ''} still wait for two "
            "tellers' matching entries; finish entering the paper ballots first."
        )


def _reshuffle(vote: Vote) -> None:
    """Re-insert the vote's ballots in a random order with new random sort keys.

    A table keeps traces of the order rows arrived in (SQLite's rowid, PostgreSQL's physical
    order and transaction ids). Writing every ballot again, at once and shuffled, leaves the
    stored ballots in an order that says nothing about when each was cast. It runs after
    every ballot stored and once more at the count, so it copies rows as stored, in plain SQL,
    without building model objects (docs/democracy.md gives its measured cost).
    """
    table = CastBallot._meta.db_table
    # Every concrete field has a column; the test says so to the type checker.
    columns = [
        field.column for field in CastBallot._meta.concrete_fields if field.column is not None
    ]
    keyed = columns.index("sort_key")
    marks = columns.index("marks")
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        # The table and column names are the model's own, never input.
        cursor.execute(f"SELECT {names} FROM {table} WHERE vote_id = %s", [vote.pk])  # noqa: S608
        rows = [list(row) for row in cursor.fetchall()]
        random.SystemRandom().shuffle(rows)
        for row, key in zip(rows, _sort_keys(len(rows)), strict=True):
            row[keyed] = key
            if not isinstance(row[marks], str):  # PostgreSQL hands jsonb back decoded
                row[marks] = json.dumps(row[marks])
        if connection.vendor == "sqlite":
            # Zero the freed pages, so the file keeps no earlier layout of the ballot box.
            cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute(f"DELETE FROM {table} WHERE vote_id = %s", [vote.pk])  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {table} ({names}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def _sort_keys(n: int) -> list[int]:
    generator = random.SystemRandom()
    keys: set[int] = set()
    while len(keys) < n:
        keys.add(generator.randrange(SORT_KEY_RANGE))
    return list(keys)


def publish_results(*, actor: Actor, vote: Vote) -> Decision:
    """Publish the count and the ballot set, and record the decision it makes."""
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote)
    with transaction.atomic():
        current = Vote.objects.select_for_update().get(pk=vote.pk)
        if current.status != Vote.Status.COUNTED:
            raise Conflict(
                f"'{current}' is {current.get_status_display().lower()}; results "
                "are published once counted."
            )
        result = current.result
        result.published_at = timezone.now()
        result.save(update_fields=["published_at"])
        current.status = Vote.Status.PUBLISHED
        current.save(update_fields=["status"])
        decision = _record_vote_decision(actor, current, result)
        audit.record(actor, "vote.published", current, changes={"outcome": decision.outcome})
    return decision


def _record_vote_decision(actor: Actor, vote: Vote, result: Result) -> Decision:
    outcome, summary = _outcome(vote, result)
    decision = Decision.objects.create(
        organization=vote.organization,
        title=vote.title,
        outcome=outcome,
        summary=summary,
        vote=vote,
        result=result,
        assembly=vote.assembly,
        proposal=vote.proposal,
        decided_on=timezone.localdate(),
    )
    if vote.proposal is not None:
        _set_proposal_status(actor, vote.proposal, Proposal.Status.DECIDED)
    endorsement = Endorsement.objects.filter(vote=vote).first()
    if endorsement is not None:
        endorsement.passed = outcome == Decision.Outcome.ENDORSED
        endorsement.decision = decision
        endorsement.save(update_fields=["passed", "decision"])
    return decision


def _outcome(vote: Vote, result: Result) -> tuple[str, str]:
    if vote.is_question:
        passed = result.record["details"]["passed"]
        sentence = result.record["details"]["sentence"]
        if Endorsement.objects.filter(vote=vote).exists():
            return (
                Decision.Outcome.ENDORSED if passed else Decision.Outcome.NOT_ENDORSED,
                sentence,
            )
        return (Decision.Outcome.ADOPTED if passed else Decision.Outcome.REJECTED), sentence
    winners = ", ".join(result.winners)
    return Decision.Outcome.ELECTED, f"Elected: {winners}."


# Votes: voting codes -----------------------------------------------------------------------


def _require_open(vote: Vote) -> None:
    if vote.status != Vote.Status.OPEN:
        raise Conflict(f"'{vote}' is not open for voting.")


@dataclass(frozen=True)
class PrintedSlips:
    """A batch of printed codes: the people to hand a slip to, and the slips, apart.

    Nothing says which slip goes to whom: each person on the list takes any one slip, as they
    would take a paper ballot from a pile. The slips are shuffled and bound to no voting right.
    """

    names: list[str]
    codes: list[tuple[str, Decimal]]


def issue_printed_codes(
    *, actor: Actor, vote: Vote, eligibilities: list[Eligibility] | None = None
) -> PrintedSlips:
    """Make one anonymous slip per voter present who has not voted (or for those given).

    Only an in-person vote has printed codes, and only for voting rights whose holder (the
    voter or their registered proxy) is checked in at the assembly. Each is recorded as handed
    a slip, which counts as taking part, so a second slip or a link is refused; the audit log
    names them. A slip cast uses it up.
    """
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote, *(eligibilities or []))
    with transaction.atomic():
        # Locked as casting and paper hand-outs lock it: nobody takes part twice meanwhile.
        current = Vote.objects.select_for_update().get(pk=vote.pk)
        _require_open(current)
        _require_in_person(current)
        assert current.assembly is not None, "an in-person vote is taken at an assembly"
        present = electorates.present_people(current.assembly)
        if eligibilities is None:
            rights = [
                right
                for right in current.eligibilities.filter(
                    participation__isnull=True
                ).select_related("person", "holder", "affiliate")
                if right.holder_id in present
            ]
        else:
            rights = [_right_for_a_slip(current, right, present) for right in eligibilities]
        slips = _print_slips(current, rights)
        audit.record(
            actor,
            "vote.codes_printed",
            current,
            changes={"codes": len(slips.codes), "handed_to": slips.names},
        )
    return slips


def _require_in_person(vote: Vote) -> None:
    if not vote.in_person:
        raise Conflict(
            f"'{vote}' is a remote ballot: each voter gets a link at their own "
            "email address (Email voting links), never a code through the organizers."
        )


def _right_for_a_slip(vote: Vote, right: Eligibility, present: set[int]) -> Eligibility:
    if right.vote_id != vote.pk:
        raise InvalidInput("A printed code was asked for a voter of another vote.")
    if right.holder_id not in present:
        raise Conflict(
            f"{right.holder or right.affiliate} has not checked in at "
            f"{vote.assembly}: codes are printed only for voters present."
        )
    if Participation.objects.filter(eligibility=right).exists():
        raise Conflict(
            f"{right.holder or right.affiliate} has already voted or been handed a code."
        )
    return right


def _slip_name(right: Eligibility) -> str:
    if right.person_id is None:
        return (
            f"{right.holder} for {right.affiliate} (bloc vote, weight {right.weight.normalize():f})"
        )
    if right.holder_id != right.person_id:
        return f"{right.holder} (proxy for {right.person})"
    return str(right.person)


def _print_slips(vote: Vote, rights: list[Eligibility]) -> PrintedSlips:
    """Record each right as handed a slip and make as many unbound codes, shuffled."""
    today = timezone.localdate()
    Participation.objects.bulk_create(
        [
            Participation(
                organization=vote.organization,
                vote=vote,
                eligibility=right,
                channel=Participation.Channel.PRINTED,
                voted_on=today,
            )
            for right in rights
        ]
    )
    slips = [(codes.new_printed_code(), right.weight) for right in rights]
    random.SystemRandom().shuffle(slips)
    VotingCode.objects.bulk_create(
        [
            VotingCode(
                organization=vote.organization,
                vote=vote,
                digest=codes.digest(code),
                weight=weight,
                channel=VotingCode.Channel.PRINTED,
            )
            for code, weight in slips
        ]
    )
    return PrintedSlips(names=sorted(_slip_name(right) for right in rights), codes=slips)


def send_voting_links(*, actor: Actor, vote: Vote, base_url: str) -> Job:
    """Email a one-time voting link to every voter with an email who has none yet (a job)."""
    from powerbase.core import jobs

    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote)
    current = Vote.objects.get(pk=vote.pk)
    _require_open(current)
    if current.in_person:
        raise Conflict(
            f"'{current}' is voted in person at {current.assembly}: print codes "
            "for the voters checked in, or set the vote as a remote ballot before "
            "it opens."
        )
    return jobs.start(
        kind="democracy.send_voting_links",
        started_by=actor.user,
        organization=actor.organization,
        params={"vote_id": vote.pk, "base_url": base_url},
    )


def deliver_voting_links(job: Job, progress: Progress) -> dict:
    """Job: create and email the links. Safe to run twice: voters with a link are skipped."""
    vote = Vote.objects.get(pk=job.params["vote_id"], organization=job.organization)
    _require_open(vote)
    waiting = list(
        vote.eligibilities.filter(participation__isnull=True)
        .exclude(codes__channel=VotingCode.Channel.EMAIL)
        .select_related("holder", "affiliate")
        .order_by("id")
    )
    addresses = _primary_emails([right.holder_id for right in waiting if right.holder_id])
    progress.update(0, total=len(waiting), message="Sending voting links")
    sent, unreachable = 0, 0
    connection = mailers.default
    for start in range(0, len(waiting), 200):
        batch = waiting[start : start + 200]
        messages = []
        # Codes and emails of a batch stand or fall together: if sending fails, the batch's
        # codes roll back and a second run sends those voters fresh links.
        with transaction.atomic():
            for right in batch:
                address = None if right.holder_id is None else addresses.get(right.holder_id)
                if address is None:
                    unreachable += 1
                    continue
                messages.append(_link_message(vote, right, address, job.params["base_url"]))
            connection.send_messages(messages)
        sent += len(messages)
        progress.update(start + len(batch))
    audit.record(
        job.started_by,
        "vote.links_sent",
        vote,
        organization=vote.organization,
        changes={"sent": sent, "without_email": unreachable},
    )
    return {"sent": sent, "without_email": unreachable}


def _primary_emails(person_ids: list[int]) -> dict[int, str]:
    """Return person id -> email for people we may write to (not "do not contact")."""
    from powerbase.people.models import EmailAddress

    found: dict[int, str] = {}
    for person_id, address in (
        EmailAddress.objects.filter(person_id__in=person_ids)
        .exclude(person__status=Person.Status.DO_NOT_CONTACT)
        .order_by("-is_primary", "id")
        .values_list("person_id", "address")
    ):
        found.setdefault(person_id, address)
    return found


def mint_link(vote: Vote, right: Eligibility) -> str:
    """Make the one-time link token of *right* and return it.

    The token goes straight to the voter: the email job mails it to their own address (and
    the demo's fictional voters use it at once). No page ever shows it to an organizer.
    """
    token = codes.new_link_token()
    VotingCode.objects.create(
        organization=vote.organization,
        vote=vote,
        eligibility=right,
        digest=codes.digest(token),
        channel=VotingCode.Channel.EMAIL,
    )
    return token


def _link_message(vote: Vote, right: Eligibility, address: str, base_url: str) -> EmailMessage:
    token = mint_link(vote, right)
    link = base_url.rstrip("/") + reverse("democracy:ballot", kwargs={"code": token})
    body = render_to_string(
        "democracy/email/voting_link.txt",
        {
            "vote": vote,
            "link": link,
            "organization": vote.organization,
            "on_behalf": right.holder_id != right.person_id,
            "right": right,
        },
    )
    return EmailMessage(f"Your ballot: {vote.title}", body, None, [address])


# Votes: casting ----------------------------------------------------------------------------


def find_code(code: str) -> VotingCode:
    """Return the voting code typed or clicked, or raise NotFound (the same for any reason)."""
    found = (
        VotingCode.objects.select_related("vote", "vote__organization", "eligibility")
        .filter(digest=codes.digest(code), revoked=False)
        .first()
    )
    if found is None:
        raise NotFound("That voting code")
    return found


@dataclass(frozen=True)
class Receipt:
    vote: Vote
    code: str
    marks: list[list[str]]


def cast_ballot(*, code: str, marks: list[list[str]]) -> Receipt:
    """Cast a secret ballot with a voting code; return the voter's receipt.

    The participation row (unique per voting right) and the ballot are written in one
    transaction, with the vote row locked so closing cannot interleave: a second attempt with
    the same right, however many codes it holds and however parallel, finds the participation
    and is refused. The ballot gets no link to the code, the right, the day or the time.
    """
    voting_code = find_code(code)
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=voting_code.vote_id)
        _require_open(vote)
        cleaned = clean_marks(vote, marks)
        weight = _use_code(vote, voting_code)
        receipt = _insert_ballot(vote, cleaned, weight, CastBallot.Channel.ONLINE)
    return Receipt(vote=vote, code=codes.display_receipt(receipt), marks=cleaned)


def _use_code(vote: Vote, voting_code: VotingCode) -> Decimal:
    """Spend *voting_code* (the vote row is locked); return the weight its ballot carries.

    A printed slip was counted as taking part when handed out: casting deletes it. A link
    records its right's participation, which refuses any second ballot of that right; at an
    in-person vote only while its holder is checked in.
    """
    right = voting_code.eligibility  # no query for a slip, which names no right
    if right is None:
        if not VotingCode.objects.filter(pk=voting_code.pk).delete()[0]:
            raise Conflict("This code has been used: each slip casts one ballot.")
        return voting_code.weight
    assembly = vote.assembly if vote.in_person else None
    if assembly is not None and right.holder_id not in electorates.present_people(assembly):
        raise Conflict(
            f"This code's voter has not checked in at {vote.assembly}; this vote "
            "is taken among those present."
        )
    _participate(vote, right, Participation.Channel.ONLINE)
    return right.weight


def _participate(vote: Vote, right: Eligibility, channel: str) -> Participation:
    try:
        with transaction.atomic():
            return Participation.objects.create(
                organization=vote.organization,
                vote=vote,
                eligibility=right,
                channel=channel,
                voted_on=timezone.localdate(),
            )
    except IntegrityError:
        raise Conflict("This voter has already voted: each voter casts one ballot.") from None


def _insert_ballot(vote: Vote, marks: list[list[str]], weight: Decimal, channel: str) -> str:
    """Store one ballot, then rewrite the whole ballot box of *vote* in a random order.

    Inserting alone would leave the new ballot last in every order the database keeps
    (SQLite's rowid, PostgreSQL's ctid and the xmin of the transaction that also wrote the
    voter's participation). After the rewrite every ballot of the vote was written by this
    transaction, at a position drawn afresh, so no column or hidden order tells the newest
    ballot from the others (docs/democracy.md, "What an operator can learn").
    """
    generator = random.SystemRandom()
    for _attempt in range(5):
        receipt = (
            codes.normalize(codes.new_receipt()) if channel == CastBallot.Channel.ONLINE else None
        )
        try:
            with transaction.atomic():
                CastBallot.objects.create(
                    organization=vote.organization,
                    vote=vote,
                    marks=marks,
                    weight=weight,
                    receipt=receipt,
                    channel=channel,
                    sort_key=generator.randrange(SORT_KEY_RANGE),
                )
        except IntegrityError:
            continue  # a receipt drawn twice in one vote: draw again
        _reshuffle(vote)
        return receipt or ""
    raise Conflict("Could not store the ballot; please try again.")


def clean_marks(vote: Vote, marks: list[list[str]], *, paper: bool = False) -> list[list[str]]:
    """Return *marks* checked against the ballot's choices, or raise InvalidInput.

    Online ballots are compacted (blank ranks dropped) and may not repeat a choice; a paper
    ballot is recorded as marked, overvotes and repeats included, for the count's rules to
    handle as they would on any paper ballot.
    """
    allowed = set(ballot_sets.candidate_names(vote)) | ({OVERVOTE} if paper else set())
    marks = [[name for name in mark if name] for mark in marks]
    for mark in marks:
        for name in mark:
            if name not in allowed:
                raise InvalidInput(f"'{name}' is not a choice on this ballot.")
    if not paper:
        marks = [mark for mark in marks if mark]
        _check_online_marks(vote, marks)
    while marks and not marks[-1]:
        marks.pop()
    return marks


def _check_online_marks(vote: Vote, marks: list[list[str]]) -> None:
    chosen = [name for mark in marks for name in mark]
    if any(len(mark) > 1 for mark in marks):
        raise InvalidInput("Choose one candidate per rank.")
    if len(set(chosen)) != len(chosen):
        raise InvalidInput("You chose the same candidate twice; choose each candidate once.")
    single = vote.method in (Method.PLURALITY, Method.THRESHOLD)
    if single and len(chosen) > 1:
        raise InvalidInput("Choose one answer only.")
    limit = ballot_sets.options(vote)["max_rankings"]
    if limit and vote.is_ranked and len(chosen) > limit:
        raise InvalidInput(f"Rank at most {limit} candidates.")
    if vote.is_question and chosen and chosen[0] not in CHOICES:
        raise InvalidInput("Answer yes, no or abstain.")


# Votes: paper ballots ----------------------------------------------------------------------


def hand_out_paper_ballot(*, actor: Actor, vote: Vote, eligibility: Eligibility) -> Participation:
    """Record that a voter took a paper ballot: from now on their online code is refused."""
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote, eligibility)
    if eligibility.vote_id != vote.pk:
        raise InvalidInput("That voter is on another vote's roll.")
    with transaction.atomic():
        current = Vote.objects.select_for_update().get(pk=vote.pk)
        _require_open(current)
        participation = _participate(current, eligibility, Participation.Channel.PAPER)
        audit.record(actor, "vote.paper_ballot_handed_out", current)
    return participation


@dataclass(frozen=True)
class PaperOutcome:
    """What a teller's entry led to: 'waiting' for the other teller, 'confirmed' or 'differs'."""

    status: str
    sheet: int


def enter_paper_ballot(
    *, actor: Actor, vote: Vote, sheet: int, marks: list[list[str]], weight: Decimal = Decimal(1)
) -> PaperOutcome:
    """Record one teller's reading of paper sheet *sheet*.

    When two different tellers' readings of a sheet match, it becomes a ballot; when they
    differ, both must look again (a teller re-entering a sheet replaces their reading).
    """
    access.require(actor, MANAGE, vote)
    access.require_same_organization(actor, vote)
    if sheet < 1:
        raise InvalidInput("Sheet numbers start at 1.")
    with transaction.atomic():
        current = Vote.objects.select_for_update().get(pk=vote.pk)
        if current.status not in (Vote.Status.OPEN, Vote.Status.CLOSED):
            raise Conflict(
                f"'{current}' is {current.get_status_display().lower()}; paper "
                "ballots are entered while it is open or closed, before the count."
            )
        cleaned = clean_marks(current, marks, paper=True)
        weight = _paper_weight(current, weight)
        entries = current.paper_entries.filter(sheet=sheet)
        if entries.filter(confirmed=True).exists():
            raise Conflict(f"Sheet {sheet} is already entered and confirmed by two tellers.")
        PaperEntry.objects.update_or_create(
            vote=current,
            sheet=sheet,
            teller=actor.user,
            defaults={
                "organization": current.organization,
                "marks": cleaned,
                "weight": weight,
                "entered_at": timezone.now(),
            },
        )
        outcome = _compare_paper(current, sheet, actor)
        audit.record(
            actor, "vote.paper_entry", current, changes={"sheet": sheet, "outcome": outcome.status}
        )
    return outcome


def _paper_weight(vote: Vote, weight) -> Decimal:
    try:
        weight = Decimal(str(weight))
    except InvalidOperation:
        raise InvalidInput(f"The weight '{weight}' is not a number.") from None
    if not vote.electorate.is_weighted:
        return Decimal(1)
    weights = set(vote.eligibilities.values_list("weight", flat=True))
    if weight not in weights:
        raise InvalidInput(f"No voter on the roll has the weight {weight}; check the sheet.")
    return weight


def _compare_paper(vote: Vote, sheet: int, actor: Actor) -> PaperOutcome:
    readings = list(vote.paper_entries.filter(sheet=sheet))
    if len(readings) < 2:
        return PaperOutcome("waiting", sheet)
    if any(r.marks != readings[0].marks or r.weight != readings[0].weight for r in readings):
        return PaperOutcome("differs", sheet)
    handed_out = vote.participations.filter(channel=Participation.Channel.PAPER).count()
    entered = vote.ballots.filter(channel=CastBallot.Channel.PAPER).count()
    if entered >= handed_out:
        raise Conflict(
            f"Only {handed_out} paper ballots were handed out and {entered} are "
            "already entered; this sheet would be one too many."
        )
    _insert_ballot(vote, readings[0].marks, readings[0].weight, CastBallot.Channel.PAPER)
    vote.paper_entries.filter(sheet=sheet).update(confirmed=True)
    return PaperOutcome("confirmed", sheet)


# Endorsements ------------------------------------------------------------------------------


def create_endorsement_vote(
    *,
    actor: Actor,
    endorsee: str,
    office: str,
    electorate: Electorate,
    required: str = "60%",
    share_of: str = "electorate",
    assembly: Assembly | None = None,
) -> Endorsement:
    """Set up an endorsement: a yes/no question with a threshold, whose result is recorded."""
    access.require(actor, MANAGE)
    if not endorsee.strip() or not office.strip():
        raise InvalidInput("Name the candidate and the office of the endorsement.")
    with transaction.atomic():
        vote = create_vote(
            actor=actor,
            title=f"Endorse {endorsee.strip()} for {office.strip()}",
            question=f"Shall we endorse {endorsee.strip()} for {office.strip()}?",
            method=Method.THRESHOLD,
            electorate=electorate,
            assembly=assembly,
            options={"required": required, "share_of": share_of},
        )
        endorsement = Endorsement.objects.create(
            organization=actor.organization,
            vote=vote,
            endorsee=endorsee.strip(),
            office=office.strip(),
        )
        audit.record(
            actor,
            "endorsement.created",
            endorsement,
            changes={"endorsee": [None, endorsee], "office": [None, office]},
        )
    return endorsement
