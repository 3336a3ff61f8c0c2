"""The demo's matching: one dedupe run and one link run on the demo organization.

The rosters, imported through the real pipeline, already share many people; the dedupe run
finds those the import's exact rules missed (a typo, a nickname), merges the sure ones and
leaves the likely ones in the review queue. The link run then ties the demo people to the
fictional voter file (demo/voters.py, loaded just before), linking most and leaving some for
review. Both run through the same jobs as the web page and the CLI, as the data director
would start them.

Safe to run again: an organization with a finished run of a kind gets no second one.
"""

from powerbase.core import jobs
from powerbase.core.models import Job, Organization, User
from powerbase.identity.models import IdentityRun
from powerbase.identity.services import DEDUPE_JOB, LINK_JOB
from powerbase.voterfile.models import VoterFileVersion

DATA_DIRECTOR = "data@nutmeg.example"


def load_identity_demo(organization: Organization) -> dict:
    """Run the dedupe, then the link (once there is a voter file), unless already run."""
    done = {}
    director = User.objects.filter(email=DATA_DIRECTOR).first()
    for kind, job_kind in (
        (IdentityRun.Kind.DEDUPE, DEDUPE_JOB),
        (IdentityRun.Kind.LINK, LINK_JOB),
    ):
        if IdentityRun.objects.filter(
            organization=organization, kind=kind, status=IdentityRun.Status.FINISHED
        ).exists():
            continue
        if (
            kind == IdentityRun.Kind.LINK
            and not VoterFileVersion.objects.filter(organization=organization).exists()
        ):
            continue
        job = jobs.start(
            kind=job_kind, started_by=director, organization=organization, enqueue=False
        )
        jobs.execute(job.pk)
        job.refresh_from_db()
        if job.status == Job.Status.FAILED:
            raise RuntimeError(f"The demo's {kind} run failed: {job.error}")
        done[kind] = job.result
    return done
