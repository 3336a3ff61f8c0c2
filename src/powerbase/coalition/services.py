"""Write operations on affiliates and affiliate leads. Each checks access and is audited."""

from django.db import transaction
from django.utils.text import slugify

from powerbase.coalition import queries
from powerbase.coalition.models import Affiliate, AffiliateGrant
from powerbase.core import access, audit
from powerbase.core import services as core_services
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import Membership, Role, User


def create_affiliate(
    *, actor: Actor, name: str, kind: str = Affiliate.Kind.OTHER, slug: str = "", **details
) -> Affiliate:
    """Add an affiliate to the actor's organization."""
    access.require(actor, "affiliates.manage")
    organization = actor.organization
    name = name.strip()
    slug = slug or slugify(name)[:60]
    if not name:
        raise InvalidInput("An affiliate needs a name.", field="name")
    if kind not in Affiliate.Kind.values:
        raise InvalidInput(
            f"Kind '{kind}' is not one of: {', '.join(Affiliate.Kind.values)}.", field="kind"
        )
    if Affiliate.objects.filter(organization=organization, slug=slug).exists():
        raise Conflict(
            f"{organization} already has an affiliate with the short name '{slug}'.", field="name"
        )
    with transaction.atomic():
        affiliate = Affiliate.objects.create(
            organization=organization, name=name, slug=slug, kind=kind, **details
        )
        audit.record(
            actor,
            "affiliate.created",
            affiliate,
            organization=organization,
            changes={"name": [None, name], "kind": [None, kind]},
        )
    return affiliate


def grant_affiliate(
    *, membership: Membership, affiliate: Affiliate, granted_by: Actor
) -> AffiliateGrant:
    """Let an affiliate lead see and edit *affiliate*'s members."""
    access.require(granted_by, "members.manage", membership)
    access.require_same_organization(granted_by, membership)
    if membership.role != Role.AFFILIATE_LEAD:
        raise InvalidInput(
            f"{membership.user.email} is not an affiliate lead: only affiliate "
            "leads are scoped to affiliates."
        )
    if affiliate.organization_id != membership.organization_id:
        raise InvalidInput(f"{affiliate} is not an affiliate of {membership.organization}.")
    with transaction.atomic():
        grant, created = AffiliateGrant.objects.get_or_create(
            membership=membership, affiliate=affiliate
        )
        if created:
            audit.record(
                granted_by,
                "affiliate_grant.created",
                grant,
                organization=membership.organization,
                changes={
                    "user": [None, membership.user.email],
                    "affiliate": [None, affiliate.name],
                },
            )
    return grant


def add_user(
    *,
    actor: Actor,
    email: str,
    name: str = "",
    password: str | None = None,
    role: str,
    affiliate_slugs: tuple[str, ...] | list[str] = (),
) -> Membership:
    """Give the person who signs in with *email* *role* in the actor's organization, creating
    their account (with *password*) if they have none; an affiliate lead also gets the
    affiliates named by *affiliate_slugs*. All of it, or nothing (`powerbase createuser`)."""
    with transaction.atomic():
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            user = core_services.create_user(
                email=email, name=name, password=password, created_by=actor
            )
        membership = core_services.grant_role(user=user, role=role, granted_by=actor)
        for slug in affiliate_slugs:
            affiliate = access.scoped(actor, Affiliate.objects.filter(slug=slug)).first()
            if affiliate is None:
                raise InvalidInput(f"{actor.organization} has no affiliate '{slug}'.")
            grant_affiliate(membership=membership, affiliate=affiliate, granted_by=actor)
    return membership


def set_affiliate_grants(
    *, actor: Actor, membership: Membership, affiliates: list[Affiliate]
) -> None:
    """Make *affiliates* exactly the set an affiliate lead is scoped to."""
    access.require(actor, "members.manage", membership)
    wanted = {a.pk: a for a in affiliates}
    with transaction.atomic():
        for grant in membership.affiliate_grants.select_related("affiliate"):
            if grant.affiliate_id not in wanted:
                audit.record(
                    actor,
                    "affiliate_grant.deleted",
                    grant,
                    changes={
                        "user": [membership.user.email, None],
                        "affiliate": [grant.affiliate.name, None],
                    },
                )
                grant.delete()
        for affiliate in wanted.values():
            grant_affiliate(membership=membership, affiliate=affiliate, granted_by=actor)


AFFILIATE_FIELDS = (
    "name",
    "kind",
    "status",
    "claimed_size",
    "contact_name",
    "contact_email",
    "contact_phone",
    "joined_on",
)


def update_affiliate(*, actor: Actor, affiliate: Affiliate, changes: dict) -> Affiliate:
    """Edit an affiliate's details (not its sharing terms: see `set_sharing_terms`)."""
    access.require(actor, "affiliates.manage", affiliate)
    unknown = set(changes) - set(AFFILIATE_FIELDS)
    if unknown:
        raise InvalidInput(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    return _save(actor, affiliate, changes, "affiliate.updated")


def set_sharing_terms(
    *, actor: Actor, affiliate: Affiliate, share_contact: bool, share_demographics: bool
) -> Affiliate:
    """Decide what the IPO's staff may see of *affiliate*'s members.

    The affiliate's own lead decides for their affiliate; owners and admins may record terms
    agreed with an affiliate that has no lead in powerbase. Every change is audited.
    """
    if not queries.may_set_terms(actor, affiliate):
        access.require(actor, "affiliates.manage", affiliate)  # refuses and audits
    access.get(actor, Affiliate, pk=affiliate.pk)
    return _save(
        actor,
        affiliate,
        {"share_contact": share_contact, "share_demographics": share_demographics},
        "affiliate.sharing_terms_changed",
    )


def _save(actor: Actor, affiliate: Affiliate, changes: dict, action: str) -> Affiliate:
    with transaction.atomic():
        current = Affiliate.objects.select_for_update().get(pk=affiliate.pk)
        differences = audit.field_changes(
            {name: getattr(current, name) for name in changes}, changes
        )
        if differences:
            for name, value in changes.items():
                setattr(current, name, value)
            current.save(update_fields=list(changes))
            audit.record(actor, action, current, changes=differences)
    return current
