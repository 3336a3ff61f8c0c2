"""Write operations of Bargaining for the Common Good. Each checks access, runs in one
transaction and is audited.

An affiliate lead runs their own affiliates' units and campaigns (`access.require_affiliate`);
organizers and admins run every one. Sections: units; campaigns and their settlement; demands
and their outcomes; partners, actions and targets with their stances.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from powerbase.actions.models import Action
from powerbase.bargaining.models import (
    BargainingSession,
    BargainingUnit,
    ContractCampaign,
    ContractDemand,
    Outcome,
    Partner,
    Target,
    TargetStance,
)
from powerbase.coalition.models import Affiliate
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.democracy.models import Decision
from powerbase.legislature.models import Demand, Official, Stance

MANAGE = "bargaining.manage"
LEADS_OWN = "Choose one of your own affiliates' bargaining units."


def _require_unit(actor: Actor, unit: BargainingUnit) -> None:
    """The actor may run *unit*: the permission, the organization, and a lead's own affiliate."""
    access.require(actor, MANAGE, unit)
    access.require_same_organization(actor, unit)
    access.require_affiliate(actor, unit.affiliate, LEADS_OWN)


def _clean(text: str) -> str:
    return " ".join(text.split())


# Units --------------------------------------------------------------------------------------


def create_unit(
    *,
    actor: Actor,
    affiliate: Affiliate,
    employer: str,
    unit_size: int,
    contract_expires_on: date,
    name: str = "",
    bargaining_starts_on: date | None = None,
    notes: str = "",
) -> BargainingUnit:
    """Record a bargaining unit of *affiliate*: who employs it, how many, when its contract ends."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, affiliate)
    access.require_affiliate(actor, affiliate, "Add units of your own affiliates.")
    employer, name = _clean(employer), _clean(name)
    _check_unit(employer, unit_size, contract_expires_on, bargaining_starts_on)
    try:
        with transaction.atomic():
            unit = BargainingUnit.objects.create(
                organization=actor.organization,
                affiliate=affiliate,
                employer=employer,
                name=name,
                unit_size=unit_size,
                contract_expires_on=contract_expires_on,
                bargaining_starts_on=bargaining_starts_on,
                notes=notes.strip(),
            )
            audit.record(
                actor,
                "bargaining_unit.created",
                unit,
                changes={
                    "employer": [None, employer],
                    "unit_size": [None, unit_size],
                    "contract_expires_on": [None, contract_expires_on],
                },
            )
    except IntegrityError:
        raise Conflict(
            f"{affiliate.name} already has a unit “{name or employer}” at {employer}.",
            field="employer",
        ) from None
    return unit


def update_unit(
    *,
    actor: Actor,
    unit: BargainingUnit,
    employer: str,
    unit_size: int,
    contract_expires_on: date,
    name: str = "",
    bargaining_starts_on: date | None = None,
    notes: str = "",
) -> BargainingUnit:
    """Change a unit's employer, size or dates (a new contract moves its expiry)."""
    _require_unit(actor, unit)
    employer, name = _clean(employer), _clean(name)
    _check_unit(employer, unit_size, contract_expires_on, bargaining_starts_on)
    values = {
        "employer": employer,
        "name": name,
        "unit_size": unit_size,
        "contract_expires_on": contract_expires_on,
        "bargaining_starts_on": bargaining_starts_on,
        "notes": notes.strip(),
    }
    changes = {
        key: [getattr(unit, key), value]
        for key, value in values.items()
        if getattr(unit, key) != value
    }
    if not changes:
        return unit
    try:
        with transaction.atomic():
            for key, value in values.items():
                setattr(unit, key, value)
            unit.save(update_fields=list(changes))
            audit.record(actor, "bargaining_unit.updated", unit, changes=changes)
    except IntegrityError:
        raise Conflict(
            f"{unit.affiliate.name} already has a unit “{name or employer}” at {employer}.",
            field="employer",
        ) from None
    return unit


def _check_unit(
    employer: str, unit_size: int, expires_on: date, bargaining_starts_on: date | None
) -> None:
    if not employer:
        raise InvalidInput("A bargaining unit needs its employer.", field="employer")
    if unit_size < 1:
        raise InvalidInput(
            f"A unit's size is the number of workers it covers, at least 1, not {unit_size}.",
            field="unit_size",
        )
    if bargaining_starts_on and bargaining_starts_on > expires_on:
        raise InvalidInput(
            f"Bargaining starts ({bargaining_starts_on}) after the contract expires "
            f"({expires_on}).",
            field="bargaining_starts_on",
        )


# Campaigns ----------------------------------------------------------------------------------


def start_campaign(
    *,
    actor: Actor,
    unit: BargainingUnit,
    name: str,
    authorised_by: Decision | None = None,
) -> ContractCampaign:
    """Open a contract campaign for *unit*, with the decision that authorised it if there is one."""
    _require_unit(actor, unit)
    access.require_same_organization(actor, authorised_by)
    name = _clean(name)
    if not name:
        raise InvalidInput("A contract campaign needs a name.", field="name")
    with transaction.atomic():
        campaign = ContractCampaign.objects.create(
            organization=actor.organization, unit=unit, name=name, authorised_by=authorised_by
        )
        audit.record(
            actor,
            "contract_campaign.started",
            campaign,
            changes={
                "name": [None, name],
                "authorised_by": [None, authorised_by.pk if authorised_by else None],
            },
        )
    return campaign


def set_status(*, actor: Actor, campaign: ContractCampaign, status: str) -> ContractCampaign:
    """Move a campaign from preparing to bargaining (settling has its own service)."""
    _require_unit(actor, campaign.unit)
    if status == ContractCampaign.Status.SETTLED:
        raise InvalidInput("Settle the contract with its date and the outcome of each demand.")
    if campaign.status == ContractCampaign.Status.SETTLED:
        raise Conflict(f"{campaign.name} settled on {campaign.settled_on}.")
    if status not in ContractCampaign.Status.values:
        raise InvalidInput(f"'{status}' is not a campaign status.", field="status")
    if status == campaign.status:
        return campaign
    with transaction.atomic():
        old, campaign.status = campaign.status, status
        campaign.save(update_fields=["status"])
        audit.record(
            actor, "contract_campaign.status_changed", campaign, changes={"status": [old, status]}
        )
    return campaign


def settle(
    *, actor: Actor, campaign: ContractCampaign, settled_on: date | None = None
) -> ContractCampaign:
    """Record that the contract settled. Every demand needs its outcome first, so the campaign's
    record says what the fight won."""
    _require_unit(actor, campaign.unit)
    settled_on = settled_on or timezone.localdate()
    if campaign.status == ContractCampaign.Status.SETTLED:
        raise Conflict(f"{campaign.name} already settled on {campaign.settled_on}.")
    demands = access.scoped(actor, ContractDemand.objects.filter(campaign=campaign))
    open_titles = [d.title for d in demands if d.outcome == Outcome.OPEN]
    if open_titles:
        raise InvalidInput(
            f"Say what came of each demand before settling: {', '.join(open_titles)} "
            f"{'is' if len(open_titles) == 1 else 'are'} still open."
        )
    with transaction.atomic():
        old = campaign.status
        campaign.status, campaign.settled_on = ContractCampaign.Status.SETTLED, settled_on
        campaign.save(update_fields=["status", "settled_on"])
        audit.record(
            actor,
            "contract_campaign.settled",
            campaign,
            changes={"status": [old, campaign.status], "settled_on": [None, settled_on]},
        )
    return campaign


def add_session(
    *,
    actor: Actor,
    campaign: ContractCampaign,
    meets_on: date,
    place: str = "",
    note: str = "",
) -> BargainingSession:
    """Put a bargaining session on the campaign's calendar (or record one that was held)."""
    _require_unit(actor, campaign.unit)
    if campaign.status == ContractCampaign.Status.SETTLED:
        raise Conflict(f"{campaign.name} settled on {campaign.settled_on}.")
    with transaction.atomic():
        session = BargainingSession.objects.create(
            organization=actor.organization,
            campaign=campaign,
            meets_on=meets_on,
            place=_clean(place),
            note=_clean(note),
        )
        audit.record(
            actor,
            "contract_campaign.session_added",
            session,
            changes={"meets_on": [None, meets_on]},
        )
    return session


# Demands ------------------------------------------------------------------------------------


def add_demand(
    *,
    actor: Actor,
    campaign: ContractCampaign,
    source: str,
    title: str,
    platform_demand: Demand | None = None,
) -> ContractDemand:
    """Add the union's demand or a community demand (standing for a platform demand, if any)."""
    _require_unit(actor, campaign.unit)
    access.require_same_organization(actor, platform_demand)
    title = _clean(title)
    if not title:
        raise InvalidInput("A demand needs its words.", field="title")
    if source not in ContractDemand.Source.values:
        raise InvalidInput(f"'{source}' is not a kind of demand.", field="source")
    if platform_demand is not None and source != ContractDemand.Source.COMMUNITY:
        raise InvalidInput(
            "Only a community demand stands for a platform demand; the union's are its own.",
            field="platform_demand",
        )
    with transaction.atomic():
        demand = ContractDemand.objects.create(
            organization=actor.organization,
            campaign=campaign,
            source=source,
            title=title,
            platform_demand=platform_demand,
        )
        audit.record(
            actor,
            "contract_demand.added",
            demand,
            changes={
                "title": [None, title],
                "source": [None, source],
                "platform_demand": [None, platform_demand.pk if platform_demand else None],
            },
        )
    return demand


def record_outcome(
    *,
    actor: Actor,
    demand: ContractDemand,
    outcome: str,
    on: date | None = None,
    note: str = "",
) -> ContractDemand:
    """Say what came of *demand* at the table: won, partly won, lost (or open again)."""
    _require_unit(actor, demand.campaign.unit)
    if outcome not in Outcome.values:
        raise InvalidInput(f"'{outcome}' is not an outcome.", field="outcome")
    on = None if outcome == Outcome.OPEN else (on or timezone.localdate())
    note = _clean(note)
    changes = {
        key: [getattr(demand, key), value]
        for key, value in (("outcome", outcome), ("outcome_on", on), ("outcome_note", note))
        if getattr(demand, key) != value
    }
    if not changes:
        return demand
    with transaction.atomic():
        demand.outcome, demand.outcome_on, demand.outcome_note = outcome, on, note
        demand.save(update_fields=list(changes))
        audit.record(actor, "contract_demand.outcome", demand, changes=changes)
    return demand


# Partners, actions and targets --------------------------------------------------------------


def add_partner(
    *, actor: Actor, campaign: ContractCampaign, affiliate: Affiliate, commitment: str
) -> Partner:
    """Record another affiliate standing with the campaign and what it commits to do."""
    _require_unit(actor, campaign.unit)
    access.require_same_organization(actor, affiliate)
    commitment = _clean(commitment)
    if not commitment:
        raise InvalidInput(
            "Say what the partner commits to, e.g. 'forty members at the rally'.",
            field="commitment",
        )
    if affiliate.pk == campaign.unit.affiliate_id:
        raise InvalidInput(
            f"{affiliate.name} bargains this contract; partners are the other affiliates.",
            field="affiliate",
        )
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                organization=actor.organization,
                campaign=campaign,
                affiliate=affiliate,
                commitment=commitment,
            )
            audit.record(
                actor,
                "contract_partner.added",
                partner,
                changes={"affiliate": [None, affiliate.pk], "commitment": [None, commitment]},
            )
    except IntegrityError:
        raise Conflict(
            f"{affiliate.name} is already a partner of {campaign.name}.", field="affiliate"
        ) from None
    return partner


def link_action(*, actor: Actor, campaign: ContractCampaign, action: Action) -> ContractCampaign:
    """Count *action* (a rally, a march on the board) as one of the campaign's public actions."""
    _require_unit(actor, campaign.unit)
    access.require_same_organization(actor, action)
    with transaction.atomic():
        if not campaign.actions.filter(pk=action.pk).exists():
            campaign.actions.add(action)
            audit.record(
                actor,
                "contract_campaign.action_linked",
                campaign,
                changes={"action": [None, action.pk]},
            )
    return campaign


def add_target(
    *,
    actor: Actor,
    campaign: ContractCampaign,
    kind: str,
    name: str = "",
    role: str = "",
    official: Official | None = None,
) -> Target:
    """Name a target: an employer decision-maker (name and role) or a public official."""
    _require_unit(actor, campaign.unit)
    access.require_same_organization(actor, official)
    if kind not in Target.Kind.values:
        raise InvalidInput(f"'{kind}' is not a kind of target.", field="kind")
    if kind == Target.Kind.OFFICIAL and official is None:
        raise InvalidInput("Choose the official from the legislature's list.", field="official")
    if kind == Target.Kind.EMPLOYER and official is not None:
        official = None
    name = _clean(name) or (official.name if official else "")
    role = _clean(role) or (official.office if official else "")
    if not name:
        raise InvalidInput("Name the decision-maker.", field="name")
    with transaction.atomic():
        target = Target.objects.create(
            organization=actor.organization,
            campaign=campaign,
            kind=kind,
            name=name,
            role=role,
            official=official,
        )
        audit.record(
            actor,
            "contract_target.added",
            target,
            changes={"name": [None, name], "kind": [None, kind]},
        )
    return target


def record_stance(
    *, actor: Actor, target: Target, stance: str, as_of: date | None = None, source: str = ""
) -> TargetStance:
    """Record where *target* stands now (the whip's scale); earlier readings stay as history."""
    _require_unit(actor, target.campaign.unit)
    if stance not in Stance.values:
        raise InvalidInput(f"'{stance}' is not a stance.", field="stance")
    with transaction.atomic():
        reading = TargetStance.objects.create(
            organization=actor.organization,
            target=target,
            stance=stance,
            as_of=as_of or timezone.localdate(),
            source=_clean(source),
            recorded_by=actor.user,
        )
        audit.record(actor, "contract_target.stance", reading, changes={"stance": [None, stance]})
    return reading
