"""Write operations on campaigns, actions, commitments, RSVPs, check-in and one-on-ones.

Each checks access, runs in one transaction and is audited. Checking in and undoing a check-in
move people on the leadership ladder (`ladder.recompute`) once the change is saved.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from powerbase.actions import ladder
from powerbase.actions.models import (
    Action,
    Attendance,
    Campaign,
    Commitment,
    CommitmentChange,
    OneOnOne,
    Rsvp,
)
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.people import queries as people_queries
from powerbase.people import services as people_services
from powerbase.people.models import Person, Source
from powerbase.people.names import name_key

CAMPAIGN_FIELDS = ("name", "goal", "demands", "targets", "starts_on", "ends_on")
ACTION_FIELDS = (
    "campaign",
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "district",
    "target",
    "turnout_goal",
    "is_structure_test",
    "is_public",
)


# Campaigns and actions -------------------------------------------------------------------


def create_campaign(*, actor: Actor, name: str, **details) -> Campaign:
    """Start a campaign: a goal, demands, targets and the actions that will win it."""
    access.require(actor, "actions.manage")
    name = name.strip()
    if not name:
        raise InvalidInput("A campaign needs a name.")
    _refuse_unknown(details, CAMPAIGN_FIELDS)
    _refuse_backwards(details.get("starts_on"), details.get("ends_on"), "campaign")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            organization=actor.organization, name=name, created_by=actor.user, **details
        )
        audit.record(actor, "campaign.created", campaign, changes={"name": [None, name]})
    return campaign


def update_campaign(*, actor: Actor, campaign: Campaign, changes: dict) -> Campaign:
    access.require(actor, "actions.manage", campaign)
    _refuse_unknown(changes, CAMPAIGN_FIELDS)
    _refuse_backwards(
        changes.get("starts_on", campaign.starts_on),
        changes.get("ends_on", campaign.ends_on),
        "campaign",
    )
    return _save_changes(actor, campaign, changes, "campaign.updated")


def create_action(*, actor: Actor, title: str, starts_at: datetime, **details) -> Action:
    """Schedule an action. A structure test is one where affiliates and leaders commit turnout."""
    access.require(actor, "actions.manage")
    title = title.strip()
    if not title:
        raise InvalidInput("An action needs a title.")
    _refuse_unknown(details, ACTION_FIELDS)
    _refuse_foreign_campaign(actor, details.get("campaign"))
    _refuse_backwards(starts_at, details.get("ends_at"), "action")
    with transaction.atomic():
        action = Action.objects.create(
            organization=actor.organization,
            title=title,
            starts_at=starts_at,
            created_by=actor.user,
            **details,
        )
        audit.record(
            actor,
            "action.created",
            action,
            changes={"title": [None, title], "starts_at": [None, starts_at]},
        )
    return action


def update_action(*, actor: Actor, action: Action, changes: dict) -> Action:
    access.require(actor, "actions.manage", action)
    _refuse_unknown(changes, ACTION_FIELDS)
    _refuse_foreign_campaign(actor, changes.get("campaign"))
    _refuse_backwards(
        changes.get("starts_at", action.starts_at), changes.get("ends_at", action.ends_at), "action"
    )
    return _save_changes(actor, action, changes, "action.updated")


# Commitments ------------------------------------------------------------------------------


def set_commitment(
    *,
    actor: Actor,
    action: Action,
    number: int,
    affiliate: Affiliate | None = None,
    leader: Person | None = None,
) -> Commitment:
    """Record that *affiliate* or *leader* will bring *number* people, keeping the history.

    Organizers set anyone's commitment; an affiliate lead sets their own affiliate's and its
    leaders'. Commitments close when the action starts: after that the report holds everyone
    to what they said.
    """
    affiliate = _checked_commitment(actor, action, [number], affiliate, leader)
    if action.has_started:
        raise Conflict(
            f"Commitments to “{action.title}” closed when it started, "
            f"{timezone.localtime(action.starts_at):%b %-d at %-I:%M %p}."
        )
    lookup = {"leader": leader} if leader is not None else {"affiliate": affiliate, "leader": None}
    with transaction.atomic():
        commitment, created = Commitment.objects.select_for_update().get_or_create(
            action=action,
            **lookup,
            defaults={
                "organization": action.organization,
                "affiliate": affiliate,
                "number": number,
                "updated_by": actor.user,
            },
        )
        before = None if created else commitment.number
        if not created and before == number:
            return commitment
        if not created:
            commitment.number = number
            commitment.updated_by = actor.user
            commitment.updated_at = timezone.now()
            commitment.save(update_fields=["number", "updated_by", "updated_at"])
        CommitmentChange.objects.create(
            organization=action.organization,
            commitment=commitment,
            number_before=before,
            number_after=number,
            changed_by=actor.user,
        )
        audit.record(
            actor,
            "commitment.created" if created else "commitment.changed",
            commitment,
            changes={"number": [before, number]},
        )
    return commitment


def record_commitment_history(
    *,
    actor: Actor,
    action: Action,
    numbers: list[tuple[int, datetime]],
    affiliate: Affiliate | None = None,
    leader: Person | None = None,
) -> Commitment:
    """Record, after the fact, how a commitment to *action* was raised: each (number, when).

    For history kept elsewhere (a paper tracker, the demo): checked as `set_commitment` is,
    except that the action may have been held already. The dates must be in order and past,
    and the commitment must not exist yet. One audit entry records the whole history.
    """
    affiliate = _checked_commitment(actor, action, [n for n, _ in numbers], affiliate, leader)
    dates = [at for _, at in numbers]
    if not numbers or dates != sorted(dates) or dates[-1] > timezone.now():
        raise InvalidInput("Give the commitment's numbers in the order they were made, all past.")
    lookup = {"leader": leader} if leader is not None else {"affiliate": affiliate, "leader": None}
    with transaction.atomic():
        if Commitment.objects.filter(action=action, **lookup).exists():
            raise Conflict("That commitment already has its history; change it from now on.")
        commitment = Commitment.objects.create(
            organization=action.organization,
            action=action,
            affiliate=affiliate,
            leader=leader,
            number=numbers[-1][0],
            updated_by=actor.user,
            updated_at=dates[-1],
        )
        befores = [None, *(n for n, _ in numbers[:-1])]
        CommitmentChange.objects.bulk_create(
            CommitmentChange(
                organization=action.organization,
                commitment=commitment,
                number_before=before,
                number_after=number,
                changed_by=actor.user,
                changed_at=at,
            )
            for before, (number, at) in zip(befores, numbers, strict=True)
        )
        audit.record(
            actor,
            "commitment.recorded_after",
            commitment,
            changes={"number": [None, commitment.number], "changes": len(numbers)},
        )
    return commitment


def _checked_commitment(
    actor: Actor,
    action: Action,
    numbers: list[int],
    affiliate: Affiliate | None,
    leader: Person | None,
) -> Affiliate | None:
    """Refuse a commitment that is not one affiliate's or leader's, or not a number of people,
    or that the actor may not make; return the affiliate it counts for."""
    if (affiliate is None) == (leader is None):
        raise InvalidInput("A commitment is made by an affiliate or by a leader: choose one.")
    for number in numbers:
        if number < 0:
            raise InvalidInput(f"A commitment is a number of people; {number} is less than none.")
    if leader is not None and affiliate is None:
        affiliate = home_affiliate(leader)
    _require_may_commit(actor, action, affiliate)
    return affiliate


def home_affiliate(person: Person) -> Affiliate | None:
    """Return the affiliate *person* counts toward: their only, else their oldest, membership."""
    membership = (
        AffiliateMembership.objects.current()
        .filter(person=person)
        .select_related("affiliate")
        .order_by("since", "id")
        .first()
    )
    return membership.affiliate if membership else None


def _require_may_commit(actor: Actor, action: Action, affiliate: Affiliate | None) -> None:
    if actor.can("actions.manage"):
        return
    if actor.is_affiliate_scoped and access.leads_affiliate(actor, affiliate):
        return
    access.require(actor, "actions.manage", action)  # refuses, and audits the refusal


# RSVPs and check-in -------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    """Who gets credit for bringing someone: a leader and the affiliate the turnout counts for."""

    recruited_by: Person | None = None
    affiliate: Affiliate | None = None


def credit_for(person: Person, given: Credit) -> Credit:
    """Fill in the affiliate credit: as given, else the person's own, else their recruiter's."""
    affiliate = given.affiliate or home_affiliate(person)
    if affiliate is None and given.recruited_by is not None:
        affiliate = home_affiliate(given.recruited_by)
    return Credit(recruited_by=given.recruited_by, affiliate=affiliate)


def record_rsvp(
    *,
    actor: Actor,
    action: Action,
    person: Person,
    credit: Credit = Credit(),
    channel: str = Rsvp.Channel.STAFF,
) -> Rsvp:
    """Note that *person* will come to *action*, once."""
    access.require(actor, "actions.manage", action)
    return _save_rsvp(actor, action, person, credit, channel)


def record_public_rsvp(*, action: Action, person: Person, credit: Credit = Credit()) -> Rsvp:
    """Note an RSVP made on the action's public sign-up page, where nobody signs in: the
    page checks the action takes sign-ups, and the audit log names the page."""
    return _save_rsvp(
        None, action, person, credit, Rsvp.Channel.FORM, actor_label="public sign-up page"
    )


def _save_rsvp(
    actor: Actor | None,
    action: Action,
    person: Person,
    credit: Credit,
    channel: str,
    actor_label: str = "",
) -> Rsvp:
    with transaction.atomic():
        credit = credit_for(person, credit)
        rsvp, created = Rsvp.objects.get_or_create(
            action=action,
            person=person,
            defaults={
                "organization": action.organization,
                "channel": channel,
                "recruited_by": credit.recruited_by,
                "credited_affiliate": credit.affiliate,
            },
        )
        if created:
            audit.record(
                actor,
                "rsvp.created",
                rsvp,
                organization=action.organization,
                changes={"channel": [None, channel]},
                actor_label=actor_label,
            )
    return rsvp


def cancel_rsvp(*, actor: Actor, action: Action, person: Person) -> bool:
    """Take back *person*'s RSVP to *action* (they said they cannot come). Return whether
    there was one; an attendance already recorded stays."""
    access.require(actor, "actions.manage", action)
    access.require_same_organization(actor, action, person)
    with transaction.atomic():
        rsvp = Rsvp.objects.select_for_update().filter(action=action, person=person).first()
        if rsvp is None:
            return False
        audit.record(actor, "rsvp.cancelled", rsvp, organization=action.organization)
        rsvp.delete()
    return True


BULK_RSVP_LIMIT = 5000


def record_rsvps_in_bulk(
    *,
    actor: Actor,
    action: Action,
    people: list[Person],
    how: str,
    affiliate: Affiliate | None = None,
    recruited_by: dict[int, Person] | None = None,
    at: datetime | None = None,
) -> int:
    """Sign all of *people* up for *action* at once; return how many RSVPs are new.

    All or nothing, in one transaction: each new RSVP is audited as staff RSVPs are, and one
    more entry records the batch and where it came from (*how*: "saved list 'Stewards'",
    "pasted list"). Someone who had already RSVP'd keeps their RSVP and its credit. Turnout
    from an affiliate's members is credited to *affiliate*; otherwise each person's own.
    *recruited_by* credits a leader by person id. *at* dates RSVPs recorded after the fact:
    they are history, not news, so only the batch is audited (no webhook per old RSVP).
    """
    access.require(actor, "actions.manage", action)
    _refuse_bulk_size(people, "sign up")
    _refuse_future(at)
    recruiters = recruited_by or {}
    with transaction.atomic():
        rsvps = access.scoped(actor, Rsvp.objects.filter(action=action))
        already = set(rsvps.filter(person__in=people).values_list("person_id", flat=True))
        new = [person for person in people if person.pk not in already]
        homes = {} if affiliate else _home_affiliates(actor, [person.pk for person in new])
        Rsvp.objects.bulk_create(
            [
                Rsvp(
                    organization=action.organization,
                    action=action,
                    person=person,
                    channel=Rsvp.Channel.STAFF,
                    credited_affiliate=affiliate or homes.get(person.pk),
                    recruited_by=recruiters.get(person.pk),
                    created_at=at or timezone.now(),
                )
                for person in new
            ],
            ignore_conflicts=True,
        )
        for rsvp in rsvps.filter(person__in=new) if at is None else []:
            audit.record(
                actor,
                "rsvp.created",
                rsvp,
                changes={"channel": [None, Rsvp.Channel.STAFF], "bulk": how},
            )
        audit.record(
            actor,
            "rsvp.bulk_created",
            action,
            changes={"how": how, "new": len(new), "already": len(already)},
        )
    return len(new)


def record_attendances_in_bulk(
    *,
    actor: Actor,
    action: Action,
    people: list[Person],
    at: datetime,
    how: str,
    affiliate: Affiliate | None = None,
    recruited_by: dict[int, Person] | None = None,
    move_ladder: bool = True,
) -> int:
    """Record, after the fact, that *people* came to *action* at *at*; return how many are new.

    For a paper sign-in sheet typed in later, or the demo's history. Checked as a check-in
    is (the actor may check people in at the action), and *at* may not be in the future.
    Credit is *affiliate* and the leader in *recruited_by* (by person id), else what each
    person's RSVP gave, else their own affiliate. Someone already checked in keeps their
    check-in. One audit entry records the batch (*how*); the ladder moves once, after (a
    caller recording many batches passes *move_ladder* False and runs `ladder.recompute` once
    when they are all in).
    """
    access.require(actor, "actions.check_in", action)
    _refuse_bulk_size(people, "check in")
    _refuse_future(at)
    recruiters = recruited_by or {}
    with transaction.atomic():
        already = set(
            Attendance.objects.filter(action=action, person__in=people).values_list(
                "person_id", flat=True
            )
        )
        new = [person for person in people if person.pk not in already]
        rsvps = {
            rsvp.person_id: rsvp
            for rsvp in Rsvp.objects.filter(action=action, person__in=new).select_related(
                "recruited_by", "credited_affiliate"
            )
        }
        homes = {} if affiliate else _home_affiliates(actor, [person.pk for person in new])
        attendances = []
        for person in new:
            rsvp = rsvps.get(person.pk)
            attendances.append(
                Attendance(
                    organization=action.organization,
                    action=action,
                    person=person,
                    credited_affiliate=affiliate
                    or (rsvp.credited_affiliate if rsvp else None)
                    or homes.get(person.pk),
                    recruited_by=recruiters.get(person.pk) or (rsvp.recruited_by if rsvp else None),
                    checked_in_by=actor.user,
                    checked_in_at=at,
                )
            )
        Attendance.objects.bulk_create(attendances, ignore_conflicts=True)
        audit.record(
            actor,
            "attendance.bulk_recorded",
            action,
            changes={"how": how, "new": len(new), "already": len(already), "at": at.isoformat()},
        )
    if move_ladder:
        moved = {pk for a in attendances for pk in (a.person_id, a.recruited_by_id) if pk}
        ladder.recompute(organization=action.organization, person_ids=moved)
    return len(new)


def _refuse_bulk_size(people: list[Person], what: str) -> None:
    if len(people) > BULK_RSVP_LIMIT:
        raise InvalidInput(
            f"That is {len(people)} people; {what} at most {BULK_RSVP_LIMIT} "
            "at a time (narrow the list, or split the paste)."
        )


def _refuse_future(at: datetime | None) -> None:
    if at is not None and at > timezone.now():
        raise InvalidInput(
            f"{timezone.localtime(at):%b %-d, %Y at %-I:%M %p} is in the future: "
            "only what already happened is recorded after the fact.",
            field="at",
        )


def _home_affiliates(actor: Actor, person_ids: list[int]) -> dict[int, Affiliate]:
    """Return each person's home affiliate (as `home_affiliate`), for many people at once."""
    homes: dict[int, Affiliate] = {}
    memberships = access.scoped(actor, AffiliateMembership.objects.current())
    for membership in (
        memberships.filter(person_id__in=person_ids)
        .select_related("affiliate")
        .order_by("since", "id")
    ):
        homes.setdefault(membership.person_id, membership.affiliate)
    return homes


def check_in(
    *,
    actor: Actor,
    action: Action,
    person: Person,
    credit: Credit = Credit(),
    is_walk_in: bool = False,
) -> tuple[Attendance, bool]:
    """Mark *person* present at *action*, once however many volunteers tap at the same moment.

    Returns the attendance and whether this call created it. The unique constraint on
    (action, person) is what guarantees one row: `get_or_create` catches the loser's insert
    and returns the winner's row. Credit comes from the RSVP when there is one.
    """
    access.require(actor, "actions.check_in", action)
    with transaction.atomic():
        rsvp = Rsvp.objects.filter(action=action, person=person).first()
        if rsvp is not None and credit == Credit():
            credit = Credit(recruited_by=rsvp.recruited_by, affiliate=rsvp.credited_affiliate)
        credit = credit_for(person, credit)
        if credit.affiliate is None and actor.is_affiliate_scoped and len(actor.affiliate_ids) == 1:
            # Someone a lead checks in at the door came with the lead's affiliate.
            credit = Credit(
                recruited_by=credit.recruited_by,
                affiliate=Affiliate.objects.get(pk=next(iter(actor.affiliate_ids))),
            )
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            action=action,
            person=person,
            defaults={
                "organization": action.organization,
                "checked_in_by": actor.user,
                "recruited_by": credit.recruited_by,
                "credited_affiliate": credit.affiliate,
                "is_walk_in": is_walk_in,
            },
        )
        audit.record(actor, "attendance.recorded" if created else "attendance.repeated", attendance)
    if created:
        ladder.recompute(
            organization=action.organization, person_ids=_ids(person, credit.recruited_by)
        )
    return attendance, created


def undo_check_in(*, actor: Actor, attendance: Attendance) -> None:
    """Take back a mistaken check-in; the audit log keeps that it happened and was undone."""
    access.require(actor, "actions.check_in", attendance)
    with transaction.atomic():
        deleted, _ = Attendance.objects.filter(pk=attendance.pk).delete()
        if deleted:
            audit.record(
                actor,
                "attendance.undone",
                attendance,
                changes={"person": [str(attendance.person), None]},
            )
    if deleted:
        ladder.recompute(
            organization=attendance.organization,
            person_ids=_ids(attendance.person, attendance.recruited_by),
        )


@dataclass(frozen=True)
class WalkIn:
    """The three things a volunteer asks someone at the door: name, phone, email."""

    name: str
    phone: str = ""  # E.164, already checked by the form
    email: str = ""

    def details(self) -> people_services.PersonDetails:
        parts = self.name.split()
        if len(parts) == 1:
            return people_services.PersonDetails(given_name=parts[0])
        return people_services.PersonDetails(given_name=" ".join(parts[:-1]), family_name=parts[-1])


def check_in_walk_in(*, actor: Actor, action: Action, walk_in: WalkIn) -> tuple[Attendance, bool]:
    """Check in someone who was not found: find them by email or phone, else add them.

    Walk-ins at one action are added one at a time (the action row is locked), so two
    volunteers typing in the same person at once add them once. Only people whose contact
    details the volunteer may see are matched by email or phone, so the form reveals nothing;
    anyone else becomes a new record that duplicate detection can merge later.
    """
    access.require(actor, "actions.check_in", action)
    if not walk_in.name.strip():
        raise InvalidInput("Write the walk-in's name.")
    with transaction.atomic():
        Action.objects.select_for_update().filter(pk=action.pk).first()
        person = _known_walk_in(actor, action, walk_in)
        if person is None:
            source = people_services.create_source(
                organization=action.organization,
                kind=Source.Kind.MANUAL,
                label=f"Walk-in at {action.title}",
                user=actor.user,
            )
            person = people_services.register_person(
                organization=action.organization,
                source=source,
                details=walk_in.details(),
                email=walk_in.email,
                phone=walk_in.phone,
                actor=actor,
            )
        return check_in(actor=actor, action=action, person=person, is_walk_in=True)


def _known_walk_in(actor: Actor, action: Action, walk_in: WalkIn) -> Person | None:
    details = walk_in.details()
    given, family = name_key(details.given_name), name_key(details.family_name)
    already_here = Person.objects.filter(
        attendances__action=action, attendances__is_walk_in=True, given_key=given, family_key=family
    )
    if not (walk_in.email or walk_in.phone):
        return already_here.first()
    contact = Q()
    if walk_in.email:
        contact |= Q(emails__address=walk_in.email.lower())
    if walk_in.phone:
        contact |= Q(phones__e164=walk_in.phone, family_key=family)
    visible = people_queries.people(actor) if actor.can("people.view") else Person.objects.none()
    found = visible.filter(contact & access.contact_visible_filter(actor)).order_by("id").first()
    return found or already_here.filter(contact).first()


def _ids(*people: Person | None) -> list[int]:
    return [person.pk for person in people if person is not None]


# One-on-ones ------------------------------------------------------------------------------


def log_one_on_one(
    *,
    actor: Actor,
    person: Person,
    held_on: date,
    self_interest: str = "",
    commitment: str = "",
    follow_up_on: date | None = None,
    held_by_person: Person | None = None,
) -> OneOnOne:
    """Record a relational meeting held by the actor, with its follow-up date; with
    *held_by_person*, the person in the base who held it (it counts for them)."""
    access.require(actor, "actions.check_in")
    access.require_same_organization(actor, held_by_person)
    if held_by_person is not None and held_by_person.pk == person.pk:
        raise InvalidInput(
            "A one-on-one is held with someone else: choose who held it, or leave it empty.",
            field="held_by_person",
        )
    if held_on > timezone.localdate():
        raise InvalidInput(
            f"A one-on-one is logged after it happens; {held_on:%b %-d, %Y} is in the future.",
            field="held_on",
        )
    if follow_up_on is not None and follow_up_on < held_on:
        raise InvalidInput("The follow-up date is before the meeting.", field="follow_up_on")
    with transaction.atomic():
        meeting = OneOnOne.objects.create(
            organization=actor.organization,
            person=person,
            held_by=actor.user,
            held_by_person=held_by_person,
            held_on=held_on,
            self_interest=self_interest.strip(),
            commitment=commitment.strip(),
            follow_up_on=follow_up_on,
        )
        audit.record(
            actor,
            "one_on_one.logged",
            meeting,
            changes={
                "person": [None, str(person)],
                "held_by_person": [None, str(held_by_person) if held_by_person else None],
                "self_interest": [None, "written"],
                "follow_up_on": [None, follow_up_on],
            },
        )
    return meeting


def finish_follow_up(*, actor: Actor, meeting: OneOnOne) -> OneOnOne:
    access.require(actor, "actions.check_in", meeting)
    if (actor.user is None or meeting.held_by_id != actor.user.pk) and not actor.can(
        "actions.manage"
    ):
        access.require(actor, "actions.manage", meeting)
    with transaction.atomic():
        meeting.follow_up_done_at = timezone.now()
        meeting.save(update_fields=["follow_up_done_at"])
        audit.record(actor, "one_on_one.followed_up", meeting)
    return meeting


# Shared checks ---------------------------------------------------------------------------


def _refuse_unknown(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise InvalidInput(f"These fields cannot be set here: {', '.join(sorted(unknown))}.")


def _refuse_backwards(start, end, what: str) -> None:
    if start and end and end < start:
        raise InvalidInput(f"The {what} ends before it starts: check the dates.")


def _refuse_foreign_campaign(actor: Actor, campaign: Campaign | None) -> None:
    if campaign is not None and campaign.organization_id != actor.organization.pk:
        raise InvalidInput("That campaign belongs to another organization.")


def _save_changes(actor: Actor, obj, changes: dict, action: str):
    with transaction.atomic():
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        differences = audit.field_changes(
            {name: getattr(current, name) for name in changes}, changes
        )
        if differences:
            for name, value in changes.items():
                setattr(current, name, value)
            current.save(update_fields=list(changes))
            audit.record(actor, action, current, changes=differences)
    return current
