"""Links from people in the base to their registrations in the voter file.

The voter records live in DuckDB (see `powerbase.voterfile.store`); a link names a voter by
the voter file's own id, which stays stable from one version of the file to the next, so a
new import keeps every link. Other apps (the power map, universes, district pages) join the
base to the voter file through this table.
"""

from django.db import models
from django.utils import timezone

from powerbase.core.models import TenantModel, User
from powerbase.people.models import Person


class VoterLink(TenantModel):
    """One person's registration: at most one voter per person, one person per voter."""

    class Method(models.TextChoices):
        AUTOMATIC = "automatic", "Matched automatically"
        REVIEWED = "reviewed", "Accepted by a reviewer"
        MANUAL = "manual", "Linked by hand"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="voter_link")
    voter_id = models.CharField(
        max_length=40, help_text="The voter's id in the voter file (e.g. NCID, SOS voter id).")
    match_probability = models.FloatField(
        null=True, blank=True, help_text="The model's probability; empty for a link made by hand.")
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.AUTOMATIC)
    linked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "voter_id"],
                                    name="identity_one_person_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} -> voter {self.voter_id}"
