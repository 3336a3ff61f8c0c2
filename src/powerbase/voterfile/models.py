"""Versions of an organization's voter file, and the districts drawn from the current one.

The voter records themselves live in DuckDB files (see `store`); these rows are what Django
needs to know about them: which file is in use, what each import found and changed, and the
list of districts with their counts, so other apps can point at a district.
"""

from typing import ClassVar, cast

from django.db import models
from django.utils import timezone

from powerbase.core.models import Job, TenantModel, TenantQuerySet, User


class VoterFileVersionQuerySet(TenantQuerySet):
    def current(self) -> "VoterFileVersion | None":
        """Return the version in use: the highest-numbered one that is ready.

        Held versions (failed a sanity gate) and set-aside ones (someone went back to an
        earlier version) are never in use.
        """
        # The queryset class is not generic, so the stubs cannot know its rows are versions.
        latest = self.filter(status=VoterFileVersion.Status.READY).order_by("-number").first()
        return cast("VoterFileVersion | None", latest)


# `as_manager()` does the same; a named class lets mypy type `objects` on a TenantModel subclass.
VoterFileVersionManager = models.Manager.from_queryset(VoterFileVersionQuerySet)


class VoterFileVersion(TenantModel):
    """One complete import of the voter file. The highest-numbered ready one is in use.

    A row is created only once its DuckDB file is complete, in the same transaction that
    refreshes the districts, so creating a ready row is the switch from the old version to
    the new. A version that fails a sanity gate is created held: kept for inspection, not used.
    """

    class Status(models.TextChoices):
        READY = "ready", "Ready"
        HELD = "held", "Held: failed a check"
        SET_ASIDE = "set_aside", "Set aside for an earlier version"

    number = models.PositiveIntegerField(help_text="1 for the first import, then 2, 3, ...")
    file_name = models.CharField(
        max_length=100, help_text="The DuckDB file under the organization's voter file folder."
    )
    layout = models.CharField(max_length=40, help_text="The layout the files were read with.")
    source_files = models.JSONField(
        default=list, help_text="Each file read: name, role, bytes, rows and malformed rows."
    )
    voter_count = models.PositiveIntegerField(
        default=0, help_text="Registrations kept, including inactive and removed ones."
    )
    active_voter_count = models.PositiveIntegerField(default=0)
    vote_count = models.PositiveBigIntegerField(
        default=0, help_text="Votes in the history: one per voter per election."
    )
    election_count = models.PositiveIntegerField(default=0)
    malformed_count = models.PositiveIntegerField(
        default=0, help_text="Rows that could not be read and were left out."
    )
    malformed_examples = models.JSONField(
        default=list, help_text="The first malformed rows: file, line, problem and text."
    )
    skipped = models.JSONField(
        default=dict, help_text="Rows read but left out, by reason, with counts and examples."
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="What changed since the previous version: counts and a few examples of "
        "new registrations, removals, moves and party changes. Empty for the first.",
    )
    notes = models.JSONField(
        default=list,
        blank=True,
        help_text="Sentences about the import a reader should know, e.g. that the vote history "
        "was carried over from the previous version.",
    )
    seconds = models.FloatField(default=0, help_text="How long the import took.")
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.READY,
        help_text="Ready versions can be in use (the highest-numbered one is); held ones failed "
        "a sanity gate; set-aside ones were replaced by putting an earlier one back.",
    )
    gates = models.JSONField(
        default=list,
        blank=True,
        help_text="The sanity gates checked before use: name, passed, the measured value, the "
        "limit and a sentence.",
    )
    # The version outlives the job row and the account that started it.
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[VoterFileVersionManager] = VoterFileVersionManager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="voterfile_version_number_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"Voter file version {self.number}"


class District(TenantModel):
    """A district drawn from the voter file, with its voter counts in the current version.

    Rows are kept across imports (other records may point at them): a district missing from
    the newest version keeps its last counts' version and drops out of the current list.
    """

    class Kind(models.TextChoices):
        CONGRESSIONAL = "congressional", "Congressional district"
        STATE_SENATE = "state_senate", "State senate district"
        STATE_HOUSE = "state_house", "State house district"
        COUNTY = "county", "County"
        MUNICIPALITY = "municipality", "Municipality"
        WARD = "ward", "Ward"
        PRECINCT = "precinct", "Precinct"
        # Local districts: what NC's ncvoter and Ohio's files carry besides the above.
        COUNTY_COMMISSION = "county_commission", "County commission district"
        SCHOOL_BOARD = "school_board", "School board district"
        TOWNSHIP = "township", "Township"
        JUDICIAL = "judicial", "Judicial district"
        SUPERIOR_COURT = "superior_court", "Superior court district"
        APPEALS_COURT = "appeals_court", "Court of appeals district"
        MUNICIPAL_COURT = "municipal_court", "Municipal court district"
        MUNICIPAL_DISTRICT = "municipal_district", "Municipal service district"
        FIRE = "fire", "Fire district"
        WATER = "water", "Water district"
        SEWER = "sewer", "Sewer district"
        SANITATION = "sanitation", "Sanitation district"
        RESCUE = "rescue", "Rescue district"
        LIBRARY = "library", "Library district"
        OTHER_1 = "other_1", "Other local district (1)"
        OTHER_2 = "other_2", "Other local district (2)"
        VTD = "vtd", "Voting tabulation district"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(
        max_length=100,
        help_text="The code in the voter file. Precincts, wards and municipalities repeat from "
        "county to county, so theirs carry the county's: '32/01-07'.",
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="The name the voter file gives it, if any."
    )
    voter_count = models.PositiveIntegerField(
        default=0, help_text="Registered voters (active and inactive, not removed)."
    )
    active_voter_count = models.PositiveIntegerField(default=0)
    # Versions are never deleted while districts point at them.
    version = models.ForeignKey(
        VoterFileVersion,
        on_delete=models.PROTECT,
        related_name="districts",
        help_text="The last version these counts come from.",
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "code"], name="district_code_per_kind_per_org"
            ),
        ]
        indexes = [models.Index(fields=["organization", "version", "kind"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return how a person names it: "State house district 34", "Wake", "Precinct PCT 05"."""
        kind = self.get_kind_display()
        if self.name and self.kind in {self.Kind.COUNTY, self.Kind.MUNICIPALITY, self.Kind.WARD}:
            return self.name.title()
        if self.name:
            return f"{kind} {self.name}"
        return f"{kind} {self.code}"
