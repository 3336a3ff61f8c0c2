"""Every write of the field program: universes, turf cutting, volunteer links, door results.

    universe = save_universe(actor=director, name="HD 94 primary voters", filters={...})
    turfs = cut_turfs(actor=director, universe=universe, doors_per_turf=60)
    link, token = create_link(actor=organizer, turf=turfs[0], label="Jo")
    record_attempt(actor=canvasser, door=door, result="talked", support=5)   # signed in
    record_attempt(link=link, door=door, result="not_home")                  # volunteer link

The command line and the demo act as `access.command_line(org)` and `access.system(org)`.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.jobs import Progress
from powerbase.core.models import Job, Membership, Organization
from powerbase.field import universes, walking
from powerbase.field.models import (
    SUPPORT_SCORES,
    Attempt,
    CanvassLink,
    Door,
    Turf,
    Universe,
    default_support_labels,
    default_supporter_scores,
)
from powerbase.voterfile import store
from powerbase.voterfile.models import VoterFileVersion

MANAGE, CANVASS = "electoral.manage", "field.canvass"
MIN_DOORS, MAX_DOORS = 5, 500
# A universe with more doors than this is cut by a background job, not in the request.
INLINE_CUT_DOORS = 5_000
# Turf is for districts, not states: past this, narrow the universe first.
MAX_CUT_DOORS = 100_000
CUT_JOB = "field.cut_turfs"
LINK_DAYS = 14
_LINK_SALT = "powerbase.field.canvass-link"
SURVEY_MAX_QUESTIONS = 10


def current_version(organization: Organization) -> VoterFileVersion:
    """Return the voter file version in use, or raise InvalidInput saying to import one."""
    version = VoterFileVersion.objects.filter(organization=organization).current()
    if version is None:
        raise InvalidInput("There is no voter file yet: import one before building universes.")
    return version


def count_universe(organization: Organization, chosen: universes.UniverseFilter) -> dict:
    """Return the voters, doors and members *chosen* keeps in the voter file in use."""
    version = current_version(organization)
    with store.reading(version) as con:
        return universes.counts(con, chosen, universes.base_table(organization))


def parse_survey(text: str) -> list[dict]:
    """Read survey questions, one a line: 'Question? | choice | choice' (choices optional)."""
    questions = []
    for number, line in enumerate((line for line in text.splitlines() if line.strip()), 1):
        question, *choices = [part.strip() for part in line.split("|")]
        if not question:
            raise InvalidInput(f"Survey line {number}: the question is empty.", field="survey")
        questions.append(
            {
                "key": f"q{number}",
                "question": question[:300],
                "choices": [choice[:100] for choice in choices if choice],
            }
        )
    if len(questions) > SURVEY_MAX_QUESTIONS:
        raise InvalidInput(
            f"A survey holds at most {SURVEY_MAX_QUESTIONS} questions; "
            f"this one has {len(questions)}.",
            field="survey",
        )
    return questions


def parse_support_labels(text: str) -> list[str]:
    """Read the labels of support scores 1 to 5, one a line; blank means the usual labels."""
    labels = [line.strip()[:40] for line in text.splitlines() if line.strip()]
    if not labels:
        return default_support_labels()
    if len(labels) != len(SUPPORT_SCORES):
        raise InvalidInput(
            f"Field 'support_labels': give {len(SUPPORT_SCORES)} labels, one a "
            f"line for scores 1 to 5; got {len(labels)}.",
            field="support_labels",
        )
    return labels


def parse_supporter_scores(scores) -> list[int]:
    """Read which scores count as supporters; none chosen means the usual 1 and 2."""
    try:
        chosen = sorted({int(score) for score in scores or ()})
    except (TypeError, ValueError):
        raise InvalidInput(
            f"Field 'supporter_scores': expected scores 1 to 5, got {scores!r}.",
            field="supporter_scores",
        ) from None
    if any(score not in SUPPORT_SCORES for score in chosen):
        raise InvalidInput(
            f"Field 'supporter_scores': {chosen} are not all scores 1 to 5.",
            field="supporter_scores",
        )
    if len(chosen) == len(SUPPORT_SCORES):
        raise InvalidInput(
            "Field 'supporter_scores': if every score is a supporter, the "
            "count means nothing; leave out the opposing ones.",
            field="supporter_scores",
        )
    return chosen or default_supporter_scores()


def save_universe(
    *,
    actor: Actor,
    name: str,
    filters: dict,
    survey: str = "",
    daily_goal: int = 0,
    script: str = "",
    support_labels: str = "",
    supporter_scores=(),
    universe: Universe | None = None,
) -> Universe:
    """Create or change a universe, counting its voters and doors in the voter file in use.

    *script* is what canvassers say at the door; *support_labels* (five lines) relabels the
    support scale and *supporter_scores* says which scores count as supporters (by default
    1 Strong support and 2 Lean support).
    """
    access.require(actor, MANAGE)
    access.require_same_organization(actor, universe)
    organization = actor.organization
    name = name.strip()
    if not name:
        raise InvalidInput("Field 'name': give the universe a name.", field="name")
    chosen = universes.UniverseFilter.from_dict(filters)
    questions = parse_survey(survey)
    labels = parse_support_labels(support_labels)
    supporters = parse_supporter_scores(supporter_scores)
    found = count_universe(organization, chosen)
    with transaction.atomic():
        duplicate = Universe.objects.filter(organization=organization, name=name)
        if universe is not None:
            duplicate = duplicate.exclude(pk=universe.pk)
        if duplicate.exists():
            raise InvalidInput(
                f"Field 'name': a universe called '{name}' already exists.", field="name"
            )
        created = universe is None
        if universe is None:
            universe = Universe(organization=organization, created_by=actor.user)
        universe.name, universe.filters, universe.survey = name, chosen.to_dict(), questions
        universe.daily_goal = max(0, int(daily_goal or 0))
        universe.script = (script or "").strip()[:5000]
        universe.support_labels, universe.supporter_scores = labels, supporters
        universe.voter_count, universe.door_count = found["voters"], found["doors"]
        universe.save()
        audit.record(
            actor,
            "universe.created" if created else "universe.updated",
            universe,
            organization=organization,
            changes={
                "filters": universe.filters,
                "voters": found["voters"],
                "support_labels": labels,
                "supporter_scores": supporters,
            },
        )
    return universe


def cut_turfs(*, actor: Actor, universe: Universe, doors_per_turf: int) -> list[Turf]:
    """Cut *universe* into turfs of about *doors_per_turf* doors, replacing its turfs.

    Street names are standardised, a turf never crosses a precinct nor splits a street that
    fits in one turf, and doors follow the walking order (see `walking`). Raises Conflict
    once canvassing has started on the universe: recutting would move doors that already
    hold results.
    """
    access.require(actor, MANAGE)
    access.require_same_organization(actor, universe)
    organization = actor.organization
    if not MIN_DOORS <= int(doors_per_turf) <= MAX_DOORS:
        raise InvalidInput(
            f"Field 'doors_per_turf': choose {MIN_DOORS} to {MAX_DOORS} doors "
            f"per turf, not {doors_per_turf}."
        )
    chosen = universes.UniverseFilter.from_dict(universe.filters)
    version = current_version(organization)
    with store.reading(version) as con:
        found = universes.doors(con, chosen, universes.base_table(organization))
    if len(found) > MAX_CUT_DOORS:
        raise InvalidInput(
            f"'{universe.name}' has {len(found):,} doors; turf is cut for at "
            f"most {MAX_CUT_DOORS:,}. Narrow it to the districts you will walk."
        )
    with transaction.atomic():
        Universe.objects.select_for_update().get(pk=universe.pk)
        if Attempt.objects.filter(turf__universe=universe).exists():
            raise Conflict(
                f"Canvassing has started on '{universe.name}': its turfs keep their "
                "results and cannot be recut. Make a new universe instead."
            )
        universe.turfs.all().delete()
        turfs = _save_turfs(organization, universe, walking.cut(found, int(doors_per_turf)))
        audit.record(
            actor,
            "universe.turfs_cut",
            universe,
            organization=organization,
            changes={
                "turfs": len(turfs),
                "doors": len(found),
                "doors_per_turf": int(doors_per_turf),
            },
        )
    return turfs


def start_cut(*, actor: Actor, universe: Universe, doors_per_turf: int) -> Job:
    """Queue cutting a large universe into turfs as a job with a progress page."""
    access.require(actor, MANAGE)
    if not MIN_DOORS <= int(doors_per_turf) <= MAX_DOORS:
        raise InvalidInput(
            f"Field 'doors_per_turf': choose {MIN_DOORS} to {MAX_DOORS} doors "
            f"per turf, not {doors_per_turf}."
        )
    return jobs.start(
        kind=CUT_JOB,
        started_by=actor,
        organization=actor.organization,
        params={"universe_id": universe.pk, "doors_per_turf": int(doors_per_turf)},
    )


def cut_job(job: Job, progress: Progress) -> dict:
    """Run a queued cut (safe to run twice: a cut replaces the universe's turfs)."""
    progress.update(0, total=1, message="Reading the universe's doors and cutting turfs")
    universe = Universe.objects.filter(
        organization=job.organization, pk=job.params["universe_id"]
    ).first()
    if universe is None:
        raise InvalidInput("The universe to cut was deleted.")
    turfs = cut_turfs(
        actor=access.system(jobs.organization_of(job)),
        universe=universe,
        doors_per_turf=job.params["doors_per_turf"],
    )
    progress.update(1, message="Done")
    return {"turfs": len(turfs), "doors": sum(turf.door_count for turf in turfs)}


def _save_turfs(
    organization: Organization, universe: Universe, runs: list[list[dict]]
) -> list[Turf]:
    turfs = Turf.objects.bulk_create(
        [
            Turf(
                organization=organization,
                universe=universe,
                number=number,
                name=_turf_name(run),
                precinct=run[0]["precinct"],
                district=_most_common(door["district"] for door in run),
                door_count=len(run),
                voter_count=sum(len(door["voters"]) for door in run),
                goal=len(run),
            )
            for number, run in enumerate(runs, 1)
        ]
    )
    if not all(turf.pk for turf in turfs):  # backends that return no ids on bulk insert
        turfs = list(universe.turfs.order_by("number"))
    Door.objects.bulk_create(
        [
            Door(
                organization=organization,
                turf=turf,
                position=position,
                address=door["address"],
                street=door["street"] or "",
                house_number=door["house_number"],
                side=door["side"],
                city=door["city"],
                zip=door["zip"],
                voters=[_voter(voter) for voter in door["voters"]],
                member_count=sum(1 for voter in door["voters"] if voter["person_id"]),
            )
            for turf, run in zip(turfs, runs, strict=True)
            for position, door in enumerate(run, 1)
        ],
        batch_size=2000,
    )
    return turfs


def _voter(voter: dict) -> dict:
    return {
        "voter_id": voter["voter_id"],
        "name": (voter["name"] or "").title(),
        "age": voter["age"],
        "party": voter["party"],
        "phone": voter["phone"],
        "person_id": voter["person_id"],
    }


def _turf_name(run: list[dict]) -> str:
    streets = list(dict.fromkeys((door["street"] or "?").title() for door in run))
    shown = ", ".join(streets[:3]) + (f" +{len(streets) - 3}" if len(streets) > 3 else "")
    return f"{run[0]['precinct'] or 'No precinct'}: {shown}"[:200]


def _most_common(values) -> str:
    tally: dict[str, int] = {}
    for value in values:
        tally[value] = tally.get(value, 0) + 1
    return max(tally, key=lambda value: tally[value]) if tally else ""


def set_goal(*, actor: Actor, turf: Turf, goal: int) -> Turf:
    """Set how many of *turf*'s doors its canvassers aim to reach."""
    access.require(actor, MANAGE)
    if not 0 <= int(goal) <= turf.door_count:
        raise InvalidInput(
            f"Field 'goal': choose 0 to {turf.door_count} doors, not {goal}.", field="goal"
        )
    with transaction.atomic():
        before = turf.goal
        turf.goal = int(goal)
        turf.save(update_fields=["goal"])
        audit.record(actor, "turf.goal_set", turf, changes={"goal": [before, turf.goal]})
    return turf


def assign(*, actor: Actor, turf: Turf, user_id: int, assigned: bool = True) -> Turf:
    """Give *turf* to (or take it from) a user of the organization whose role may canvass."""
    access.require(actor, MANAGE)
    membership = (
        Membership.objects.select_related("user")
        .filter(organization=actor.organization, user_id=user_id)
        .first()
    )
    if membership is None:
        raise NotFound("That user")
    if assigned and CANVASS not in access.ROLE_PERMISSIONS.get(membership.role, frozenset()):
        raise InvalidInput(
            f"{membership.user.email} ({membership.get_role_display()}) may "
            "not canvass: give them a role that may, or send a volunteer link."
        )
    with transaction.atomic():
        if assigned:
            turf.canvassers.add(membership.user)
        else:
            turf.canvassers.remove(membership.user)
        audit.record(
            actor,
            "turf.assigned" if assigned else "turf.unassigned",
            turf,
            changes={"user": membership.user.email},
        )
    return turf


# Volunteer links --------------------------------------------------------------------------


def link_digest(token: str) -> str:
    """Return the keyed hash a link token is stored and looked up under."""
    return salted_hmac(_LINK_SALT, token.strip(), algorithm="sha256").hexdigest()


def create_link(
    *, actor: Actor, turf: Turf, label: str, days: int = LINK_DAYS
) -> tuple[CanvassLink, str]:
    """Make a link for a volunteer to canvass *turf* for *days*; return it and its token.

    The token is shown once: only its keyed hash is kept.
    """
    access.require(actor, MANAGE)
    access.require_same_organization(actor, turf)
    organization = actor.organization
    label = label.strip()
    if not label:
        raise InvalidInput("Field 'label': say who the link is for, so it can be revoked.")
    if not 1 <= int(days) <= 90:
        raise InvalidInput(f"Field 'days': a link lasts 1 to 90 days, not {days}.")
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        link = CanvassLink.objects.create(
            organization=organization,
            turf=turf,
            digest=link_digest(token),
            label=label[:100],
            created_by=actor.user,
            expires_at=timezone.now() + timedelta(days=int(days)),
        )
        audit.record(
            actor,
            "canvass_link.created",
            link,
            organization=organization,
            changes={"turf": turf.pk, "days": int(days)},
        )
    return link, token


def revoke_link(*, actor: Actor, link: CanvassLink) -> CanvassLink:
    """Close *link* at once; the results it sent stay."""
    access.require(actor, MANAGE)
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            audit.record(actor, "canvass_link.revoked", link)
    return link


def open_link(token: str) -> CanvassLink:
    """Return the open link for *token*, or raise NotFound (wrong, expired or revoked alike)."""
    link = (
        CanvassLink.objects.select_related("turf", "turf__universe", "organization")
        .filter(digest=link_digest(token))
        .first()
    )
    if link is None or not link.is_open:
        raise NotFound("That canvassing link")
    return link


# Door results -----------------------------------------------------------------------------


def record_attempt(
    *,
    door: Door,
    result: str,
    actor: Actor | None = None,
    link: CanvassLink | None = None,
    support: int | None = None,
    answers: dict | None = None,
    voter_id: str = "",
    note: str = "",
    client_key: str = "",
    canvasser_label: str = "",
    recorded_at=None,
) -> Attempt:
    """Add one attempt at *door*. Never changes an earlier one.

    A canvasser is either an *actor* allowed to canvass (a signed-in user; the demo, as the
    system, names its canvasser in *canvasser_label*), or a volunteer's open *link* to the
    door's own turf: a volunteer has no account, so no actor. *client_key* (sent by the
    phone with each result) makes a retried submission count once: the first attempt with
    that key is returned.
    """
    turf = door.turf
    if link is not None:
        if not link.is_open or link.turf_id != door.turf_id:
            raise NotFound("That door")
        organization, canvasser_label = link.organization, f"Link: {link.label}"
        if door.organization_id != organization.pk:
            raise NotFound("That door")
    elif actor is None:
        raise ValueError("Say who canvassed: a signed-in actor or a volunteer's link.")
    else:
        access.require(actor, CANVASS)
        access.require_same_organization(actor, door)
        organization = actor.organization
        if actor.user is not None:  # signed in
            canvasser_label = actor.user.email
    values = _checked_attempt(turf, door, result, support, answers or {}, voter_id)
    client_key = (client_key or "").strip()[:64]
    if client_key:
        earlier = Attempt.objects.filter(turf=turf, client_key=client_key).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                organization=organization,
                turf=turf,
                door=door,
                **values,
                note=note[:500],
                canvasser=actor.user if actor is not None else None,
                link=link,
                canvasser_label=canvasser_label[:254],
                client_key=client_key,
                recorded_at=recorded_at or timezone.now(),
            )
    except IntegrityError:
        # The same submission arrived twice at once; the other one was kept.
        return Attempt.objects.get(turf=turf, client_key=client_key)
    if attempt.support is not None and attempt.voter_id:
        # A support score can move the member spoken to on the ladder, if a rule counts it.
        from powerbase.actions import ladder  # the ladder reads canvass results

        ladder.recompute_voter(organization=organization, voter_id=attempt.voter_id)
    return attempt


@dataclass(frozen=True)
class PastAttempt:
    """One door result recorded after the fact: what happened at *door*, and when."""

    door: Door
    result: str
    recorded_at: datetime
    support: int | None = None
    answers: dict = field(default_factory=dict)
    voter_id: str = ""


def record_attempts_in_bulk(
    *,
    actor: Actor,
    turf: Turf,
    attempts: list[PastAttempt],
    link: CanvassLink | None = None,
    canvasser_label: str = "",
) -> int:
    """Add door results recorded after the fact (a paper walk list typed in, the demo's
    canvassing) to *turf*; return how many.

    Each is checked as `record_attempt` checks one, and none may be in the future. They were
    knocked by the actor, or through a volunteer's open *link* to the turf (the command line
    and jobs name their canvasser in *canvasser_label*). All or nothing; one audit entry
    records the batch, and the ladder moves once for the members who gave a support score.
    """
    access.require(actor, CANVASS)
    access.require_same_organization(actor, turf)
    if link is not None and (not link.is_open or link.turf_id != turf.pk):
        raise NotFound("That volunteer link")
    if link is not None:
        canvasser_label = f"Link: {link.label}"
    elif actor.user is not None:  # a person at a page, as is_signed_in says
        canvasser_label = actor.user.email
    rows = [_past_attempt(actor, turf, attempt, link, canvasser_label) for attempt in attempts]
    with transaction.atomic():
        Attempt.objects.bulk_create(rows)
        audit.record(
            actor,
            "attempt.bulk_recorded",
            turf,
            changes={"attempts": len(rows), "canvasser": canvasser_label},
        )
    from powerbase.actions import ladder  # the ladder reads canvass results

    for voter_id in sorted({row.voter_id for row in rows if row.support and row.voter_id}):
        ladder.recompute_voter(organization=turf.organization, voter_id=voter_id)
    return len(rows)


def _past_attempt(
    actor: Actor, turf: Turf, attempt: PastAttempt, link: CanvassLink | None, label: str
) -> Attempt:
    if attempt.door.turf_id != turf.pk:
        raise InvalidInput(f"Door {attempt.door.pk} is not on the turf {turf.name}.")
    if attempt.recorded_at > timezone.now():
        raise InvalidInput(
            f"Door {attempt.door.pk}: {timezone.localtime(attempt.recorded_at):%b %-d %-I:%M %p} "
            "is in the future; only what already happened is recorded after the fact."
        )
    values = _checked_attempt(
        turf, attempt.door, attempt.result, attempt.support, attempt.answers, attempt.voter_id
    )
    return Attempt(
        organization=turf.organization,
        turf=turf,
        door=attempt.door,
        **values,
        canvasser=None if link is not None else actor.user,
        link=link,
        canvasser_label=label[:254],
        recorded_at=attempt.recorded_at,
    )


def _scale_text(universe: Universe) -> str:
    return ", ".join(f"{score} ({label})" for score, label in universe.support_scale)


def _checked_attempt(
    turf: Turf, door: Door, result: str, support, answers: dict, voter_id: str
) -> dict:
    if result not in Attempt.Result.values:
        raise InvalidInput(
            f"Field 'result': '{result}' is not one of {', '.join(Attempt.Result.labels)}."
        )
    if support in ("", None):
        support = None
    else:
        try:
            support = int(support)
        except (TypeError, ValueError):
            raise InvalidInput(
                f"Field 'support': '{support}' is not a score: choose {_scale_text(turf.universe)}."
            ) from None
        if support not in SUPPORT_SCORES:
            raise InvalidInput(
                f"Field 'support': {support} is not a score: choose {_scale_text(turf.universe)}."
            )
    if support is not None and result != Attempt.Result.TALKED:
        raise InvalidInput(
            "Field 'support': a support score needs a conversation (result 'Talked')."
        )
    questions = {q["key"]: q for q in turf.universe.survey}
    kept = {}
    for key, answer in answers.items():
        answer = str(answer or "").strip()
        if not answer:
            continue
        if key not in questions:
            raise InvalidInput(f"Field '{key}': the survey has no such question.")
        choices = questions[key]["choices"]
        if choices and answer not in choices:
            raise InvalidInput(f"Field '{key}': '{answer}' is not one of {', '.join(choices)}.")
        kept[key] = answer[:300]
    if kept and result != Attempt.Result.TALKED:
        raise InvalidInput("Survey answers need a conversation (result 'Talked').")
    if voter_id and voter_id not in {voter["voter_id"] for voter in door.voters}:
        raise InvalidInput(f"Field 'voter_id': voter {voter_id} is not registered at this door.")
    return {"result": result, "support": support, "answers": kept, "voter_id": voter_id}
