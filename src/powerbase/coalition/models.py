"""Affiliates: the member organizations of an IPO, and which leads speak for them."""

from django.db import models
from django.utils import timezone

from powerbase.core.models import Membership, TenantModel


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

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, help_text="Short name used in the CLI and imports.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="affiliate_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class AffiliateGrant(models.Model):
    """Lets one affiliate-lead membership see and edit one affiliate's members."""

    # The grant means nothing without the role it extends or the affiliate it opens.
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                   related_name="affiliate_grants")
    affiliate = models.ForeignKey(Affiliate, on_delete=models.CASCADE, related_name="lead_grants")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "affiliate"], name="one_grant_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} leads {self.affiliate}"
