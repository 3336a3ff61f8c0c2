"""Organizations (the tenants), the people who log in, their roles, the audit log and jobs."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

from powerbase.core.job_kinds import label_for
from powerbase.core.us_states import USState


class Organization(models.Model):
    """An independent political organization: the tenant every other record belongs to."""

    class Level(models.TextChoices):
        LOCAL = "local", "Local"
        STATE = "state", "State"
        NATIONAL = "national", "National network"

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Short name used in web addresses and the CLI."
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.STATE)
    state = models.CharField(
        max_length=2,
        choices=USState.choices,
        blank=True,
        help_text="Home state; blank for a national network.",
    )
    # A network is not deleted while its member organizations exist.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The network this organization belongs to, if any.",
    )
    require_two_factor = models.BooleanField(
        default=True,
        help_text="Require two-factor sign-in for roles that export data or see sensitive fields "
        "(owner, admin, data director). On unless an owner turns it off; the demo "
        "organizations keep it off so demo logins take one step.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Holds invented demo data; every page says so."
    )
    link_after_import = models.BooleanField(
        default=True,
        help_text="After a list import, link the new people to the voter file in use (a job).",
    )
    ballot_line = models.CharField(
        max_length=40,
        blank=True,
        help_text="The organization's own ballot line in fusion voting, as results code it "
        "(WFP): what election and race pages show delivered unless another is "
        "asked for. Blank: the first fusion line in the results.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantQuerySet(models.QuerySet):
    """Base queryset of organization-owned rows. Scoping to an actor goes through `access`."""


class TenantModel(models.Model):
    """Abstract base of every table that belongs to one organization.

    `powerbase.core.access.scoped` filters any TenantModel queryset to the actor's organization,
    so a model that inherits from this cannot leak across tenants through the access module.
    """

    # An organization is archived, never deleted, while it holds records.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        raise ImproperlyConfigured(
            "powerbase has no superusers: create an organization owner with "
            "`powerbase createuser EMAIL --org SLUG --role owner`."
        )

    def get_by_natural_key(self, username: str | None) -> "User":
        if username is None:
            # Django's own manager looks up `email=None` here, which matches no one.
            raise self.model.DoesNotExist("A user needs an email address.")
        # Sign-in is case-insensitive: emails are stored lower-case.
        return self.get(email=username.strip().lower())


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. What they may do depends on their role in each organization."""

    email = models.EmailField(unique=True, help_text="Used to sign in; stored lower-case.")
    name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_staff(self) -> bool:
        # There is no Django admin site; nobody is "staff" in Django's sense.
        return False


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app, for a user who lost it.

    Only a SHA-256 digest is stored: the code is shown once, when it is made. Codes carry 60
    random bits, so a digest without a slow hash cannot be reversed by guessing.
    """

    # A user's recovery codes go with the account.
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the code.")
    used_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was used; a used code never works again."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"


class Role(models.TextChoices):
    """What a user may do in one organization; the permissions are in `access.ROLE_PERMISSIONS`."""

    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    ORGANIZER = "organizer", "Organizer"
    DATA = "data", "Data director"
    AFFILIATE_LEAD = "affiliate_lead", "Affiliate lead"
    LEADER = "leader", "Member leader"
    VIEWER = "viewer", "Viewer"


class Membership(TenantModel):
    """A user's role in one organization. An affiliate lead's affiliates hang off this row."""

    # Removing a user removes their roles; the audit log keeps what they did.
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_role_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class AuditEntryQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only: entries cannot be updated.")

    def delete(self):
        raise TypeError("The audit log is append-only: entries cannot be deleted.")


class AuditEntry(models.Model):
    """One thing that happened: who did what to which record, from where, and when.

    Append-only: the queryset refuses updates and deletes, and triggers refuse them in the
    database too (SQLite and PostgreSQL). Each entry is linked to the one before it by a hash
    (`powerbase audit verify` checks the chain). The values of sensitive fields are never
    stored, only their names.
    """

    # Sign-in events have no organization; every other entry has one.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Users are deactivated, not deleted, so entries keep their actor.
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(
        max_length=254,
        blank=True,
        help_text="The actor's email at the time, or the username tried at a failed sign-in.",
    )
    action = models.CharField(max_length=80, help_text="What happened, e.g. 'membership.created'.")
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Field -> [old, new]; sensitive fields hold 'changed' instead of values.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    chain_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="SHA-256 of the previous entry's hash and this entry (core.audit_chain).",
    )

    objects = AuditEntryQuerySet.as_manager()

    # Not stored: what the audit page may print, set by `core.audit.for_display`.
    shown_repr: str
    shown_changes: list[tuple[str, str]]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The log page, newest first: read backwards, in the order of `Meta.ordering`,
            # holding the columns a page's ids are chosen by (core.queries.audit_entries).
            models.Index(fields=["organization", "created_at", "id"], name="audit_by_time"),
            # The end of an organization's hash chain, found at every append.
            models.Index(fields=["organization", "id"], name="audit_chain_end"),
            # The log page's menu of actions, read from the index alone.
            models.Index(fields=["organization", "action"], name="audit_actions"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        # Append-only is a storage rule, not business logic: refuse rewriting an entry.
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only: entries cannot be deleted.")


class Job(models.Model):
    """A piece of background work (an import, a match, the demo load) and its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    # Platform jobs (loading the demo) have no organization.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=60, help_text="Which handler runs it; see core.jobs.KINDS.")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True, help_text="Blank until known.")
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(
        blank=True, help_text="What went wrong, for the person who started it."
    )
    result = models.JSONField(default=dict, blank=True)
    # A job outlives the account that started it.
    started_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last progress report; a stale one means a lost worker."
    )
    worker = models.CharField(
        max_length=120,
        blank=True,
        help_text="host:pid of the process running it, to tell a dead worker from a slow one.",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def label(self) -> str:
        return label_for(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, int(100 * self.done / self.total))
