"""The electoral objects the permission test's URLs point at.

Who may open each electoral page is written in tests/permission_table.txt.
"""

import datetime

from powerbase.electoral.models import (
    Candidate,
    Election,
    EndorsementProcess,
    PipelineEntry,
    Race,
)


def world(*, nutmeg, maria, **_) -> dict:
    """An election with a ranked-choice race, two candidates, María in the pipeline and an
    endorsement process; made straight in the tables (cheap, as every URL test builds it)."""
    org = {"organization": nutmeg}
    election = Election.objects.create(
        **org, name="Primary 2024", date=datetime.date(2024, 8, 13), kind=Election.Kind.PRIMARY
    )
    race = Race.objects.create(
        **org, election=election, office="State Senate District 10", party="DEM", ranked_choice=True
    )
    Candidate.objects.bulk_create(
        [
            Candidate(**org, race=race, name=name)
            for name in ("Pat Okafor-Lind", "Jordan Reyes-Whitfield")
        ]
    )
    entry = PipelineEntry.objects.create(**org, person=maria, target_office="City Council")
    process = EndorsementProcess.objects.create(**org, race=race)
    return {
        "election_id": election.pk,
        "race_id": race.pk,
        "entry_id": entry.pk,
        "process_id": process.pk,
    }
