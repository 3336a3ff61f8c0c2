"""Census figures and district boundaries by district, imported from files, to set the base
beside the people it organizes and draw the map. The power map itself is computed on the fly
(see `map`)."""

from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel


class CensusCount(TenantModel):
    """How many residents of a district fall in one group of a census category.

    e.g. kind 'state_house', code '94', category 'race', group 'Black', count 4120.
    """

    district_kind = models.CharField(max_length=20)
    district_code = models.CharField(max_length=100, help_text="As the voter file codes it.")
    category = models.CharField(max_length=60, help_text="e.g. 'race', 'sex', 'income'.")
    group = models.CharField(max_length=100)
    count = models.PositiveIntegerField()
    source = models.CharField(
        max_length=200, blank=True, help_text="The file it came from, e.g. 'acs_2023_house.csv'."
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["district_kind", "district_code", "category", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "district_kind", "district_code", "category", "group"],
                name="census_group_per_district",
            )
        ]
        indexes = [models.Index(fields=["organization", "district_kind", "district_code"])]

    def __str__(self) -> str:
        return f"{self.district_kind} {self.district_code} {self.category}/{self.group}"


class DistrictShape(TenantModel):
    """One district's boundary, simplified for drawing the power map.

    Kept apart from the voter file's districts (which a new voter file version replaces):
    a boundary is matched to the map's rows by kind and code.
    """

    district_kind = models.CharField(max_length=20)
    district_code = models.CharField(max_length=100, help_text="As the voter file codes it.")
    name = models.CharField(max_length=200, blank=True, help_text="e.g. 'State House District 94'.")
    geoid = models.CharField(max_length=20, blank=True, help_text="The Census Bureau's GEOID.")
    rings = models.JSONField(help_text="Rings of [longitude, latitude], simplified.")
    west = models.FloatField()
    south = models.FloatField()
    east = models.FloatField()
    north = models.FloatField()
    source = models.CharField(
        max_length=200, blank=True, help_text="The file it came from, e.g. 'tl_2024_09_sldl.zip'."
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["district_kind", "district_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "district_kind", "district_code"],
                name="one_shape_per_district",
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_kind} {self.district_code} boundary"
