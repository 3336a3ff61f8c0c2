"""Who may see and do what: the one place powerbase decides access.

Every view, API resource, CLI command and job goes through these functions:

    actor = access.actor_for(user, "nutmeg")         # NotFound unless the user belongs there
    access.require(actor, "audit.view")              # PermissionDenied (audited) if the role can't
    jobs = access.scoped(actor, Job.objects.all())   # only this organization's rows, and only
                                                     # the rows this role and affiliate may see
    job = access.get(actor, Job, pk=7)               # NotFound for missing *and* forbidden

Three rules live here and nowhere else:

1. Tenancy: a queryset of any model with an `organization` field is filtered to the actor's
   organization. A model without one cannot be scoped, and `scoped` refuses it.
2. Roles: `ROLE_PERMISSIONS` lists what each role may do.
3. Affiliate sovereignty: an affiliate lead sees only rows tied to their affiliates, through
   the paths in `AFFILIATE_PATHS`. A model with no path there shows an affiliate lead nothing
   (fail closed), so a new model is private to affiliate leads until someone decides otherwise.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import models

from powerbase.core import audit
from powerbase.core.exceptions import InvalidInput, NotFound, PermissionDenied
from powerbase.core.models import Job, Membership, Organization, Role, TenantModel, User

# What each role may do. Permission names are "<domain>.<verb>"; a new domain adds its own
# here, in this one table, so a reader sees every role's reach at a glance.
ALL_ROLES_BASE = frozenset({"org.view", "jobs.view"})
ADMINISTRATION = frozenset(
    {
        "members.view",
        "members.manage",
        "audit.view",
        "jobs.view_all",
        "affiliates.view_access",
        "api.manage_webhooks",
        # The organization's daily sending limit and quiet hours for texts.
        "messages.configure",
    }
)
READ_ALL_DOMAINS = frozenset(
    {
        "affiliates.view",
        "people.view",
        "voterfile.view",
        "actions.view",
        "electoral.view",
        "legislature.view",
        "democracy.view",
        "education.view",
        "bargaining.view",
        "resources.view",
        "power.view",
        "network.view",
        "imports.view",
        "messages.view",
    }
)
DATA_WORK = frozenset(
    {
        "people.edit",
        "people.view_sensitive",
        "people.export",
        "people.define_fields",
        "imports.run",
        "identity.run",
        "identity.review",
        "voterfile.import",
    }
)
ORGANIZING_WORK = frozenset(
    {
        "people.edit",
        "imports.run",
        "actions.manage",
        "actions.check_in",
        "electoral.manage",
        "legislature.manage",
        "democracy.manage",
        "education.manage",
        "education.nominate",
        "bargaining.manage",
        "field.canvass",
        "messages.send",
    }
)
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: ALL_ROLES_BASE
    | ADMINISTRATION
    | READ_ALL_DOMAINS
    | DATA_WORK
    | ORGANIZING_WORK
    | {
        "org.manage",
        "members.manage_owners",
        "affiliates.manage",
        "resources.manage",
        "people.export_all",
    },
    Role.ADMIN: ALL_ROLES_BASE
    | ADMINISTRATION
    | READ_ALL_DOMAINS
    | DATA_WORK
    | ORGANIZING_WORK
    | {"affiliates.manage", "resources.manage"},
    # A data director does the full exports; other roles with people.export are capped at
    # settings.PEOPLE_EXPORT_ROW_CAP rows.
    Role.DATA: ALL_ROLES_BASE
    | READ_ALL_DOMAINS
    | DATA_WORK
    | {"jobs.view_all", "electoral.manage", "people.export_all"},
    Role.ORGANIZER: ALL_ROLES_BASE | READ_ALL_DOMAINS | ORGANIZING_WORK,
    # An affiliate lead's reads are narrowed to their affiliates by AFFILIATE_PATHS below.
    # affiliates.view_access: who in the coalition looked at their members.
    Role.AFFILIATE_LEAD: ALL_ROLES_BASE
    | frozenset(
        {
            "affiliates.view",
            "affiliates.view_access",
            "people.view",
            "people.edit",
            "imports.view",
            "imports.run",
            "actions.view",
            "actions.check_in",
            "democracy.view",
            "education.view",
            "education.nominate",
            # Their own affiliates' bargaining units and contract campaigns (AFFILIATE_PATHS).
            "bargaining.view",
            "bargaining.manage",
        }
    ),
    Role.LEADER: ALL_ROLES_BASE
    | frozenset(
        {
            "people.view",
            "actions.view",
            "actions.check_in",
            "democracy.view",
            "education.view",
            "field.canvass",
        }
    ),
    Role.VIEWER: ALL_ROLES_BASE
    | frozenset(
        {
            "affiliates.view",
            "actions.view",
            "electoral.view",
            "legislature.view",
            "democracy.view",
            "education.view",
            "bargaining.view",
            "power.view",
        }
    ),
}

# Permissions that expose personal data in bulk or sensitive fields. An organization that
# requires two-factor sign-in requires it of every role holding one of these.
SENSITIVE_PERMISSIONS = frozenset({"people.view_sensitive", "people.export", "audit.view"})

# How a row reaches an affiliate, per model ("app_label.ModelName" -> lookup to an affiliate id).
_VIA_PERSON = "person__affiliate_memberships__affiliate"
_PERSON_ITSELF = "affiliate_memberships__affiliate"
AFFILIATE_PATHS: dict[str, str] = {
    "coalition.Affiliate": "id",
    "coalition.AffiliateMembership": "affiliate",
    "people.Person": _PERSON_ITSELF,
    "people.EmailAddress": _VIA_PERSON,
    "people.PhoneNumber": _VIA_PERSON,
    "people.PostalAddress": _VIA_PERSON,
    "people.PersonTag": _VIA_PERSON,
    "people.Note": _VIA_PERSON,
    "people.CustomValue": _VIA_PERSON,
    "people.PersonChange": _VIA_PERSON,
    "identity.VoterLink": _VIA_PERSON,
    "imports.ImportBatch": "affiliate",
    "imports.ImportProblem": "batch__affiliate",
    "imports.SavedMapping": "affiliate",
    # Turnout counts toward the affiliate it is credited to; a leader's commitment carries the
    # affiliate the leader organizes within. Sign-up attempts (rate limiting) stay closed.
    "actions.Commitment": "affiliate",
    "actions.CommitmentChange": "commitment__affiliate",
    "actions.Rsvp": "credited_affiliate",
    "actions.Attendance": "credited_affiliate",
    "actions.LadderStanding": _VIA_PERSON,
    "api.PersonIdentifier": _VIA_PERSON,
    "actions.LadderMove": _VIA_PERSON,
    "actions.OneOnOne": _VIA_PERSON,
    # Democracy: an affiliate lead sees the votes their affiliate takes part in (through the
    # frozen voter roll), their own voters' turnout, and their affiliate's delegates. Assemblies,
    # proposals and electorates have no path: leads see none of them (fail closed).
    "democracy.Vote": "eligibilities__affiliate",
    "democracy.BallotCandidate": "vote__eligibilities__affiliate",
    "democracy.Result": "vote__eligibilities__affiliate",
    "democracy.Decision": "vote__eligibilities__affiliate",
    "democracy.Endorsement": "vote__eligibilities__affiliate",
    "democracy.Eligibility": "affiliate",
    "democracy.Participation": "eligibility__affiliate",
    "democracy.Delegate": "affiliate",
    # A person's own dues are their affiliate's fact: a lead sees those paid to their own.
    "money.MemberDues": "affiliate",
    # Democracy School: a lead sees the participants their affiliates nominated, and their work
    # and assessments; programs, cohorts and sessions are shared (below) so a lead can nominate.
    "school.Participant": "nominating_affiliate",
    "school.Submission": "participant__nominating_affiliate",
    "school.SkillAssessment": "participant__nominating_affiliate",
    # Bargaining: a lead sees and runs their own affiliates' units and contract campaigns.
    "bargaining.BargainingUnit": "affiliate",
    "bargaining.ContractCampaign": "unit__affiliate",
    "bargaining.ContractDemand": "campaign__unit__affiliate",
    "bargaining.BargainingSession": "campaign__unit__affiliate",
    "bargaining.Partner": "campaign__unit__affiliate",
    "bargaining.Target": "campaign__unit__affiliate",
    "bargaining.TargetStance": "target__campaign__unit__affiliate",
}
# Organization-wide vocabularies an affiliate lead needs to work with their own members.
# Campaigns and actions are the organization's calendar: a lead must see them to commit turnout
# and check their members in.
# API keys: a lead sees only their own, as every role but admins (api.queries.keys).
SHARED_WITH_AFFILIATE_LEADS = frozenset(
    {
        "people.Tag",
        "people.CustomField",
        "actions.Campaign",
        "actions.Action",
        "actions.LadderLevel",
        "api.ApiKey",
        "school.Program",
        "school.Module",
        "school.Material",
        "school.Cohort",
        "school.Session",
        "school.Assignment",
    }
)

# Rows of these models belong to whoever started them; roles with "<perm>" see everyone's.
OWNED_BY_STARTER = {"core.Job": "jobs.view_all"}


@dataclass(frozen=True)
class Actor:
    """Who acts in one organization: a signed-in user with the role they hold there, or the
    install itself (`command_line`, `system`), which has no user and is audited by `label`."""

    user: User | None
    organization: Organization
    role: str
    affiliate_ids: frozenset[int] = field(default_factory=frozenset)
    label: str = ""

    def __str__(self) -> str:
        who = self.user.email if self.user is not None else self.label
        return f"{who} as {self.role} in {self.organization.slug}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_affiliate_scoped(self) -> bool:
        return self.role == Role.AFFILIATE_LEAD

    @property
    def is_signed_in(self) -> bool:
        """True for a person at a page; False for the command line and the system, where
        nobody is there to confirm a choice."""
        return self.user is not None

    def can(self, permission: str) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())


COMMAND_LINE, SYSTEM = "command line", "system"


def command_line(organization: Organization) -> Actor:
    """Return the operator of the install acting in *organization* from the command line.

    Whoever can run `powerbase` on the server can read the database anyway, so the command
    line holds every permission (an owner's); the audit log names it "command line".
    """
    return Actor(user=None, organization=organization, role=Role.OWNER, label=COMMAND_LINE)


def system(organization: Organization) -> Actor:
    """Return powerbase itself acting in *organization*: background jobs nobody started by
    hand (the demo load, scheduled work). Audited as "system"."""
    return Actor(user=None, organization=organization, role=Role.OWNER, label=SYSTEM)


def roles_requiring_two_factor() -> frozenset[str]:
    """Return the roles an organization's two-factor requirement applies to."""
    return frozenset(
        role for role, perms in ROLE_PERMISSIONS.items() if perms & SENSITIVE_PERMISSIONS
    )


def organizations(user: User) -> models.QuerySet[Organization]:
    """Return the organizations *user* holds a role in."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    return Organization.objects.filter(
        id__in=Membership.objects.filter(user=user).values("organization_id")
    )


def actor_for(user: User, organization_slug: str) -> Actor:
    """Return *user* acting in the organization *organization_slug*.

    Raises NotFound whether the organization is missing or the user has no role in it, so an
    outsider cannot tell which organizations exist.
    """
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=user, organization__slug=organization_slug, user__is_active=True)
        .first()
    )
    if membership is None:
        if user.is_authenticated and Organization.objects.filter(slug=organization_slug).exists():
            audit.record_denial(
                user=user, organization_slug=organization_slug, reason="not a member"
            )
        raise NotFound("That organization")
    affiliate_ids: frozenset[int] = frozenset()
    if membership.role == Role.AFFILIATE_LEAD:
        # The grants live in the coalition app; read them through the reverse relation.
        affiliate_ids = frozenset(
            membership.affiliate_grants.values_list("affiliate_id", flat=True)
        )
    return Actor(
        user=user,
        organization=membership.organization,
        role=membership.role,
        affiliate_ids=affiliate_ids,
    )


def require(actor: Actor, permission: str, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied, and audit the refusal, unless *actor*'s role allows *permission*."""
    if permission not in _all_permissions():
        raise ValueError(f"Unknown permission {permission!r}: add it to ROLE_PERMISSIONS.")
    if not actor.can(permission):
        audit.record(actor, "access.denied", obj, changes={"permission": permission})
        raise PermissionDenied(permission, actor.role_label)


def require_same_organization(actor: Actor, *objects: TenantModel | None) -> None:
    """Refuse objects of another organization as if they did not exist (NotFound).

    For objects a service receives already loaded (a form's choice, a caller's argument);
    rows looked up by id go through `get`, which also applies the actor's role and affiliates.
    """
    for obj in objects:
        if obj is not None and obj.organization_id != actor.organization.pk:
            raise _not_found(type(obj))


def leads_affiliate(actor: Actor, affiliate: models.Model | None) -> bool:
    """True when *affiliate* is one of those the actor (an affiliate lead) was granted."""
    return affiliate is not None and affiliate.pk in actor.affiliate_ids


def require_affiliate(
    actor: Actor, affiliate: models.Model | None, message: str = "Choose one of your affiliates."
) -> None:
    """An affiliate lead acts only for their own affiliates: refuse any other, or none.

    Other roles act for the whole organization and pass, whatever *affiliate* is.
    """
    if actor.is_affiliate_scoped and not leads_affiliate(actor, affiliate):
        raise InvalidInput(message)


def scoped[Q: models.QuerySet](actor: Actor, queryset: Q) -> Q:
    """Return the rows of *queryset* (of its own QuerySet class) that *actor* may see."""
    model = queryset.model
    label = model._meta.label
    if not _has_organization_field(model):
        raise TypeError(f"{label} has no organization field and cannot be scoped to a tenant.")
    queryset = queryset.filter(organization=actor.organization)
    if label in OWNED_BY_STARTER and not actor.can(OWNED_BY_STARTER[label]):
        queryset = queryset.filter(started_by=actor.user)
    if actor.is_affiliate_scoped and label not in SHARED_WITH_AFFILIATE_LEADS:
        path = AFFILIATE_PATHS.get(label)
        if path is None:
            return queryset.none()
        queryset = queryset.filter(_within_affiliates(model, path, actor.affiliate_ids))
    return queryset


def get[M: models.Model](
    actor: Actor, model_or_queryset: type[M] | models.QuerySet[M], /, **lookup: object
) -> M:
    """Return the one row matching *lookup* that *actor* may see, or raise NotFound.

    A row that exists but is out of the actor's reach raises the same NotFound as a missing
    one, and the attempt is audited.
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        return scoped(actor, queryset).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        if _exists_safely(queryset, lookup):
            audit.record(
                actor,
                "access.denied",
                None,
                changes={"object_type": queryset.model._meta.label, "lookup": str(lookup)},
            )
        raise _not_found(queryset.model) from None


def _not_found(model: type[models.Model]) -> NotFound:
    # Every concrete model has a verbose name (Django derives one from the class name).
    return NotFound(str(model._meta.verbose_name).capitalize())


def _within_affiliates(
    model: type[models.Model], path: str, affiliate_ids: frozenset[int]
) -> models.Q:
    """Return the condition "this row reaches one of *affiliate_ids* through *path*".

    Written as a semi-join, never a join: a person in two of the lead's affiliates stays one
    row with no DISTINCT over the result. Rows that belong to a person (the person, their
    facts) test the membership table directly, which PostgreSQL hashes once instead of
    probing per row.
    """
    if path in (_VIA_PERSON, _PERSON_ITSELF):
        memberships = (
            apps.get_model("coalition", "AffiliateMembership")
            .objects.filter(affiliate_id__in=affiliate_ids)
            .values("person_id")
        )
        return models.Q(**{"pk__in" if path == _PERSON_ITSELF else "person_id__in": memberships})
    reachable = model._default_manager.filter(**{f"{path}__in": affiliate_ids})
    return models.Q(pk__in=reachable.values("pk"))


# What a person's record shows depends on the terms of the affiliates that hold them, which
# the coalition app owns. It registers its rules here when it is ready (`CoalitionConfig.ready`)
# so that core, which coalition builds on, never imports it.
_person_rules: dict[str, Callable] = {}


def register_person_rules(*, of_person: Callable, contact_visible_filter: Callable) -> None:
    """Install the coalition's visibility rules (called once, by `CoalitionConfig.ready`)."""
    _person_rules.update(of_person=of_person, contact_visible_filter=contact_visible_filter)


def _person_rule(name: str) -> Callable:
    try:
        return _person_rules[name]
    except KeyError:
        raise ImproperlyConfigured(
            "powerbase.coalition is not installed: it decides what a person's record shows."
        ) from None


def person_visibility(actor: Actor, person, *, memberships: list | None = None):
    """Decide what *actor* may see of *person*: the one rule lives in `coalition.visibility`.

    Expects the person's memberships prefetched with their affiliates (`people.queries` does),
    or all of them given as *memberships* (each with its affiliate loaded).
    """
    return _person_rule("of_person")(actor, person, memberships=memberships)


def contact_visible_filter(actor: Actor) -> models.Q:
    """Return a filter on Person keeping those whose IPO-held contact details *actor* may see.

    A person-level test; a search through one fact (an email, a phone) should use
    `coalition.visibility.contact_facts_filter`, which also applies the terms of the affiliate
    that provided that fact.
    """
    return _person_rule("contact_visible_filter")(actor)


def leaders_people(actor: Actor) -> models.Q:
    """Return the condition, on Person, "one of the people this leader works with".

    A member leader sees the people they brought (recruited to an RSVP or an action), the
    RSVPs of actions they created, the people they held one-on-ones with, the members among
    the voters of turfs given to them, and themselves (the person whose email is their
    sign-in address), not the whole base. Models are named by label: core sits below them.
    """

    def model(label: str):
        return apps.get_model(label)

    org = actor.organization
    emails = model("people.EmailAddress").objects.filter(organization=org)
    # The command line and the system sign in with no address: no person is "themselves".
    me = (
        emails.filter(address=actor.user.email.lower()) if actor.user is not None else emails.none()
    ).values("person_id")
    brought = [
        model(label).objects.filter(organization=org, recruited_by_id__in=me).values("person_id")
        for label in ("actions.Rsvp", "actions.Attendance")
    ]
    own_actions = (
        model("actions.Rsvp")
        .objects.filter(organization=org, action__created_by=actor.user)
        .values("person_id")
    )
    met = (
        model("actions.OneOnOne")
        .objects.filter(organization=org, held_by=actor.user)
        .values("person_id")
    )
    turf_members = {
        voter["person_id"]
        for voters in model("field.Door")
        .objects.filter(organization=org, turf__canvassers=actor.user)
        .values_list("voters", flat=True)
        for voter in voters or []
        if voter.get("person_id")
    }
    condition = models.Q(pk__in=me) | models.Q(pk__in=own_actions) | models.Q(pk__in=met)
    for subquery in brought:
        condition |= models.Q(pk__in=subquery)
    if turf_members:
        condition |= models.Q(pk__in=sorted(turf_members))
    return condition


def jobs(actor: Actor) -> models.QuerySet[Job]:
    """Return the jobs *actor* may follow."""
    return scoped(actor, Job.objects.all())


def _exists_safely(queryset: models.QuerySet, lookup: dict) -> bool:
    try:
        return queryset.filter(**lookup).exists()
    except (ValueError, TypeError):
        return False


def _has_organization_field(model: type[models.Model]) -> bool:
    try:
        return model._meta.get_field("organization").related_model is Organization
    except Exception:
        return False


def _all_permissions() -> frozenset[str]:
    return frozenset().union(*ROLE_PERMISSIONS.values())
