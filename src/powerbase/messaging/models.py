"""Messages to the base by email and text: consent, the messages, each recipient, replies."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class Consent(TenantModel):
    """Whether a person agreed to hear from the organization on one channel, and how we know.

    One row per person and channel holds the current answer; the audit log keeps every change.
    No row means no consent: nothing is sent.
    """

    class Status(models.TextChoices):
        GRANTED = "granted", "Granted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Source(models.TextChoices):
        FORM = "form", "Public form"
        IMPORT = "import", "Import"
        AFFILIATE_TERMS = "affiliate_terms", "Affiliate's terms"
        API = "api", "API"
        STAFF = "staff", "Entered by staff"
        STOP_REPLY = "stop_reply", "STOP reply"
        START_REPLY = "start_reply", "START reply"
        CARRIER_STOP = "carrier_stop", "Carrier STOP"
        UNSUBSCRIBE_LINK = "unsubscribe_link", "Unsubscribe link"
        PROVIDER_REPORT = "provider_report", "Email provider's report"

    # Consent is a fact about the person; it goes with them.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    detail = models.CharField(
        max_length=200, blank=True, help_text="More on the source: the form, the file, the key."
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "channel"], name="one_consent_per_channel")
        ]
        indexes = [
            models.Index(fields=["organization", "channel", "status"], name="consent_by_status")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_status_display().lower()}"


class AffiliateTerms(TenantModel):
    """Whether the IPO may message an affiliate's members at all, per channel.

    The affiliate decides; without a row the IPO may not (closed until someone decides, as
    contact details are). A person in several affiliates is messaged only if all of them allow.
    """

    # The terms are the affiliate's; they go with it.
    affiliate = models.OneToOneField(
        "coalition.Affiliate", on_delete=models.CASCADE, related_name="messaging_terms"
    )
    may_email = models.BooleanField(default=False)
    may_text = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "affiliate terms"

    def __str__(self) -> str:
        return f"Messaging terms of {self.affiliate}"

    def allows(self, channel: str) -> bool:
        return self.may_email if channel == Channel.EMAIL else self.may_text


class SendingLimit(TenantModel):
    """An organization's own messaging settings: how many messages it may send in a day, and
    the hours no text goes out. Each left empty (or no row) means the install's setting
    (MESSAGES_PER_DAY, SMS_QUIET_HOURS)."""

    per_day = models.PositiveIntegerField(null=True, blank=True)
    quiet_start = models.TimeField(
        null=True, blank=True, help_text="No text goes out from this time, recipient's time."
    )
    quiet_end = models.TimeField(null=True, blank=True, help_text="...until this time.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_sending_limit_per_org")
        ]

    def __str__(self) -> str:
        return f"Messaging settings of {self.organization}"


class Message(TenantModel):
    """One email or text to an audience, written once with merge fields, sent to each person."""

    class Kind(models.TextChoices):
        BULK = "bulk", "Message"
        RSVP_CONFIRMATION = "rsvp_confirmation", "RSVP confirmation"
        RSVP_REMINDER = "rsvp_reminder", "RSVP reminder"
        TEST = "test", "Test send"

    class Audience(models.TextChoices):
        SAVED_LIST = "saved_list", "A saved list"
        UNIVERSE = "universe", "A universe's members"
        ACTION_RSVPS = "action_rsvps", "An action's RSVPs"
        AFFILIATE = "affiliate", "An affiliate's shared members"
        ABSENT = "absent", "A structure test's committed-but-absent people"
        PERSON = "person", "One person"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BULK)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(max_length=200, blank=True, help_text="Emails only.")
    body = models.TextField(
        help_text="With merge fields: {{first_name}}, {{action}}, {{time}}, {{place}}, {{link}}."
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    audience_id = models.PositiveIntegerField(
        help_text="The saved list, universe, action, affiliate or person the audience names."
    )
    # The action whose title, time, place and link fill the merge fields; optional.
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reminder_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a reminder: how long before the action it goes."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled one goes.")
    # A message outlives its author's account.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The job that sends it; the message stays when old jobs are cleared.
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "reminder_minutes", "channel"],
                condition=models.Q(kind="rsvp_reminder"),
                name="one_reminder_per_offset_and_channel",
            ),
            models.UniqueConstraint(
                fields=["action", "channel"],
                condition=models.Q(kind="rsvp_confirmation"),
                name="one_confirmation_per_channel",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or self.body[:60]


class Recipient(TenantModel):
    """One person a message goes to: the address used, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"

    # A recipient row is the record of what was sent; it goes with the message or the person.
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="messages_received"
    )
    address = models.CharField(max_length=254, help_text="The email or E.164 number used.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    provider_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "person"], name="one_recipient_per_person")
        ]
        indexes = [
            models.Index(fields=["provider_id"], name="recipient_provider_id"),
            models.Index(fields=["message", "status"], name="recipient_by_status"),
            models.Index(fields=["organization", "sent_at"], name="recipient_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.message} to {self.person}"


class InboundMessage(TenantModel):
    """A reply or text someone sent us."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    from_address = models.CharField(max_length=254)
    text = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    # The person the address belongs to, if known; a reply stays when they are removed.
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages_sent",
    )
    # The last message sent to that address, which this most likely answers.
    in_reply_to = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} from {self.from_address}"


class ActionMessaging(TenantModel):
    """An action's own mail: whether RSVPs are confirmed, when reminders go, and how: by
    email, by text, or both (each to those who agreed to that channel)."""

    class Channels(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"
        BOTH = "both", "Email and text"

    # Settings of the action; they go with it.
    action = models.OneToOneField(
        "actions.Action", on_delete=models.CASCADE, related_name="messaging"
    )
    confirm_rsvps = models.BooleanField(default=True)
    reminder_minutes = models.JSONField(
        default=list, help_text="Minutes before the start each reminder goes, e.g. [1440, 120]."
    )
    channels = models.CharField(max_length=5, choices=Channels.choices, default=Channels.EMAIL)

    def __str__(self) -> str:
        return f"Messages of {self.action}"
