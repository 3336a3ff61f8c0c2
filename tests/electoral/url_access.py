"""Who may open each electoral page: electoral.view to read, electoral.manage to change.
Affiliate leads and member leaders have neither."""

import datetime

from powerbase.electoral.models import (
    Candidate,
    Election,
    EndorsementProcess,
    PipelineEntry,
    Race,
)
from tests.url_access import Row, roles_with

VIEW = roles_with("electoral.view")
MANAGE = roles_with("electoral.manage")

URL_ACCESS = {
    "electoral:overview": Row(VIEW),
    "electoral:election_new": Row(MANAGE),
    "electoral:results_import": Row(MANAGE),
    "electoral:election": Row(VIEW),
    "electoral:race_new": Row(MANAGE),
    "electoral:race": Row(VIEW),
    "electoral:candidate_add": Row(MANAGE, method="post"),
    "electoral:race_ballots": Row(MANAGE, method="post"),
    "electoral:endorsement_new": Row(MANAGE, method="post"),
    "electoral:pipeline": Row(VIEW),
    "electoral:pipeline_add": Row(MANAGE),
    "electoral:pipeline_entry": Row(VIEW),
    "electoral:pipeline_move": Row(MANAGE, method="post"),
    "electoral:endorsements": Row(VIEW),
    "electoral:endorsement": Row(VIEW),
    "electoral:endorsement_question": Row(MANAGE, method="post"),
    "electoral:endorsement_response": Row(MANAGE, method="post"),
    "electoral:endorsement_interview": Row(MANAGE, method="post"),
    "electoral:endorsement_recommend": Row(MANAGE, method="post"),
    "electoral:endorsement_vote": Row(MANAGE, method="post"),
    "electoral:endorsement_pledges": Row(MANAGE, method="post"),
    "electoral:endorsement_carry": Row(MANAGE, method="post"),
}


def world(*, nutmeg, maria, **_) -> dict:
    """An election with a ranked-choice race, two candidates, María in the pipeline and an
    endorsement process; made straight in the tables (cheap, as every URL test builds it)."""
    org = {"organization": nutmeg}
    election = Election.objects.create(**org, name="Primary 2024", date=datetime.date(2024, 8, 13),
                                       kind=Election.Kind.PRIMARY)
    race = Race.objects.create(**org, election=election, office="State Senate District 10",
                               party="DEM", ranked_choice=True)
    Candidate.objects.bulk_create([Candidate(**org, race=race, name=name)
                                   for name in ("Pat Okafor-Lind", "Jordan Reyes-Whitfield")])
    entry = PipelineEntry.objects.create(**org, person=maria, target_office="City Council")
    process = EndorsementProcess.objects.create(**org, race=race)
    return {"election_id": election.pk, "race_id": race.pk, "entry_id": entry.pk,
            "process_id": process.pk}
