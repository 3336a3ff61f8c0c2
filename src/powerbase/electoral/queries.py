"""Read queries of the electoral app, always through `access`.

race_summary(race)                  votes per candidate, winners, margin, share, turnout
primary_results(actor, kind, party) the latest primary result per district, for the power map
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.urls import reverse

from powerbase.actions.models import Attendance, LadderMove
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.electoral.models import (
    Candidate,
    Election,
    EndorsementProcess,
    PipelineEntry,
    PipelineStep,
    Question,
    Race,
    ResultLine,
)
from powerbase.electoral.services import endorsed_official, outcome
from powerbase.legislature.models import Demand, Official, Pledge
from powerbase.people.timeline import Event, at_day
from powerbase.school import queries as school_queries
from powerbase.voterfile.models import District, VoterFileVersion

VIEW = "electoral.view"


def elections(actor: Actor) -> QuerySet[Election]:
    access.require(actor, VIEW)
    return access.scoped(actor, Election.objects.all())


def election(actor: Actor, election_id: int) -> Election:
    access.require(actor, VIEW)
    return access.get(actor, Election, pk=election_id)


def races(actor: Actor, election: Election | None = None) -> QuerySet[Race]:
    access.require(actor, VIEW)
    found = access.scoped(actor, Race.objects.select_related("election", "district"))
    return found.filter(election=election) if election is not None else found


def race(actor: Actor, race_id: int) -> Race:
    access.require(actor, VIEW)
    return access.get(actor, Race.objects.select_related("election", "district"), pk=race_id)


RACE_DISTRICT_KINDS = (
    "congressional",
    "state_senate",
    "state_house",
    "county",
    "municipality",
    "ward",
)


def race_districts(actor: Actor) -> QuerySet[District]:
    """Return the districts of the voter file in use that a race can be elected in."""
    access.require(actor, VIEW)
    current = access.scoped(actor, VoterFileVersion.objects.all()).current()
    if current is None:
        return District.objects.none()
    return access.scoped(
        actor, District.objects.filter(version=current, kind__in=RACE_DISTRICT_KINDS)
    )


def candidate(actor: Actor, candidate_id: int) -> Candidate:
    access.require(actor, VIEW)
    return access.get(actor, Candidate.objects.select_related("race"), pk=candidate_id)


# Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateResult:
    candidate: Candidate
    votes: int
    share: Decimal | None  # of the votes counted, in percent
    won: bool


@dataclass
class RaceSummary:
    """A race's outcome: who got what, who won, by how much, and how many voted."""

    race: Race
    lines: list[CandidateResult] = field(default_factory=list)
    total_votes: int = 0
    precincts: int = 0

    @property
    def has_results(self) -> bool:
        return self.total_votes > 0

    @property
    def winners(self) -> list[CandidateResult]:
        return [line for line in self.lines if line.won]

    @property
    def margin(self) -> int | None:
        """Votes between the last winner and the first loser."""
        seats = self.race.seats
        if len(self.lines) <= seats:
            return None
        return self.lines[seats - 1].votes - self.lines[seats].votes

    @property
    def margin_points(self) -> Decimal | None:
        if self.margin is None or not self.total_votes:
            return None
        return _percent(self.margin, self.total_votes)

    @property
    def winning_share(self) -> Decimal | None:
        return self.winners[0].share if self.winners else None

    @property
    def ballots(self) -> int:
        """Ballots cast: as reported, else the votes counted divided among the seats."""
        return self.race.ballots_cast or (self.total_votes // max(1, self.race.seats))

    @property
    def turnout(self) -> Decimal | None:
        eligible = self.race.eligible_voters
        return _percent(self.ballots, eligible) if eligible and self.has_results else None

    @property
    def rounds(self) -> list[dict]:
        return self.race.count_record.get("rounds", []) if self.race.count_record else []


def race_summary(race: Race) -> RaceSummary:
    """Return *race*'s results (the race is already looked up through access)."""
    return race_summaries([race])[0]


def race_summaries(races: list[Race]) -> list[RaceSummary]:
    """Return the results of *races*, in their order, in three queries whatever their number.

    A ranked-choice race's winners come from its round-by-round count; any other race's from
    the most votes.
    """
    ids = [race.pk for race in races]
    totals: dict[int, dict[int, int]] = {}
    for race_id, candidate_id, votes in (
        ResultLine.objects.filter(race_id__in=ids)
        .values_list("race_id", "candidate_id")
        .annotate(votes=Sum("votes"))
        .order_by()
    ):
        totals.setdefault(race_id, {})[candidate_id] = votes
    precincts = dict(
        ResultLine.objects.filter(race_id__in=ids)
        .exclude(precinct="")
        .values_list("race_id")
        .annotate(n=Count("precinct", distinct=True))
        .order_by()
    )
    candidates: dict[int, list[Candidate]] = {}
    for found in Candidate.objects.filter(race_id__in=ids):
        candidates.setdefault(found.race_id, []).append(found)
    return [
        _summary(
            race, candidates.get(race.pk, []), totals.get(race.pk, {}), precincts.get(race.pk, 0)
        )
        for race in races
    ]


def _summary(
    race: Race, candidates: list[Candidate], totals: dict[int, int], precincts: int
) -> RaceSummary:
    ranked = sorted(candidates, key=lambda c: (-totals.get(c.pk, 0), c.name))
    total = sum(totals.values())
    record_winners = set(race.count_record.get("winners", [])) if race.count_record else None
    lines = []
    for rank, found in enumerate(ranked):
        votes = totals.get(found.pk, 0)
        won = (
            found.name in record_winners
            if record_winners is not None
            else rank < race.seats and votes > 0
        )
        lines.append(
            CandidateResult(
                candidate=found,
                votes=votes,
                share=_percent(votes, total) if total else None,
                won=won,
            )
        )
    return RaceSummary(race=race, lines=lines, total_votes=total, precincts=precincts)


def precinct_results(
    summary: RaceSummary, limit: int = 500
) -> list[tuple[str, list[tuple[str, int]]]]:
    """Return [(precinct, [(candidate name, votes), ...] in the summary's order)] for a race
    reported by precinct; empty when it was reported only as totals."""
    order = {line.candidate.pk: n for n, line in enumerate(summary.lines)}
    table: dict[str, list[int]] = {}
    for precinct, candidate_id, votes in summary.race.result_lines.exclude(precinct="").values_list(
        "precinct", "candidate_id", "votes"
    ):
        if precinct not in table and len(table) >= limit:
            continue
        # Fusion voting: a candidate's lines in one precinct add up.
        table.setdefault(precinct, [0] * len(order))[order[candidate_id]] += votes
    names = [line.candidate.name for line in summary.lines]
    return [
        (precinct, list(zip(names, votes, strict=True)))
        for precinct, votes in sorted(table.items(), key=lambda i: (len(i[0]), i[0]))
    ]


@dataclass(frozen=True)
class PrecinctDelivery:
    """One precinct: the line's votes for its candidate, against the precinct's margin."""

    precinct: str
    line_votes: int
    candidate_votes: int
    margin: int  # the candidate's votes minus the best opponent's; negative where they lost

    @property
    def decisive(self) -> bool:
        """True where the candidate carried the precinct only thanks to the line."""
        return 0 <= self.margin < self.line_votes


@dataclass
class LineDelivery:
    """What one ballot line delivered in a race, against the margin (fusion voting).

    `candidate` is the one who got the most votes on the line; `margin` is their votes minus
    their nearest rival's (the first loser's when they won), so a line whose votes are more
    than a winner's margin decided the race.
    """

    line: str
    summary: RaceSummary
    candidate: CandidateResult
    line_votes: int
    margin: int
    precincts: list[PrecinctDelivery]

    @property
    def decisive(self) -> bool:
        return 0 <= self.margin < self.line_votes

    @property
    def lost_by(self) -> int:
        return max(0, -self.margin)

    @property
    def share_of_candidate(self) -> Decimal | None:
        return _percent(self.line_votes, self.candidate.votes) if self.candidate.votes else None


def ballot_lines(races: list[Race]) -> list[str]:
    """Return the ballot lines of *races*, fusion lines first (the ones a coalition runs)."""
    lines = set(
        ResultLine.objects.filter(race__in=races)
        .exclude(line="")
        .values_list("line", flat=True)
        .distinct()
    )
    fusion = {
        line
        for lines_of in Candidate.objects.filter(race__in=races).values_list(
            "fusion_lines", flat=True
        )
        for line in lines_of or []
    }
    return sorted(lines, key=lambda line: (line not in fusion, line))


def line_delivery(summary: RaceSummary, line: str, limit: int = 500) -> LineDelivery | None:
    """Return what *line* delivered in the race of *summary*, or None if no votes were on it."""
    rows = summary.race.result_lines.values_list("precinct", "candidate_id", "votes", "line")
    return _delivery(summary, line, list(rows), limit)


def election_line_deliveries(summaries: list[RaceSummary], line: str) -> list[LineDelivery]:
    """Return, race by race (district by district), what *line* delivered; one query."""
    rows: dict[int, list[tuple]] = {}
    for race_id, *row in ResultLine.objects.filter(
        race__in=[summary.race for summary in summaries]
    ).values_list("race_id", "precinct", "candidate_id", "votes", "line"):
        rows.setdefault(race_id, []).append(tuple(row))
    found = (
        _delivery(summary, line, rows.get(summary.race.pk, []), limit=0) for summary in summaries
    )
    return [delivery for delivery in found if delivery is not None]


def _delivery(
    summary: RaceSummary, line: str, rows: list[tuple], limit: int
) -> LineDelivery | None:
    by_candidate: dict[int, int] = {}
    for _, candidate_id, votes, each_line in rows:
        if each_line == line:
            by_candidate[candidate_id] = by_candidate.get(candidate_id, 0) + votes
    if not by_candidate:
        return None
    chosen_id = max(by_candidate, key=lambda candidate_id: by_candidate[candidate_id])
    chosen = next(result for result in summary.lines if result.candidate.pk == chosen_id)
    rivals = [result.votes for result in summary.lines if result.candidate.pk != chosen_id]
    return LineDelivery(
        line=line,
        summary=summary,
        candidate=chosen,
        line_votes=by_candidate[chosen_id],
        margin=chosen.votes - max(rivals, default=0),
        precincts=_precinct_deliveries(rows, line, chosen_id)[:limit],
    )


def _precinct_deliveries(rows: list[tuple], line: str, chosen_id: int) -> list[PrecinctDelivery]:
    by_precinct: dict[str, dict[int, int]] = {}
    on_line: dict[str, int] = {}
    for precinct, candidate_id, votes, each_line in rows:
        if not precinct:
            continue
        counts = by_precinct.setdefault(precinct, {})
        counts[candidate_id] = counts.get(candidate_id, 0) + votes
        if each_line == line and candidate_id == chosen_id:
            on_line[precinct] = on_line.get(precinct, 0) + votes
    return [
        PrecinctDelivery(
            precinct=precinct,
            line_votes=on_line.get(precinct, 0),
            candidate_votes=counts.get(chosen_id, 0),
            margin=counts.get(chosen_id, 0)
            - max((v for c, v in counts.items() if c != chosen_id), default=0),
        )
        for precinct, counts in sorted(by_precinct.items(), key=lambda i: (len(i[0]), i[0]))
    ]


def primary_results(actor: Actor, *, kind: str, party: str = "") -> dict[str, RaceSummary]:
    """Return, per district code of *kind*, the summary of its latest primary race with results.

    For the power map: imported results give the last primary's real turnout and margin.
    Reading it needs only the power map's own permission.
    """
    races = access.scoped(actor, Race.objects.select_related("election", "district"))
    found = races.filter(
        election__kind=Election.Kind.PRIMARY,
        district__kind=kind,
        pk__in=ResultLine.objects.values("race_id"),
    ).order_by("-election__date", "pk")
    if party:
        found = found.filter(party=party.upper())
    latest: dict[str, Race] = {}
    for each in found:
        latest.setdefault(_district_code(each), each)
    return {
        _district_code(summary.race): summary for summary in race_summaries(list(latest.values()))
    }


def _district_code(race: Race) -> str:
    assert race.district is not None, "the query keeps only races with a district"
    return race.district.code


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The candidate pipeline --------------------------------------------------------------------


def pipeline(actor: Actor) -> QuerySet[PipelineEntry]:
    access.require(actor, VIEW)
    return access.scoped(
        actor,
        PipelineEntry.objects.select_related("person", "race", "person__ladder_standing__level"),
    )


def graduates_from_the_base(actor: Actor, limit: int = 50) -> list:
    """Democracy School graduates not in the candidate pipeline yet: the pipeline's view of
    who the school is bringing up from the base (newest graduates first)."""
    if not actor.can("education.view"):
        return []
    in_pipeline = access.scoped(actor, PipelineEntry.objects.all()).values("person_id")
    return list(school_queries.graduates(actor).exclude(person_id__in=in_pipeline)[:limit])


def pipeline_entry(actor: Actor, entry_id: int) -> PipelineEntry:
    access.require(actor, VIEW)
    return access.get(
        actor,
        PipelineEntry.objects.select_related("person", "race", "person__ladder_standing__level"),
        pk=entry_id,
    )


def pipeline_by_stage(actor: Actor) -> list[tuple[str, str, list[PipelineEntry]]]:
    """Return (stage, label, entries) for every stage, in pipeline order."""
    entries = list(pipeline(actor))
    return [
        (value, label, [entry for entry in entries if entry.stage == value])
        for value, label in PipelineEntry.Stage.choices
    ]


@dataclass(frozen=True)
class Development:
    """What a person in the pipeline has done: ladder moves and actions (trainings first)."""

    ladder_moves: list[LadderMove]
    trainings: list[Attendance]
    other_actions: list[Attendance]


def development(actor: Actor, entry: PipelineEntry) -> Development:
    """Return the ladder history and the actions attended of *entry*'s person.

    Trainings are the actions of kind 'training' the person attended; every Democracy School
    session is one.
    """
    moves = list(
        access.scoped(actor, LadderMove.objects.filter(person=entry.person))
        .select_related("from_level", "to_level")
        .order_by("moved_on", "id")
    )
    attended = list(
        access.scoped(actor, Attendance.objects.filter(person=entry.person))
        .select_related("action")
        .order_by("-action__starts_at")[:50]
    )
    trainings = [a for a in attended if a.action.kind == "training"]
    others = [a for a in attended if a.action.kind != "training"]
    return Development(ladder_moves=moves, trainings=trainings, other_actions=others)


# Endorsements ------------------------------------------------------------------------------


def endorsement_processes(actor: Actor) -> list[EndorsementProcess]:
    access.require(actor, VIEW)
    found = access.scoped(
        actor,
        EndorsementProcess.objects.select_related(
            "race", "race__election", "recommended", "endorsement_vote", "endorsement_vote__vote"
        ),
    )
    return [outcome(process) for process in found]


def endorsement_process(actor: Actor, process_id: int) -> EndorsementProcess:
    access.require(actor, VIEW)
    process = access.get(
        actor,
        EndorsementProcess.objects.select_related(
            "race",
            "race__election",
            "recommended",
            "endorsement_vote",
            "endorsement_vote__vote",
            "endorsement_vote__vote__result",
        ).prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("platform_demand__plank").prefetch_related(
                    "responses__candidate"
                ),
            ),
            "interviews__candidate",
            "pledged_demands",
        ),
        pk=process_id,
    )
    return outcome(process)


def platform_demands(actor: Actor) -> QuerySet[Demand]:
    """The organization's platform demands a question can be tied to (none for a role that may
    not read the legislature app)."""
    if not actor.can("legislature.view"):
        return Demand.objects.none()
    return access.scoped(
        actor,
        Demand.objects.select_related("plank__version__platform").order_by(
            "plank__version__platform__title",
            "-plank__version__number",
            "plank__order",
            "order",
            "id",
        ),
    )


def questionnaire_demands(process: EndorsementProcess) -> QuerySet[Demand]:
    """The platform demands the questionnaire asks about: what a candidate can pledge."""
    return (
        Demand.objects.filter(organization_id=process.organization_id, questions__process=process)
        .distinct()
        .order_by("pk")
    )


@dataclass
class PledgesInOffice:
    """The endorsed candidate as an official of the legislature app, and which of the pledged
    demands are recorded as that official's pledges."""

    official: Official | None
    recorded: list[Demand] = field(default_factory=list)
    waiting: list[Demand] = field(default_factory=list)


def pledges_in_office(actor: Actor, process: EndorsementProcess) -> PledgesInOffice:
    access.require(actor, VIEW)
    official = endorsed_official(process) if actor.can("legislature.view") else None
    if official is None:
        return PledgesInOffice(official=None)
    pledged = set(Pledge.objects.filter(official=official).values_list("demand_id", flat=True))
    demands = list(process.pledged_demands.all())
    return PledgesInOffice(
        official=official,
        recorded=[d for d in demands if d.pk in pledged],
        waiting=[d for d in demands if d.pk not in pledged],
    )


# The person's story ------------------------------------------------------------------------


def events_for_person(actor: Actor, person, seen, *, kinds: frozenset[str], limit: int) -> list:
    """Return *person*'s candidacies and their steps through the candidate pipeline."""
    if "candidacy" not in kinds or not actor.can("electoral.view"):
        return []
    org = actor.organization.slug
    ran = (
        access.scoped(actor, Candidate.objects.filter(person=person))
        .select_related("race__election")
        .order_by("-race__election__date", "-id")[:limit]
    )
    events = [
        Event(
            at=at_day(candidate.race.election.date),
            kind="candidacy",
            title=f"On the ballot for {candidate.race.office} ({candidate.race.election.name})",
            detail=candidate.party,
            url=reverse("electoral:race", kwargs={"org": org, "race_id": candidate.race_id}),
        )
        for candidate in ran
    ]
    steps = (
        access.scoped(actor, PipelineStep.objects.filter(entry__person=person))
        .select_related("entry")
        .order_by("-on", "-id")[:limit]
    )
    events += [
        Event(
            at=at_day(step.on),
            kind="candidacy",
            title=f"Pipeline: {step.get_stage_display()} (aiming at {step.entry.target_office})",
            detail=step.note,
            url=reverse("electoral:pipeline_entry", kwargs={"org": org, "entry_id": step.entry_id}),
        )
        for step in steps
    ]
    return events
