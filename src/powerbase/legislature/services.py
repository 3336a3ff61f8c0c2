"""Write operations of the legislature app. Each checks access, runs in one transaction and is
audited. Imports (`import_people`, `import_vote_events`, `import_votes_csv`) also run from the
CLI, as `access.command_line(org)`.

Sections: officials and the bloc; platform, demands and bills; roll calls; scorecards;
pledges; whip boards and targets; inside events.
"""

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone

from powerbase.actions.models import Action, Campaign
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import Organization
from powerbase.democracy.models import Decision
from powerbase.legislature import openstates, seats, votefiles
from powerbase.legislature.models import (
    ActionTarget,
    Bill,
    BillAction,
    BlocMembership,
    Chamber,
    Demand,
    InsideEvent,
    Official,
    OfficialVote,
    Plank,
    Platform,
    PlatformVersion,
    Pledge,
    Position,
    RollCall,
    Scorecard,
    ScorecardVote,
    Stance,
    VoteOption,
    WhipBoard,
    WhipStance,
)
from powerbase.voterfile.models import District

MANAGE = "legislature.manage"
OFFICIAL_FIELDS = (
    "name",
    "given_name",
    "family_name",
    "office",
    "chamber",
    "jurisdiction",
    "district_code",
    "party",
    "term_starts",
    "term_ends",
    "email",
    "phone",
    "office_address",
    "photo_url",
    "is_current",
)


def _may_manage(actor: Actor, obj: Model | None = None) -> Organization:
    """Check *actor* may manage the legislature; return the organization acted in."""
    access.require(actor, MANAGE, obj)
    return actor.organization


def _choice(value: str, choices, what: str) -> str:
    if value not in choices.values:
        known = ", ".join(v for v in choices.values if v)
        raise InvalidInput(f"'{value}' is not a {what}; choose one of {known}.", field=what)
    return value


# Officials and the bloc --------------------------------------------------------------------


def district_for(
    organization: Organization, chamber: str, code: str, *, office: str = "", jurisdiction: str = ""
) -> District | None:
    """Return the voter-file district of a seat, if exactly one fits.

    The kind comes from the office's title or the chamber (`seats.seat_kind`): state house and
    senate, congressional, a council's wards, county commission, school board, courts, and a
    mayor's municipality (found by the name of the place). The number may be written '7',
    '007' or 'Ward 7'. Where the voter file numbers a kind within each county ('32/07'), the
    district is the one in the official's *jurisdiction* (a county or a municipality of the
    file); when that leaves several or none, the seat stays unlinked rather than guessed.
    """
    kind = seats.seat_kind(chamber=chamber, office=office)
    number = seats.district_number(code, office)
    if kind is None or not (number or kind == "municipality"):
        return None
    places = ("county", "municipality")
    rows = list(
        District.objects.filter(organization=organization, kind__in={kind, *places}).order_by(
            "code"
        )
    )
    own = [district for district in rows if district.kind == kind]
    if not number:  # a mayor: the municipality named like their jurisdiction
        return _only([d for d in own if seats.place_key(d.name) == seats.place_key(jurisdiction)])
    variants = seats.code_variants(number)
    exact = [district for district in own if district.code.upper() in variants]
    if exact:
        return exact[0]
    local = [
        district
        for district in own
        if "/" in district.code and seats.local_part(district.code).upper() in variants
    ]
    return _only(local) if len(local) < 2 else _only(_within(local, rows, jurisdiction))


def _seat_district(organization: Organization, seat) -> District | None:
    """Return the district of an official (or an Open States record of one)."""
    return district_for(
        organization,
        seat.chamber,
        seat.district_code,
        office=seat.office,
        jurisdiction=seat.jurisdiction,
    )


def _within(districts: list[District], rows: list[District], jurisdiction: str) -> list[District]:
    """Keep the districts numbered within the county (or the county of the municipality)
    named *jurisdiction*."""
    place = seats.place_key(jurisdiction)
    counties = {
        row.code for row in rows if row.kind == "county" and seats.place_key(row.name) == place
    }
    counties |= {
        row.code.rsplit("/", 1)[0]
        for row in rows
        if row.kind == "municipality" and "/" in row.code and seats.place_key(row.name) == place
    }
    return [district for district in districts if district.code.rsplit("/", 1)[0] in counties]


def _only(districts: list[District]) -> District | None:
    return districts[0] if len(districts) == 1 else None


def create_official(*, actor: Actor, name: str, **fields) -> Official:
    """Add an official by hand: a council member, a mayor, a legislator Open States lacks."""
    organization = _may_manage(actor)
    name = name.strip()
    if not name:
        raise InvalidInput("An official needs a name.", field="name")
    _refuse_unknown(fields, OFFICIAL_FIELDS)
    _choice(fields.get("chamber", Chamber.LOWER), Chamber, "chamber")
    with transaction.atomic():
        official = Official(
            organization=organization,
            name=name,
            source=fields.pop("source", Official.Source.MANUAL),
            **fields,
        )
        official.district = _seat_district(organization, official)
        official.save()
        audit.record(
            actor,
            "official.created",
            official,
            organization=organization,
            changes={"name": [None, name], "seat": [None, official.seat_label]},
        )
    return official


def update_official(*, actor: Actor, official: Official, changes: dict) -> Official:
    """Change an official's details; the district link follows the chamber and number."""
    _may_manage(actor, obj=official)
    access.require_same_organization(actor, official)
    _refuse_unknown(changes, OFFICIAL_FIELDS)
    if "chamber" in changes:
        _choice(changes["chamber"], Chamber, "chamber")
    with transaction.atomic():
        before = {name: getattr(official, name) for name in changes}
        for name, value in changes.items():
            setattr(official, name, value)
        official.district = _seat_district(actor.organization, official)
        official.updated_at = timezone.now()
        official.save()
        audit.record(
            actor, "official.updated", official, changes=audit.field_changes(before, changes)
        )
    return official


@dataclass
class PeopleImport:
    """What an Open States people import did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    with_district: int = 0
    retired: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + self.unchanged


def import_people(
    *,
    actor: Actor,
    files: list[tuple[str, str]],
    today: date | None = None,
    retire_missing: bool = False,
) -> PeopleImport:
    """Create or update officials from Open States person YAML files (name, text).

    An official is matched by their Open States id, so a second import updates in place.
    Every file is read before anything is written: one bad file writes nothing. With
    *retire_missing*, officials imported earlier from Open States for the same jurisdictions
    and chambers whose files are no longer there (Open States moves a legislator who left
    office out of the folder) are marked as no longer holding office.
    """
    organization = _may_manage(actor)
    if not files:
        raise InvalidInput("There are no Open States person files (*.yml) to import.")
    records = [openstates.read_person(name, text, today=today) for name, text in files]
    seen: dict[str, str] = {}
    for (name, _), record in zip(files, records, strict=True):
        if record.openstates_id in seen:
            raise InvalidInput(
                f"{name}: {record.openstates_id} is also in {seen[record.openstates_id]}."
            )
        seen[record.openstates_id] = name
    summary = PeopleImport()
    existing = {
        o.openstates_id: o
        for o in Official.objects.filter(organization=organization, openstates_id__in=list(seen))
    }
    with transaction.atomic():
        for record in records:
            official = existing.get(record.openstates_id)
            values = {name: getattr(record, name) for name in OFFICIAL_FIELDS}
            values |= {"links": record.links, "identifiers": record.identifiers}
            district = _seat_district(organization, record)
            if official is None:
                official = Official.objects.create(
                    organization=organization,
                    openstates_id=record.openstates_id,
                    source=Official.Source.OPENSTATES,
                    district=district,
                    **values,
                )
                summary.created.append(official.name)
            else:
                changed = {
                    name: value
                    for name, value in values.items()
                    if getattr(official, name) != value
                }
                if not changed and official.district_id == (district and district.pk):
                    summary.unchanged += 1
                    continue
                for name, value in changed.items():
                    setattr(official, name, value)
                official.district = district
                official.updated_at = timezone.now()
                official.save()
                summary.updated.append(official.name)
            summary.with_district += district is not None
        if retire_missing:
            summary.retired = _retire_missing(organization, records)
        audit.record(
            actor,
            "officials.imported",
            organization=organization,
            changes={
                "files": len(files),
                "created": len(summary.created),
                "updated": len(summary.updated),
                "retired": len(summary.retired),
            },
        )
    return summary


def relink_districts(*, actor: Actor) -> int:
    """Link every official to the voter file's district of their seat (after a voter file
    import that came after the officials); return how many links changed."""
    organization = _may_manage(actor)
    changed = 0
    with transaction.atomic():
        for official in Official.objects.filter(organization=organization):
            district = _seat_district(organization, official)
            if official.district_id != (district.pk if district else None):
                official.district = district
                official.save(update_fields=["district"])
                changed += 1
        if changed:
            audit.record(
                actor, "officials.relinked", organization=organization, changes={"changed": changed}
            )
    return changed


def _retire_missing(organization: Organization, records) -> list[str]:
    seats = {(record.jurisdiction, record.chamber) for record in records}
    seen = {record.openstates_id for record in records}
    missing = [
        official
        for official in Official.objects.filter(
            organization=organization, source=Official.Source.OPENSTATES, is_current=True
        ).exclude(openstates_id__in=seen)
        if (official.jurisdiction, official.chamber) in seats
    ]
    Official.objects.filter(pk__in=[official.pk for official in missing]).update(
        is_current=False, updated_at=timezone.now()
    )
    return [official.name for official in missing]


def join_bloc(
    *, actor: Actor, official: Official, joined_on: date | None = None, note: str = ""
) -> BlocMembership:
    """Record that *official* caucuses with the bloc from *joined_on*."""
    _may_manage(actor, obj=official)
    access.require_same_organization(actor, official)
    if official.bloc_memberships.filter(left_on__isnull=True).exists():
        raise Conflict(f"{official} is already in the bloc.")
    with transaction.atomic():
        membership = BlocMembership.objects.create(
            organization=actor.organization,
            official=official,
            joined_on=joined_on or timezone.localdate(),
            note=note.strip(),
        )
        audit.record(
            actor,
            "bloc.joined",
            membership,
            changes={
                "official": [None, str(official)],
                "joined_on": [None, str(membership.joined_on)],
            },
        )
    return membership


def leave_bloc(
    *, actor: Actor, membership: BlocMembership, left_on: date | None = None
) -> BlocMembership:
    """Close an official's stretch in the bloc on *left_on*."""
    _may_manage(actor, obj=membership)
    access.require_same_organization(actor, membership)
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise InvalidInput("An official cannot leave the bloc before joining it.")
    with transaction.atomic():
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        audit.record(actor, "bloc.left", membership, changes={"left_on": [None, str(left_on)]})
    return membership


# Platform, demands and bills ----------------------------------------------------------------


def create_platform(*, actor: Actor, title: str) -> PlatformVersion:
    """Start a platform with a first, draft version; return that version."""
    _may_manage(actor)
    if not title.strip():
        raise InvalidInput("A platform needs a title, e.g. 'People's Platform 2027'.")
    with transaction.atomic():
        platform = Platform.objects.create(organization=actor.organization, title=title.strip())
        version = PlatformVersion.objects.create(
            organization=actor.organization, platform=platform, number=1
        )
        audit.record(actor, "platform.created", platform, changes={"title": [None, title]})
    return version


def add_plank(
    *, actor: Actor, version: PlatformVersion, title: str, description: str = ""
) -> Plank:
    _may_manage(actor, obj=version)
    access.require_same_organization(actor, version)
    _refuse_adopted(version)
    if not title.strip():
        raise InvalidInput("A plank needs a title, e.g. 'Tax the rich to fund public schools'.")
    with transaction.atomic():
        order = (version.planks.aggregate(n=Max("order"))["n"] or 0) + 1
        plank = Plank.objects.create(
            organization=actor.organization,
            version=version,
            order=order,
            title=title.strip(),
            description=description,
        )
        audit.record(actor, "plank.created", plank, changes={"title": [None, plank.title]})
    return plank


def add_demand(
    *,
    actor: Actor,
    plank: Plank,
    title: str,
    description: str = "",
    amount: Decimal | str | None = None,
    budget_item: str = "",
) -> Demand:
    """Add a demand to *plank*; with an *amount* (dollars) it is a budget fight."""
    _may_manage(actor, obj=plank)
    access.require_same_organization(actor, plank)
    _refuse_adopted(plank.version)
    if not title.strip():
        raise InvalidInput("A demand needs a title, e.g. 'Pass the Fair Share Amendment'.")
    with transaction.atomic():
        order = (plank.demands.aggregate(n=Max("order"))["n"] or 0) + 1
        demand = Demand.objects.create(
            organization=actor.organization,
            plank=plank,
            order=order,
            title=title.strip(),
            description=description,
            amount=_dollars(amount),
            budget_item=budget_item.strip(),
        )
        audit.record(
            actor,
            "demand.created",
            demand,
            changes={"title": [None, demand.title], "amount": [None, demand.amount]},
        )
    return demand


def adopt_version(
    *,
    actor: Actor,
    version: PlatformVersion,
    decision: Decision | None = None,
    adopted_on: date | None = None,
) -> PlatformVersion:
    """Put *version* in force, adopted by *decision* (democracy's) when there was one."""
    _may_manage(actor, obj=version)
    access.require_same_organization(actor, version, decision)
    if decision is not None and decision.outcome != Decision.Outcome.ADOPTED:
        raise InvalidInput(
            f"“{decision}” was not adopted (the decision says "
            f"{decision.get_outcome_display().lower()}); a platform version "
            "rests on a decision that adopted it."
        )
    with transaction.atomic():
        version.decision = decision
        version.adopted_on = adopted_on or (
            decision.decided_on if decision else timezone.localdate()
        )
        version.save(update_fields=["decision", "adopted_on"])
        audit.record(
            actor,
            "platform.adopted",
            version,
            changes={
                "adopted_on": [None, str(version.adopted_on)],
                "decision": [None, str(decision or "")],
            },
        )
    return version


def new_version(*, actor: Actor, platform: Platform) -> PlatformVersion:
    """Start the next draft of *platform*, a copy of the latest version's planks and demands."""
    _may_manage(actor, obj=platform)
    access.require_same_organization(actor, platform)
    latest = platform.versions.order_by("-number").first()
    assert latest is not None, "a platform is created with its first version"
    with transaction.atomic():
        version = PlatformVersion.objects.create(
            organization=actor.organization, platform=platform, number=latest.number + 1
        )
        for plank in latest.planks.prefetch_related("demands__bills"):
            copy = Plank.objects.create(
                organization=actor.organization,
                version=version,
                order=plank.order,
                title=plank.title,
                description=plank.description,
            )
            for demand in plank.demands.all():
                new = Demand.objects.create(
                    organization=actor.organization,
                    plank=copy,
                    order=demand.order,
                    title=demand.title,
                    description=demand.description,
                    amount=demand.amount,
                    budget_item=demand.budget_item,
                )
                new.bills.set(demand.bills.all())
        audit.record(
            actor,
            "platform.version_started",
            version,
            changes={"number": [latest.number, version.number]},
        )
    return version


def create_bill(
    *,
    actor: Actor,
    jurisdiction: str,
    session: str,
    identifier: str,
    title: str,
    status: str = "",
    position: str = "",
    position_reason: str = "",
) -> Bill:
    organization = _may_manage(actor)
    identifier = " ".join(identifier.split())
    if not (jurisdiction.strip() and session.strip() and identifier and title.strip()):
        raise InvalidInput("A bill needs its jurisdiction, session, identifier and title.")
    _choice(position, Position, "position")
    if Bill.objects.filter(
        organization=organization,
        jurisdiction=jurisdiction.strip(),
        session=session.strip(),
        identifier=identifier,
    ).exists():
        raise Conflict(
            f"{identifier} of the {session} session is already here.", field="identifier"
        )
    with transaction.atomic():
        bill = Bill.objects.create(
            organization=organization,
            jurisdiction=jurisdiction.strip(),
            session=session.strip(),
            identifier=identifier,
            title=title.strip(),
            status=status,
            position=position,
            position_reason=position_reason,
        )
        audit.record(
            actor,
            "bill.created",
            bill,
            organization=organization,
            changes={"identifier": [None, identifier], "position": [None, position]},
        )
    return bill


def set_position(*, actor: Actor, bill: Bill, position: str, reason: str) -> Bill:
    """Say where the organization stands on *bill*, and why."""
    _may_manage(actor, obj=bill)
    access.require_same_organization(actor, bill)
    _choice(position, Position, "position")
    with transaction.atomic():
        before = {"position": bill.position, "position_reason": bill.position_reason}
        bill.position, bill.position_reason = position, reason.strip()
        bill.save(update_fields=["position", "position_reason"])
        audit.record(
            actor,
            "bill.position_set",
            bill,
            changes=audit.field_changes(
                before, {"position": position, "position_reason": bill.position_reason}
            ),
        )
    return bill


def add_bill_action(
    *, actor: Actor, bill: Bill, on: date, description: str, chamber: str = "", status: str = ""
) -> BillAction:
    """Record a step in a bill's life; *status* (if given) becomes where it stands."""
    _may_manage(actor, obj=bill)
    access.require_same_organization(actor, bill)
    if not description.strip():
        raise InvalidInput("Say what happened, e.g. 'Reported out of Appropriations'.")
    if chamber:
        _choice(chamber, Chamber, "chamber")
    with transaction.atomic():
        step = BillAction.objects.create(
            organization=actor.organization,
            bill=bill,
            date=on,
            description=description.strip(),
            chamber=chamber,
        )
        if status.strip():
            bill.status = status.strip()
            bill.save(update_fields=["status"])
        audit.record(
            actor,
            "bill.action_added",
            bill,
            changes={"action": [None, f"{on}: {step.description}"]},
        )
    return step


def link_bill(*, actor: Actor, demand: Demand, bill: Bill) -> None:
    """Say that *bill* carries *demand*: its votes then bear on the demand's pledges."""
    _may_manage(actor, obj=demand)
    access.require_same_organization(actor, demand, bill)
    with transaction.atomic():
        demand.bills.add(bill)
        audit.record(actor, "demand.bill_linked", demand, changes={"bill": [None, str(bill)]})


# Roll calls ---------------------------------------------------------------------------------


def record_roll_call(
    *,
    actor: Actor,
    chamber: str,
    motion: str,
    on: date,
    result: str,
    votes: dict[Official, str],
    bill: Bill | None = None,
    session: str = "",
) -> RollCall:
    """Record a roll call entered by hand (the floor-session form)."""
    _may_manage(actor)
    access.require_same_organization(actor, bill, *votes)
    record = openstates.VoteEventRecord(
        external_id="",
        motion=motion.strip(),
        date=on,
        result=result,
        chamber=_choice(chamber, Chamber, "chamber"),
        session=session or (bill and bill.session) or "",
        bill_identifier="",
    )
    if not record.motion:
        raise InvalidInput("Say what was voted on, e.g. 'On final passage'.")
    if result not in RollCall.Result.values:
        raise InvalidInput("Say whether the motion passed or failed.")
    if not votes:
        raise InvalidInput("Record at least one official's vote.")
    for option in votes.values():
        _choice(option, VoteOption, "vote")
    with transaction.atomic():
        roll_call = _save_roll_call(
            actor.organization,
            record,
            bill,
            RollCall.Source.HAND,
            {official.pk: option for official, option in votes.items()},
        )
        audit.record(
            actor,
            "roll_call.recorded",
            roll_call,
            changes={"votes": len(votes), "result": [None, result]},
        )
    return roll_call


@dataclass
class VotesImport:
    created: int = 0
    updated: int = 0
    votes: int = 0


def import_vote_events(
    *, actor: Actor, file_name: str, text: str, jurisdiction: str = ""
) -> VotesImport:
    """Import roll calls from Open States vote-event JSON; a re-import updates in place."""
    organization = _may_manage(actor)
    events = openstates.read_vote_events(file_name, text)
    return _import_events(actor, organization, events, RollCall.Source.OPENSTATES, jurisdiction)


def import_votes_csv(
    *, actor: Actor, file_name: str, text: str, jurisdiction: str = ""
) -> VotesImport:
    """Import roll calls from a CSV of votes (see `votefiles`); a re-import updates in place."""
    organization = _may_manage(actor)
    events = votefiles.read_votes_csv(file_name, text)
    for event in events:
        key = "|".join([str(event.date), event.chamber, event.bill_identifier, event.motion])
        event.external_id = "csv:" + hashlib.sha256(key.encode()).hexdigest()[:32]
    return _import_events(actor, organization, events, RollCall.Source.CSV, jurisdiction)


@dataclass
class BillsImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    actions: int = 0
    votes: VotesImport = field(default_factory=VotesImport)


def import_bills(*, actor: Actor, file_name: str, text: str, jurisdiction: str = "") -> BillsImport:
    """Create or update bills from Open States bill JSON, with their actions and roll calls.

    A bill is matched by jurisdiction, session and identifier; its title and status follow the
    source, our position is kept, and actions already recorded are not added twice.
    """
    organization = _may_manage(actor)
    records = openstates.read_bills(file_name, text)
    home = jurisdiction or _home_jurisdiction(organization)
    summary = BillsImport()
    with transaction.atomic():
        for record in records:
            bill, created = Bill.objects.get_or_create(
                organization=organization,
                jurisdiction=record.jurisdiction or home,
                session=record.session,
                identifier=record.identifier,
                defaults={"title": record.title, "status": record.status},
            )
            if not created and (bill.title, bill.status) != (record.title, record.status):
                bill.title, bill.status = record.title, record.status or bill.status
                bill.save(update_fields=["title", "status"])
            (summary.created if created else summary.updated).append(bill.identifier)
            known = set(bill.actions.values_list("date", "description"))
            new = [
                BillAction(
                    organization=organization, bill=bill, date=on, description=what, chamber=chamber
                )
                for on, what, chamber in record.actions
                if (on, what) not in known
            ]
            BillAction.objects.bulk_create(new)
            summary.actions += len(new)
        events = [event for record in records for event in record.votes]
        if events:
            summary.votes = _import_events(
                actor, organization, events, RollCall.Source.OPENSTATES, home
            )
        audit.record(
            actor,
            "bills.imported",
            organization=organization,
            changes={
                "created": len(summary.created),
                "updated": len(summary.updated),
                "actions": summary.actions,
            },
        )
    return summary


def _import_events(actor, organization, events, source, jurisdiction) -> VotesImport:
    jurisdiction = jurisdiction or _home_jurisdiction(organization)
    matcher = OfficialMatcher(organization)
    resolved = []
    for event in events:
        bill = _bill_for(organization, event, jurisdiction)
        options = {}
        for vote in event.votes:
            official = matcher.find(vote, event.chamber)
            options[official.pk] = vote.option
        resolved.append((event, bill, options))
    summary = VotesImport()
    with transaction.atomic():
        for event, bill, options in resolved:
            exists = (
                bool(event.external_id)
                and RollCall.objects.filter(
                    organization=organization, external_id=event.external_id
                ).exists()
            )
            _save_roll_call(organization, event, bill, source, options, jurisdiction=jurisdiction)
            summary.updated += exists
            summary.created += not exists
            summary.votes += len(options)
        audit.record(
            actor,
            "roll_calls.imported",
            organization=organization,
            changes={"source": source, "created": summary.created, "updated": summary.updated},
        )
    return summary


def _save_roll_call(
    organization, record, bill, source, options: dict[int, str], jurisdiction: str = ""
) -> RollCall:
    """Create or replace a roll call and its votes (must run inside a transaction)."""
    values = {
        "bill": bill,
        "chamber": record.chamber,
        "motion": record.motion,
        "date": record.date,
        "result": record.result,
        "source": source,
        "session": record.session or (bill.session if bill else ""),
        "jurisdiction": jurisdiction or (bill.jurisdiction if bill else ""),
    }
    if record.external_id:
        roll_call, _ = RollCall.objects.update_or_create(
            organization=organization, external_id=record.external_id, defaults=values
        )
        roll_call.votes.all().delete()
    else:
        roll_call = RollCall.objects.create(organization=organization, **values)
    OfficialVote.objects.bulk_create(
        [
            OfficialVote(
                organization=organization,
                roll_call=roll_call,
                official_id=official_id,
                option=option,
            )
            for official_id, option in options.items()
        ]
    )
    return roll_call


def _bill_for(organization, event, jurisdiction: str) -> Bill | None:
    if not event.bill_identifier:
        return None
    identifier = " ".join(event.bill_identifier.split())
    bills = Bill.objects.filter(organization=organization, identifier__iexact=identifier)
    if event.session:
        bills = bills.filter(session=event.session)
    found = bills.order_by("-session").first()
    if found is None:
        raise InvalidInput(
            f"The vote on '{event.motion}' ({event.date}) is on {identifier}"
            f"{' of the ' + event.session + ' session' if event.session else ''}"
            ", which is not among the bills here: add the bill first."
        )
    return found


def _home_jurisdiction(organization: Organization) -> str:
    return organization.get_state_display() if organization.state else ""


def fold(text: str) -> str:
    """Return *text* without accents, case or punctuation, for matching names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


class OfficialMatcher:
    """Find the official a vote names: by Open States id, full name, or a unique family name
    in the chamber ('Concepcion', 'Concepcion, J.')."""

    def __init__(self, organization: Organization):
        self.officials = list(Official.objects.filter(organization=organization))
        self.by_id = {o.openstates_id: o for o in self.officials if o.openstates_id}
        self.by_name: dict[str, list[Official]] = {}
        for official in self.officials:
            for key in {
                fold(official.name),
                fold(f"{official.given_name} {official.family_name}"),
                fold(f"{official.family_name} {official.given_name}"),
            }:
                self.by_name.setdefault(key, []).append(official)

    def find(self, vote, chamber: str) -> Official:
        if vote.voter_id and vote.voter_id in self.by_id:
            return self.by_id[vote.voter_id]
        name = fold(vote.voter_name)
        candidates = self.by_name.get(name, [])
        if not candidates:
            families = _family_keys(vote.voter_name)
            candidates = [o for o in self.officials if fold(o.family_name) in families]
        in_chamber = [o for o in candidates if o.chamber == chamber] or candidates
        current = [o for o in in_chamber if o.is_current] or in_chamber
        if len(current) == 1:
            return current[0]
        who = vote.voter_name or vote.voter_id
        if not current:
            raise InvalidInput(
                f"{vote.where}: no official here is called '{who}'. Import or "
                "add the official first (powerbase officials import)."
            )
        raise InvalidInput(
            f"{vote.where}: '{who}' could be "
            f"{', '.join(o.name for o in current[:4])}; use the full name or "
            "the Open States id."
        )


def _family_keys(voter_name: str) -> set[str]:
    """'Concepcion, J.' -> {'concepcion'}; 'J. Berger-Girvalo' -> the whole and last word."""
    if "," in voter_name:
        return {fold(voter_name.split(",")[0])}
    words = fold(voter_name).split()
    return {fold(voter_name), words[-1]} if words else set()


# Scorecards ---------------------------------------------------------------------------------


def create_scorecard(
    *, actor: Actor, title: str, session: str, jurisdiction: str = "", introduction: str = ""
) -> Scorecard:
    """Start a scorecard for a session. It stays private until published."""
    _may_manage(actor)
    if not title.strip() or not session.strip():
        raise InvalidInput("A scorecard needs a title and the session it covers.")
    with transaction.atomic():
        scorecard = Scorecard.objects.create(
            organization=actor.organization,
            title=title.strip(),
            session=session.strip(),
            jurisdiction=jurisdiction.strip() or _home_jurisdiction(actor.organization),
            introduction=introduction,
        )
        audit.record(actor, "scorecard.created", scorecard, changes={"title": [None, title]})
    return scorecard


def score_vote(
    *,
    actor: Actor,
    scorecard: Scorecard,
    roll_call: RollCall,
    right_option: str,
    weight: Decimal | str | int = 1,
    note: str = "",
) -> ScorecardVote:
    """Put *roll_call* on *scorecard* (or change how it counts)."""
    _may_manage(actor, obj=scorecard)
    access.require_same_organization(actor, scorecard, roll_call)
    if right_option not in (VoteOption.YES, VoteOption.NO):
        raise InvalidInput("The right vote is yes or no.")
    weight = _weight(weight)
    with transaction.atomic():
        item, created = ScorecardVote.objects.update_or_create(
            scorecard=scorecard,
            roll_call=roll_call,
            defaults={
                "organization": actor.organization,
                "weight": weight,
                "right_option": right_option,
                "note": note.strip(),
            },
        )
        audit.record(
            actor,
            "scorecard.vote_scored" if created else "scorecard.vote_rescored",
            scorecard,
            changes={"roll_call": str(roll_call), "weight": weight, "right_option": right_option},
        )
    return item


def unscore_vote(*, actor: Actor, item: ScorecardVote) -> None:
    _may_manage(actor, obj=item)
    access.require_same_organization(actor, item)
    with transaction.atomic():
        audit.record(
            actor,
            "scorecard.vote_removed",
            item.scorecard,
            changes={"roll_call": str(item.roll_call)},
        )
        item.delete()


def publish_scorecard(*, actor: Actor, scorecard: Scorecard, publish: bool) -> Scorecard:
    """Publish *scorecard* on the public page, or take it down. Never done by default."""
    _may_manage(actor, obj=scorecard)
    access.require_same_organization(actor, scorecard)
    with transaction.atomic():
        scorecard.is_published = publish
        scorecard.published_at = timezone.now() if publish else None
        scorecard.save(update_fields=["is_published", "published_at"])
        audit.record(
            actor, "scorecard.published" if publish else "scorecard.unpublished", scorecard
        )
    return scorecard


# Pledges ------------------------------------------------------------------------------------


def record_pledge(
    *,
    actor: Actor,
    official: Official,
    demand: Demand,
    pledged_on: date | None = None,
    source: str = Pledge.Source.QUESTIONNAIRE,
    notes: str = "",
) -> Pledge:
    """Record that *official* committed to *demand* (from a questionnaire or a session)."""
    _may_manage(actor, obj=official)
    access.require_same_organization(actor, official, demand)
    _choice(source, Pledge.Source, "pledge source")
    try:
        with transaction.atomic():
            pledge = Pledge.objects.create(
                organization=actor.organization,
                official=official,
                demand=demand,
                pledged_on=pledged_on or timezone.localdate(),
                source=source,
                notes=notes.strip(),
                recorded_by=actor.user,
            )
            audit.record(
                actor,
                "pledge.recorded",
                pledge,
                changes={"official": str(official), "demand": str(demand)},
            )
    except IntegrityError:
        raise Conflict(f"{official} has already pledged to “{demand}”.") from None
    return pledge


# Whip boards and targets --------------------------------------------------------------------


def create_whip_board(
    *,
    actor: Actor,
    title: str,
    chamber: str,
    needed: int,
    demand: Demand | None = None,
    bill: Bill | None = None,
    campaign: Campaign | None = None,
    vote_expected_on: date | None = None,
) -> WhipBoard:
    """Open a whip count for a live fight in *chamber*, needing *needed* votes to pass."""
    _may_manage(actor)
    access.require_same_organization(actor, demand, bill, campaign)
    _choice(chamber, Chamber, "chamber")
    if not title.strip():
        raise InvalidInput("A whip board needs a title, e.g. 'Fund the schools: $300M'.")
    if needed < 1:
        raise InvalidInput("Say how many votes it takes to pass (at least 1).")
    with transaction.atomic():
        board = WhipBoard.objects.create(
            organization=actor.organization,
            title=title.strip(),
            chamber=chamber,
            needed=needed,
            demand=demand,
            bill=bill,
            campaign=campaign,
            vote_expected_on=vote_expected_on,
        )
        audit.record(
            actor,
            "whip_board.created",
            board,
            changes={"title": [None, board.title], "needed": [None, needed]},
        )
    return board


def set_stance(
    *,
    actor: Actor,
    board: WhipBoard,
    official: Official,
    stance: str,
    source: str = "",
    as_of: date | None = None,
) -> WhipStance:
    """Record where *official* stands on *board* now; the earlier readings stay as history."""
    _may_manage(actor, obj=board)
    access.require_same_organization(actor, board, official)
    _choice(stance, Stance, "stance")
    if official.chamber != board.chamber:
        raise InvalidInput(f"{official} does not sit in the {board.get_chamber_display()}.")
    with transaction.atomic():
        reading = WhipStance.objects.create(
            organization=actor.organization,
            board=board,
            official=official,
            stance=stance,
            as_of=as_of or timezone.localdate(),
            source=source.strip()[:300],
            recorded_by=actor.user,
        )
        audit.record(
            actor,
            "whip.stance_set",
            board,
            changes={"official": str(official), "stance": stance, "source": reading.source},
        )
    return reading


def set_board_live(*, actor: Actor, board: WhipBoard, live: bool) -> WhipBoard:
    """Close a whip count once the vote is taken (or reopen it); its history stays."""
    _may_manage(actor, obj=board)
    access.require_same_organization(actor, board)
    with transaction.atomic():
        board.is_live = live
        board.save(update_fields=["is_live"])
        audit.record(actor, "whip_board.reopened" if live else "whip_board.closed", board)
    return board


def target_official(*, actor: Actor, action: Action, official: Official) -> ActionTarget:
    """Say that *action* (an organizing action) is aimed at *official*."""
    _may_manage(actor, obj=official)
    access.require_same_organization(actor, action, official)
    with transaction.atomic():
        target, created = ActionTarget.objects.get_or_create(
            organization=actor.organization, action=action, official=official
        )
        if created:
            audit.record(
                actor, "official.targeted", official, changes={"action": [None, str(action)]}
            )
    return target


# Inside events ------------------------------------------------------------------------------


def create_inside_event(
    *,
    actor: Actor,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str = "",
    notes: str = "",
    campaign: Campaign | None = None,
    bill: Bill | None = None,
    board: WhipBoard | None = None,
) -> InsideEvent:
    """Put a hearing, a committee or floor vote, or a budget deadline on the calendar."""
    _may_manage(actor)
    access.require_same_organization(actor, campaign, bill, board)
    _choice(kind, InsideEvent.Kind, "kind of event")
    if not title.strip():
        raise InvalidInput("An event needs a title, e.g. 'Appropriations hearing'.")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    with transaction.atomic():
        event = InsideEvent.objects.create(
            organization=actor.organization,
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            place=place.strip(),
            notes=notes,
            campaign=campaign,
            bill=bill,
            board=board,
        )
        audit.record(
            actor,
            "inside_event.created",
            event,
            changes={"title": [None, event.title], "starts_at": [None, str(starts_at)]},
        )
    return event


# Shared checks ------------------------------------------------------------------------------


def _refuse_unknown(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(changes) - set(allowed) - {"source"})
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(unknown)}.")


def _refuse_adopted(version: PlatformVersion) -> None:
    if version.adopted_on is not None:
        raise Conflict(f"{version} is adopted and no longer changes; start a new version.")


def _dollars(amount) -> Decimal | None:
    if amount in (None, ""):
        return None
    try:
        value = Decimal(str(amount).replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        raise InvalidInput(f"'{amount}' is not an amount of dollars (e.g. 300000000).") from None
    if value < 0:
        raise InvalidInput("A budget demand asks for a positive amount.")
    return value


def _weight(weight) -> Decimal:
    try:
        value = Decimal(str(weight))
    except InvalidOperation:
        raise InvalidInput(f"'{weight}' is not a weight (a number such as 1 or 2.5).") from None
    if value <= 0:
        raise InvalidInput("A vote's weight must be more than 0.")
    return value
