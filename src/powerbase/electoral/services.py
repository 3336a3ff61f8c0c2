"""Write operations of the electoral app. Each checks access, runs in one transaction and is
audited.

Sections: elections and races; results (CSV import, ranked-choice counts); the candidate
pipeline; endorsements.
"""

import tempfile
from datetime import date
from pathlib import Path

from django.db import transaction

from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.democracy import services as democracy
from powerbase.democracy.models import Electorate, Endorsement
from powerbase.democracy.tabulation import (
    BallotFileError,
    Rules,
    TabulationError,
    read_ballots_csv,
    tabulate,
)
from powerbase.electoral.models import (
    Candidate,
    Election,
    EndorsementProcess,
    Interview,
    PipelineEntry,
    PipelineStep,
    Question,
    Race,
    Response,
    ResultLine,
)
from powerbase.electoral.results import MAX_VOTES, import_results  # noqa: F401 - re-exported
from powerbase.legislature import services as legislature
from powerbase.legislature.models import Demand, Official, Pledge
from powerbase.people.models import Person
from powerbase.voterfile.models import District

MANAGE = "electoral.manage"


# Elections and races -----------------------------------------------------------------------


def create_election(*, actor: Actor, name: str, date: date, kind: str, notes: str = "") -> Election:
    """Add an election day."""
    access.require(actor, MANAGE)
    name = name.strip()
    if not name:
        raise InvalidInput(
            "An election needs a name, e.g. 'Democratic primary 2024'.", field="name"
        )
    if kind not in Election.Kind.values:
        raise InvalidInput(
            f"'{kind}' is not a kind of election; choose one of: {', '.join(Election.Kind.values)}."
        )
    if Election.objects.filter(organization=actor.organization, name=name).exists():
        raise Conflict(f"There is already an election called '{name}'.", field="name")
    with transaction.atomic():
        election = Election.objects.create(
            organization=actor.organization, name=name, date=date, kind=kind, notes=notes
        )
        audit.record(
            actor,
            "election.created",
            election,
            changes={"name": [None, name], "date": [None, str(date)], "kind": [None, kind]},
        )
    return election


def create_race(
    *,
    actor: Actor,
    election: Election,
    office: str,
    district: District | None = None,
    seats: int = 1,
    party: str = "",
    ranked_choice: bool = False,
    eligible_voters: int | None = None,
    ballots_cast: int | None = None,
) -> Race:
    """Add a race to *election*."""
    access.require(actor, MANAGE, election)
    access.require_same_organization(actor, election, district)
    office = office.strip()
    if not office:
        raise InvalidInput(
            "A race needs an office, e.g. 'State Senate District 10'.", field="office"
        )
    if seats < 1:
        raise InvalidInput("A race elects at least one person.", field="seats")
    if election.races.filter(office=office).exists():
        raise Conflict(f"{election} already has a race for {office}.", field="office")
    with transaction.atomic():
        race = Race.objects.create(
            organization=actor.organization,
            election=election,
            office=office,
            district=district,
            seats=seats,
            party=party.strip().upper(),
            ranked_choice=ranked_choice,
            eligible_voters=eligible_voters,
            ballots_cast=ballots_cast,
        )
        audit.record(
            actor,
            "race.created",
            race,
            changes={"office": [None, office], "seats": [None, seats], "party": [None, race.party]},
        )
    return race


def add_candidate(
    *,
    actor: Actor,
    race: Race,
    name: str,
    person: Person | None = None,
    incumbent: bool = False,
    party: str = "",
    fusion_lines: list[str] | None = None,
) -> Candidate:
    """Put a candidate on *race*'s ballot, linked to a person in the base if they come from it."""
    access.require(actor, MANAGE, race)
    access.require_same_organization(actor, race, person)
    name = name.strip()
    if not name:
        raise InvalidInput("A candidate needs a name as printed on the ballot.")
    if race.candidates.filter(name=name).exists():
        raise Conflict(f"{name} is already a candidate in {race.office}.")
    lines = [line.strip().upper() for line in fusion_lines or [] if line.strip()]
    with transaction.atomic():
        candidate = Candidate.objects.create(
            organization=actor.organization,
            race=race,
            name=name,
            person=person,
            incumbent=incumbent,
            party=party.strip().upper(),
            fusion_lines=lines,
        )
        audit.record(
            actor,
            "candidate.created",
            candidate,
            changes={
                "name": [None, name],
                "race": [None, str(race)],
                "incumbent": [None, incumbent],
                "person": [None, person.pk if person else None],
            },
        )
    return candidate


# Results -----------------------------------------------------------------------------------
# Importing results files lives in results.py; counting ranked ballots stays here.


def count_ranked_ballots(*, actor: Actor, race: Race, file_name: str, content: bytes) -> dict:
    """Count a ranked-choice race from its ballots (the democracy counting engine: IRV or STV).

    The ballot file is the counting engine's CSV: rank1, rank2, ... and optional weight and
    count. First choices become the race's result lines; the round-by-round record is kept on
    the race. A bad cell stops the count with its file, row and column; nothing is written.
    """
    access.require(actor, MANAGE, race)
    access.require_same_organization(actor, race)
    if not race.ranked_choice:
        raise Conflict(
            f"{race.office} is not a ranked-choice race; import its results as "
            "votes per candidate instead."
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(file_name).name
        path.write_bytes(content.replace(b"\x00", b""))  # names go into PostgreSQL text
        try:
            ballots = read_ballots_csv(path)
            method = "irv" if race.seats == 1 else "stv"
            result = tabulate(method, ballots.ballots, Rules(seats=race.seats))
        except BallotFileError as error:
            raise RowError(
                file=file_name, row=error.row or 1, column=error.column or "", problem=error.problem
            ) from None
        except TabulationError as error:
            raise InvalidInput(f"{file_name}: {error}") from None
    record = result.to_dict()
    first_round = record["rounds"][0]["tally"] if record["rounds"] else {}
    with transaction.atomic():
        race.result_lines.all().delete()
        for name, votes in first_round.items():
            candidate, _ = Candidate.objects.get_or_create(
                organization=actor.organization, race=race, name=name
            )
            ResultLine.objects.create(
                organization=actor.organization,
                race=race,
                candidate=candidate,
                votes=int(float(votes)),
            )
        race.count_record = record
        race.ballots_cast = record["ballots"]
        race.save(update_fields=["count_record", "ballots_cast"])
        audit.record(
            actor,
            "race.counted",
            race,
            changes={"file": file_name, "ballots": record["ballots"], "winners": record["winners"]},
        )
    return record


# The candidate pipeline --------------------------------------------------------------------


def add_to_pipeline(
    *,
    actor: Actor,
    person: Person,
    target_office: str,
    stage: str = PipelineEntry.Stage.IDENTIFIED,
    on: date | None = None,
    notes: str = "",
) -> PipelineEntry:
    """Put a person from the base in the candidate pipeline, at *stage*."""
    access.require(actor, MANAGE, person)
    access.require_same_organization(actor, person)
    if not target_office.strip():
        raise InvalidInput(
            "Say which office they could run for, e.g. 'State House District 94'.",
            field="target_office",
        )
    if PipelineEntry.objects.filter(person=person).exists():
        raise Conflict(f"{person} is already in the candidate pipeline.", field="person")
    _check_stage(stage)
    with transaction.atomic():
        entry = PipelineEntry.objects.create(
            organization=actor.organization,
            person=person,
            stage=stage,
            target_office=target_office.strip(),
            notes=notes,
        )
        step = PipelineStep(
            organization=actor.organization, entry=entry, stage=stage, recorded_by=actor.user
        )
        if on is not None:
            step.on = on
        step.save()
        audit.record(
            actor,
            "pipeline.added",
            entry,
            changes={
                "person": [None, person.pk],
                "stage": [None, stage],
                "target_office": [None, entry.target_office],
            },
        )
    return entry


def move_in_pipeline(
    *,
    actor: Actor,
    entry: PipelineEntry,
    stage: str,
    on: date | None = None,
    note: str = "",
    race: Race | None = None,
    target_office: str = "",
) -> PipelineEntry:
    """Move a pipeline entry to *stage* on *on* (today by default), keeping the history."""
    access.require(actor, MANAGE, entry)
    access.require_same_organization(actor, entry, race)
    _check_stage(stage)
    with transaction.atomic():
        current = PipelineEntry.objects.select_for_update().get(pk=entry.pk)
        before = current.stage
        current.stage = stage
        if race is not None:
            current.race = race
        if target_office.strip():
            current.target_office = target_office.strip()
        current.save()
        step = PipelineStep(
            organization=actor.organization,
            entry=current,
            stage=stage,
            note=note[:300],
            recorded_by=actor.user,
        )
        if on is not None:
            step.on = on
        step.save()
        audit.record(
            actor, "pipeline.moved", current, changes={"stage": [before, stage], "on": str(step.on)}
        )
        if stage in TAKING_OFFICE and actor.can(LEGISLATURE_MANAGE):
            for process in _endorsements_of(current.person_id):
                carry_pledges(actor=actor, process=process)
    return current


# Once in office, an endorsed candidate's pledges become the official's.
TAKING_OFFICE = {PipelineEntry.Stage.ELECTED, PipelineEntry.Stage.GOVERNING}


def _endorsements_of(person_id: int) -> list[EndorsementProcess]:
    # The stage follows the vote's published result lazily, so read it through outcome().
    return [
        outcome(process)
        for process in EndorsementProcess.objects.filter(
            recommended__person_id=person_id, endorsement_vote__isnull=False
        ).select_related("race", "recommended", "endorsement_vote")
    ]


def _check_stage(stage: str) -> None:
    if stage not in PipelineEntry.Stage.values:
        raise InvalidInput(
            f"'{stage}' is not a stage of the pipeline; choose one of: "
            f"{', '.join(PipelineEntry.Stage.values)}."
        )


# Endorsements ------------------------------------------------------------------------------


def open_endorsement(
    *, actor: Actor, race: Race, questions: list[str] | None = None
) -> EndorsementProcess:
    """Start the endorsement process for *race*, with its questionnaire."""
    access.require(actor, MANAGE, race)
    access.require_same_organization(actor, race)
    if EndorsementProcess.objects.filter(race=race).exists():
        raise Conflict(f"{race.office} already has an endorsement process.")
    with transaction.atomic():
        process = EndorsementProcess.objects.create(organization=actor.organization, race=race)
        for text in questions or []:
            _add_question(actor, process, text)
        audit.record(
            actor,
            "endorsement_process.opened",
            process,
            changes={"race": [None, str(race)], "questions": len(questions or [])},
        )
    return process


def add_question(
    *,
    actor: Actor,
    process: EndorsementProcess,
    text: str,
    demand: str = "",
    platform_demand: Demand | None = None,
) -> Question:
    """Add a question to the questionnaire: free text, optionally about a demand of the
    platform (whose title then stands for *demand* unless that is given)."""
    access.require(actor, MANAGE, process)
    access.require_same_organization(actor, process, platform_demand)
    with transaction.atomic():
        question = _add_question(actor, process, text, demand, platform_demand)
        audit.record(
            actor,
            "endorsement_question.added",
            question,
            changes={
                "text": [None, question.text],
                "platform_demand": [None, platform_demand and platform_demand.pk],
            },
        )
    return question


def _add_question(
    actor: Actor,
    process: EndorsementProcess,
    text: str,
    demand: str = "",
    platform_demand: Demand | None = None,
) -> Question:
    if not text.strip():
        raise InvalidInput("A question needs its text.")
    if platform_demand is not None and not demand.strip():
        demand = platform_demand.title
    order = process.questions.count() + 1
    return Question.objects.create(
        organization=actor.organization,
        process=process,
        order=order,
        text=text.strip(),
        demand=demand.strip()[:300],
        platform_demand=platform_demand,
    )


def record_response(
    *, actor: Actor, question: Question, candidate: Candidate, answer: str
) -> Response:
    """Record (or replace) a candidate's answer to a question."""
    access.require(actor, MANAGE, question)
    access.require_same_organization(actor, question, candidate)
    _same_race(question.process, candidate)
    if not answer.strip():
        raise InvalidInput("The answer is empty.")
    with transaction.atomic():
        response, created = Response.objects.update_or_create(
            organization=actor.organization,
            question=question,
            candidate=candidate,
            defaults={"answer": answer.strip()},
        )
        audit.record(
            actor,
            "endorsement_response." + ("recorded" if created else "changed"),
            response,
            changes={"candidate": candidate.name},
        )
    return response


def record_interview(
    *,
    actor: Actor,
    process: EndorsementProcess,
    candidate: Candidate,
    notes: str,
    held_on: date | None = None,
) -> Interview:
    """Keep the committee's notes of an interview with a candidate."""
    access.require(actor, MANAGE, process)
    access.require_same_organization(actor, process, candidate)
    _same_race(process, candidate)
    if not notes.strip():
        raise InvalidInput("Write down what was said in the interview.")
    with transaction.atomic():
        interview = Interview(
            organization=actor.organization,
            process=process,
            candidate=candidate,
            notes=notes.strip(),
            written_by=actor.user,
        )
        if held_on is not None:
            interview.held_on = held_on
        interview.save()
        if process.stage == EndorsementProcess.Stage.QUESTIONNAIRE:
            EndorsementProcess.objects.filter(pk=process.pk).update(
                stage=EndorsementProcess.Stage.INTERVIEWS
            )
        audit.record(
            actor,
            "endorsement_interview.recorded",
            interview,
            changes={"candidate": candidate.name},
        )
    return interview


def recommend(
    *, actor: Actor, process: EndorsementProcess, candidate: Candidate, reasons: str
) -> EndorsementProcess:
    """Record the committee's recommendation of *candidate*."""
    access.require(actor, MANAGE, process)
    access.require_same_organization(actor, process, candidate)
    _same_race(process, candidate)
    if process.endorsement_vote_id is not None:
        raise Conflict("The endorsement is already put to a vote; the recommendation stands.")
    with transaction.atomic():
        process.recommended = candidate
        process.recommendation = reasons.strip()
        process.stage = EndorsementProcess.Stage.RECOMMENDED
        process.save(update_fields=["recommended", "recommendation", "stage"])
        audit.record(
            actor, "endorsement.recommended", process, changes={"candidate": candidate.name}
        )
    return process


def put_endorsement_to_vote(
    *,
    actor: Actor,
    process: EndorsementProcess,
    electorate: Electorate,
    required: str = "60%",
    share_of: str = "electorate",
) -> EndorsementProcess:
    """Put the committee's recommendation to the members: a democracy vote with a threshold.

    The vote is set up as a draft in the democracy app, which opens, counts and publishes it;
    its published result decides the endorsement.
    """
    access.require(actor, MANAGE, process)
    access.require_same_organization(actor, process, electorate)
    if process.recommended is None:
        raise Conflict("The committee has not recommended a candidate yet.")
    if process.endorsement_vote_id is not None:
        raise Conflict("This endorsement is already put to a vote.")
    with transaction.atomic():
        vote = democracy.create_endorsement_vote(
            actor=actor,
            endorsee=process.recommended.name,
            office=process.race.office,
            electorate=electorate,
            required=required,
            share_of=share_of,
        )
        return _attach_vote(actor, process, vote)


def link_endorsement_vote(
    *, actor: Actor, process: EndorsementProcess, endorsement_vote: Endorsement
) -> EndorsementProcess:
    """Link an endorsement vote already set up in the democracy app to this process."""
    access.require(actor, MANAGE, process)
    access.require_same_organization(actor, process, endorsement_vote)
    if process.endorsement_vote_id is not None:
        raise Conflict("This endorsement is already put to a vote.")
    if EndorsementProcess.objects.filter(endorsement_vote=endorsement_vote).exists():
        raise Conflict("That vote already decides another endorsement.")
    with transaction.atomic():
        return _attach_vote(actor, process, endorsement_vote)


def _attach_vote(
    actor: Actor, process: EndorsementProcess, vote: Endorsement
) -> EndorsementProcess:
    process.endorsement_vote = vote
    process.stage = EndorsementProcess.Stage.VOTING
    process.save(update_fields=["endorsement_vote", "stage"])
    audit.record(
        actor,
        "endorsement.put_to_vote",
        process,
        changes={"vote": vote.vote_id, "endorsee": vote.endorsee},
    )
    return outcome(process)


def outcome(process: EndorsementProcess) -> EndorsementProcess:
    """Bring the process's stage in line with its vote's published result (read-only safe)."""
    vote = process.endorsement_vote
    if vote is None or vote.passed is None:
        return process
    stage = (
        EndorsementProcess.Stage.ENDORSED if vote.passed else EndorsementProcess.Stage.NOT_ENDORSED
    )
    if process.stage != stage:
        EndorsementProcess.objects.filter(pk=process.pk).update(stage=stage)
        process.stage = stage
    return process


def record_pledges(
    *, actor: Actor, process: EndorsementProcess, pledges: str, demands: list[Demand] | None = None
) -> EndorsementProcess:
    """Record what the endorsed candidate pledged: their words, and which of the
    questionnaire's platform demands they committed to.

    If the candidate already holds office (an official in the legislature app) and the actor
    may manage the legislature, the demands are recorded as the official's pledges at once;
    otherwise `carry_pledges` does it when they take office.
    """
    access.require(actor, MANAGE, process)
    access.require_same_organization(actor, process, *(demands or []))
    process = outcome(process)
    if process.stage != EndorsementProcess.Stage.ENDORSED:
        raise Conflict("Pledges are recorded once the members have voted to endorse.")
    asked = set(
        process.questions.exclude(platform_demand=None).values_list("platform_demand_id", flat=True)
    )
    for demand in demands or []:
        if demand.pk not in asked:
            raise InvalidInput(
                f"“{demand}” is not a demand of this questionnaire; add a question about it first."
            )
    with transaction.atomic():
        before = process.pledges
        process.pledges = pledges.strip()
        process.save(update_fields=["pledges"])
        if demands is not None:
            process.pledged_demands.set(demands)
        audit.record(
            actor,
            "endorsement.pledges_recorded",
            process,
            changes={
                "pledges": [before, process.pledges],
                "demands": sorted(d.pk for d in demands or []),
            },
        )
        if actor.can(LEGISLATURE_MANAGE):
            carry_pledges(actor=actor, process=process)
    return process


LEGISLATURE_MANAGE = "legislature.manage"


def endorsed_official(process: EndorsementProcess) -> Official | None:
    """Return the official the endorsed candidate now is, if the legislature app has them.

    Matched by name (accents, case and punctuation aside), among current officials; where
    several share the name, the one seated in the race's district (`_seated_in`). None when
    not endorsed, not (yet) an official, or ambiguous.
    """
    candidate = process.recommended
    if process.stage != EndorsementProcess.Stage.ENDORSED or candidate is None:
        return None
    wanted = legislature.fold(candidate.name)
    found = [
        official
        for official in Official.objects.filter(
            organization_id=process.organization_id, is_current=True
        )
        if wanted
        in {
            legislature.fold(official.name),
            legislature.fold(f"{official.given_name} {official.family_name}"),
        }
    ]
    if len(found) > 1:
        found = [o for o in found if _seated_in(o, process.race)]
    return found[0] if len(found) == 1 else None


def _seated_in(official: Official, race: Race) -> bool:
    """Whether *official* sits for the race's district: the voter-file district where both
    have one, else the seat number ending the office ('State Senate District 10')."""
    if race.district_id is not None and official.district_id is not None:
        return official.district_id == race.district_id
    words = race.office.split()
    number = words[-1].lstrip("0") if words and words[-1].isdigit() else None
    return number is not None and official.district_code.lstrip("0") == number


def carry_pledges(*, actor: Actor, process: EndorsementProcess) -> list[Pledge]:
    """Record the endorsed candidate's pledged demands as legislature pledges of the official
    they now are; demands the official has pledged already are left as they are. Returns the
    new pledges (none if the candidate holds no office the legislature app knows)."""
    access.require(actor, MANAGE, process)
    access.require(actor, LEGISLATURE_MANAGE)
    access.require_same_organization(actor, process)
    official = endorsed_official(outcome(process))
    if official is None:
        return []
    already = set(Pledge.objects.filter(official=official).values_list("demand_id", flat=True))
    answers = dict(
        Response.objects.filter(
            question__process=process,
            candidate=process.recommended,
            question__platform_demand__isnull=False,
        ).values_list("question__platform_demand_id", "answer")
    )
    added = []
    with transaction.atomic():
        for demand in process.pledged_demands.order_by("pk"):
            if demand.pk in already:
                continue
            notes = answers.get(demand.pk) or process.pledges
            added.append(
                legislature.record_pledge(
                    actor=actor,
                    official=official,
                    demand=demand,
                    source=Pledge.Source.QUESTIONNAIRE,
                    notes=f"Endorsement questionnaire, {process.race.office}: {notes}",
                )
            )
    return added


def _same_race(process: EndorsementProcess, candidate: Candidate) -> None:
    if candidate.race_id != process.race_id:
        raise InvalidInput(f"{candidate.name} is not a candidate in {process.race.office}.")
