"""Affiliates: the member organizations of an IPO, and which leads speak for them."""

from typing import ClassVar

from django.db import models
from django.utils import timezone

from powerbase.core.models import Membership, TenantModel, TenantQuerySet


class Affiliate(TenantModel):
    """A member organization of the IPO: a union local, a tenant union, a congregation..."""

    class Kind(models.TextChoices):
        LABOR_UNION = "labor_union", "Labor union"
        TENANT_UNION = "tenant_union", "Tenant union"
        FAITH = "faith", "Faith organization"
        COMMUNITY = "community", "Community organization"
        WORKER_CENTER = "worker_center", "Worker center"
        STUDENT = "student", "Student organization"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        MEMBER = "member", "Member"
        ALLY = "ally", "Ally"
        PROSPECTIVE = "prospective", "Prospective"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, help_text="Short name used in the CLI and imports.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.MEMBER)
    claimed_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many members the affiliate says it has."
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    joined_on = models.DateField(null=True, blank=True, help_text="When it joined the IPO.")
    # Sharing terms: what the IPO's staff may see of this affiliate's members. Names and
    # districts are always shared; an affiliate lead always sees their own members in full.
    share_contact = models.BooleanField(
        default=False, help_text="The IPO's staff may see members' emails, phones and addresses."
    )
    share_demographics = models.BooleanField(
        default=False,
        help_text="Roles allowed sensitive fields may see members' self-identified demographics.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="affiliate_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class AffiliateMembershipQuerySet(TenantQuerySet):
    def current(self):
        return self.filter(status=AffiliateMembership.Status.ACTIVE)


# `as_manager()` does the same; a named class lets mypy type `objects` on a TenantModel subclass.
AffiliateMembershipManager = models.Manager.from_queryset(AffiliateMembershipQuerySet)


class AffiliateMembership(TenantModel):
    """A person's membership of an affiliate: the link that makes them part of the base."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEADER = "leader", "Steward / leader"
        STAFF = "staff", "Staff"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LAPSED = "lapsed", "Lapsed"
        FORMER = "former", "Former"

    # A membership is a fact about a person; it goes with them.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="affiliate_memberships"
    )
    affiliate = models.ForeignKey(Affiliate, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.ForeignKey("people.Source", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[AffiliateMembershipManager] = AffiliateMembershipManager()

    class Meta:
        ordering = ["affiliate__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "affiliate"], name="one_membership_per_affiliate"
            )
        ]
        indexes = [
            models.Index(fields=["affiliate", "status"], name="membership_by_affiliate"),
            # An affiliate lead's view of the base is "person in (members of my affiliates)":
            # this index answers it without reading the table.
            models.Index(fields=["affiliate", "person"], name="membership_members"),
            # identity.base.fingerprint reads only this index
            models.Index(
                fields=["organization", "status", "recorded_at", "id"], name="membership_stamp"
            ),
            # democracy.electorates finds the memberships in good standing from this index only
            models.Index(
                fields=["organization", "status", "affiliate", "person"],
                name="membership_good_standing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.affiliate} ({self.get_role_display()})"


class AffiliateGrant(models.Model):
    """Lets one affiliate-lead membership see and edit one affiliate's members."""

    # The grant means nothing without the role it extends or the affiliate it opens.
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="affiliate_grants"
    )
    affiliate = models.ForeignKey(Affiliate, on_delete=models.CASCADE, related_name="lead_grants")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "affiliate"], name="one_grant_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} leads {self.affiliate}"
