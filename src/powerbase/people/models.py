"""People in the base: names, contact points, self-identified demographics, tags, notes, custom
fields, and where every fact came from."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from powerbase.core.encryption import EncryptedTextField
from powerbase.core.models import TenantModel, TenantQuerySet
from powerbase.people.names import search_keys


class Source(TenantModel):
    """Where facts came from: an import, an affiliate's list, a form, a person typing, a merge.

    Every fact (a person's name, an email, a membership) points at the source that gave it, so
    the person page can show a timeline and an import can be undone fact by fact.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        MANUAL = "manual", "Entered by hand"
        FORM = "form", "Public form"
        MERGE = "merge", "Merge"
        DEMO = "demo", "Demo data"
        API = "api", "API key"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=200, help_text="What a reader sees, e.g. 'roster.csv'.")
    # A source outlives the affiliate or user it names only in its label.
    affiliate = models.ForeignKey(
        "coalition.Affiliate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label


class PersonQuerySet(TenantQuerySet):
    def unmerged(self):
        """Return the people not merged into another record (any status, active or not)."""
        return self.filter(merged_into__isnull=True)


def prefix_condition(column: str, prefix: str) -> models.Q:
    """Return "column starts with prefix" written so an ordinary index can answer it.

    A range, not LIKE: SQLite never uses an index for LIKE ... ESCAPE, and PostgreSQL's
    planner estimates a range far better, which decides whether it hashes or probes. Under a
    linguistic collation that ignores spaces the range can also admit a key such as
    "maria gonzalez" for "mariag"; for a search box that is a fair answer.
    """
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return models.Q(**{f"{column}__gte": prefix, f"{column}__lt": after})


# `as_manager()` does the same; a named class lets mypy type `objects` on a TenantModel subclass.
PersonManager = models.Manager.from_queryset(PersonQuerySet)


class Person(TenantModel):
    """A human in the base. One record per human, however many lists they arrive on."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DO_NOT_CONTACT = "do_not_contact", "Do not contact"
        DECEASED = "deceased", "Deceased"

    class RaceEthnicity(models.TextChoices):
        """The minimum categories of the 2024 federal standard (OMB SPD 15)."""

        AMERICAN_INDIAN = "american_indian_or_alaska_native", "American Indian or Alaska Native"
        ASIAN = "asian", "Asian"
        BLACK = "black_or_african_american", "Black or African American"
        HISPANIC = "hispanic_or_latino", "Hispanic or Latino"
        MENA = "middle_eastern_or_north_african", "Middle Eastern or North African"
        PACIFIC_ISLANDER = (
            "native_hawaiian_or_pacific_islander",
            "Native Hawaiian or Pacific Islander",
        )
        WHITE = "white", "White"

    given_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    suffix = models.CharField(max_length=20, blank=True)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What they like to be called, if not the given name."
    )
    birth_date = models.DateField(null=True, blank=True)
    languages = models.JSONField(
        default=list, blank=True, help_text="Languages spoken, most comfortable first."
    )
    race_ethnicity = models.JSONField(
        default=list, blank=True, help_text="Self-identified; any of RaceEthnicity."
    )
    race_ethnicity_detail = models.CharField(
        max_length=200, blank=True, help_text="Self-described, in their words."
    )
    gender_identity = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    is_direct_member = models.BooleanField(
        default=False,
        help_text="Joined the IPO itself (its own sign-ups or lists), not only via an affiliate. "
        "The IPO's staff see a direct member's contact details whatever the sharing "
        "terms of their affiliates.",
    )
    # Search keys: lower-case, accents and punctuation removed (see people.names.name_key).
    given_key = models.CharField(max_length=100, blank=True, editable=False)
    family_key = models.CharField(max_length=100, blank=True, editable=False)
    full_key = models.CharField(max_length=201, blank=True, editable=False)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every edit; a save from an older version is refused."
    )
    # A merged-away record points at the survivor (identity's dedupe); merges can be undone.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where this person first came from.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[PersonManager] = PersonManager()

    SENSITIVE_FIELDS = ("race_ethnicity", "race_ethnicity_detail", "gender_identity", "pronouns")
    NAME_FIELDS = ("given_name", "middle_name", "family_name", "suffix", "preferred_name")

    class Meta:
        ordering = ["family_key", "given_key", "id"]
        indexes = [
            models.Index(fields=["organization", "family_key"], name="person_family_key"),
            models.Index(fields=["organization", "given_key"], name="person_given_key"),
            models.Index(fields=["organization", "full_key"], name="person_full_key"),
            models.Index(fields=["organization", "birth_date"], name="person_birth_date"),
            # identity.base.fingerprint reads only this index: count, highest id, latest change
            models.Index(
                fields=["organization", "status", "merged_into", "updated_at", "id"],
                name="person_stamp",
            ),
            # democracy.electorates counts the members in good standing from this index only
            models.Index(
                fields=["organization", "status", "merged_into", "is_direct_member"],
                name="person_good_standing",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        given = self.preferred_name or self.given_name
        return " ".join(part for part in (given, self.family_name) if part) or "(no name)"

    @property
    def full_name(self) -> str:
        parts = (self.given_name, self.middle_name, self.family_name, self.suffix)
        return " ".join(part for part in parts if part)

    def refresh_keys(self) -> None:
        """Recompute the search keys from the name fields (services call this before saving)."""
        self.given_key, self.family_key, self.full_key = search_keys(
            given=self.given_name, preferred=self.preferred_name, family=self.family_name
        )


class Fact(TenantModel):
    """Base of the facts attached to a person, each remembering its source."""

    # A fact belongs to its person; merges move facts rather than delete people.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class EmailAddress(Fact):
    """An email address of a person, lower-cased."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(max_length=254)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["organization", "address"], name="email_address")]
        constraints = [
            models.UniqueConstraint(fields=["person", "address"], name="one_email_per_person")
        ]

    def __str__(self) -> str:
        return self.address


class PhoneNumber(Fact):
    """A phone number of a person in E.164 form, with its type and SMS consent."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", "Mobile"
        HOME = "home", "Home"
        WORK = "work", "Work"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    e164 = models.CharField(max_length=20, help_text="e.g. +12035550123")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    sms_consent = models.BooleanField(
        default=False, help_text="They agreed to receive text messages."
    )
    digits_reversed = models.CharField(
        max_length=20,
        editable=False,
        help_text="The national digits reversed, so 'ends with 0123' is a prefix search.",
    )
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        indexes = [
            models.Index(fields=["organization", "e164"], name="phone_e164"),
            models.Index(fields=["organization", "digits_reversed"], name="phone_reversed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "e164"], name="one_phone_per_person")
        ]

    def __str__(self) -> str:
        return self.e164


class PostalAddress(Fact):
    """A postal address: the text as received, and its normalized parts when it parsed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    original = models.CharField(max_length=300, help_text="Exactly as it arrived.")
    line1 = models.CharField(max_length=200, blank=True)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    is_normalized = models.BooleanField(
        default=False, help_text="False when the parser could not read it."
    )
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name_plural = "postal addresses"
        indexes = [
            models.Index(fields=["organization", "zip_code"], name="address_zip"),
            # identity.base.fingerprint reads only this index
            models.Index(fields=["organization", "recorded_at", "id"], name="address_stamp"),
        ]

    def __str__(self) -> str:
        if self.is_normalized:
            return ", ".join(
                p
                for p in (
                    self.line1,
                    self.line2,
                    self.city,
                    f"{self.state} {self.zip_code}".strip(),
                )
                if p
            )
        return self.original


TAG_NAME_LENGTH = 80


class Tag(TenantModel):
    """A label organizers put on people ("building captain", "spanish speaker")."""

    name = models.CharField(max_length=TAG_NAME_LENGTH)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="tag_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class PersonTag(Fact):
    """A tag on a person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="people")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="one_tag_per_person")]

    def __str__(self) -> str:
        return f"{self.tag}"


class Note(Fact):
    """Something an organizer wrote about a person. Sensitive notes (for example anything about
    immigration status) are shown only to roles that may see sensitive fields."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    # A note outlives its author's account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Encrypted at rest (core.encryption): a backup or SQL prompt shows only a token.
    body = EncryptedTextField()
    is_sensitive = models.BooleanField(default=False)

    class Meta:
        ordering = ["-recorded_at"]

    SENSITIVE_FIELDS = ("body",)

    def __str__(self) -> str:
        # Not the body: this string is what the audit log keeps as the entry's object.
        return f"{'Sensitive note' if self.is_sensitive else 'Note'} #{self.pk}"


class CustomField(TenantModel):
    """A field an organization defines for its people: text, number, date or a choice."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        CHOICE = "choice", "Choice"

    name = models.CharField(max_length=80)
    key = models.SlugField(max_length=80, help_text="Used in import mappings and exports.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text="Allowed values of a choice.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="custom_field_key_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class CustomValue(Fact):
    """A person's value for a custom field, stored as text in a canonical form (ISO dates)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="custom_values")
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "field"], name="one_value_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"


class PersonChange(TenantModel):
    """One entry in a person's history: a fact added, changed or removed, by which source.

    The person page's timeline reads these; undoing an import replays them backwards.
    """

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        REMOVED = "removed", "Removed"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    field = models.CharField(max_length=60, help_text="A Person field, or 'email', 'phone'...")
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "-recorded_at"], name="change_timeline")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.action} {self.field}"


class SavedList(TenantModel):
    """A named search of the people page (query and filters) to come back to."""

    name = models.CharField(max_length=120)
    filters = models.JSONField(default=dict, help_text="The people page's query parameters.")
    # A list belongs to the organization; its creator may leave.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
