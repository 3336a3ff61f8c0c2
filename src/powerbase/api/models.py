"""API keys, identifiers of people in other systems, and webhook subscriptions."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel


class ApiKey(TenantModel):
    """A key a user holds for one organization. Only a hash of the secret is kept.

    A key does what its user may do in the organization at the moment of each request: the
    role is looked up every time, so a downgrade or a removal applies at once.
    """

    # A key dies with its user: nobody else may act with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. 'Parsons sync'.")
    prefix = models.CharField(
        max_length=16,
        unique=True,
        help_text="The key's public start, shown in lists to tell keys apart.",
    )
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the whole key, in hex.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PersonIdentifier(TenantModel):
    """A person's id in another system ("van:1234", "action_network:abc-123")."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="external_identifiers"
    )
    system = models.CharField(max_length=40, help_text="e.g. van, action_network")
    value = models.CharField(max_length=200)
    # Who told us; the identifier stays when the source's key is revoked.
    source = models.ForeignKey("people.Source", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["system", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "system", "value"], name="one_person_per_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.value}"


class WebhookSubscription(TenantModel):
    """A URL the organization asked us to tell about changes, signed with its own secret."""

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Names from webhooks.EVENTS.")
    secret = models.CharField(max_length=64, help_text="Signs every delivery (HMAC-SHA256).")
    is_active = models.BooleanField(default=True)
    # The subscription belongs to the organization; its creator may leave.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(TenantModel):
    """One event sent (or being sent) to one subscription, with what the receiver answered."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        RETRYING = "retrying", "Failed, will retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(
        max_length=500, blank=True, help_text="The start of the receiver's answer, or the error."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url}"
