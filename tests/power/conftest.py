"""A tiny fictional voter file with two house districts, and a base linked to it.

House district 1: V01-V10, all DEM except V09 (REP) and V10 (removed). House district 2:
V11-V16, all DEM. Two primaries (2022, 2024) and a general:

    2022 primary, DEM ballots: V01 V02 V03 V04 (district 1), V11 V12 (district 2)
    2024 primary, DEM ballots: V01 V02 (district 1), V11 V12 V13 V14 (district 2)
                  party not recorded: V05 (DEM voter: counts), V09 (REP voter: does not)
"""

import pytest
from django.db import transaction

from powerbase.core import access
from powerbase.identity.models import VoterLink
from powerbase.voterfile import services as voterfile
from tests.conftest import add_member
from tests.voterfile.conftest import run_job

VOTERS = [
    "Voter ID,First Name,Last Name,Party,Status,Race,Sex,House District,"
    "Senate District,Congressional District"
]
for n in range(1, 17):
    party = "REP" if n == 9 else "DEM"
    status = "Removed" if n == 10 else "Active"
    race = "B" if n % 2 else "W"
    sex = "F" if n % 3 else "M"
    house = 1 if n <= 10 else 2
    VOTERS.append(f"V{n:02d},Given{n},Family{n},{party},{status},{race},{sex},{house},1,1")
HISTORY = ["voter_id,election_date,election_type,party"]
for voter in ("01", "02", "03", "04", "11", "12"):
    HISTORY.append(f"V{voter},2022-08-09,Primary,DEM")
for voter in ("01", "02", "11", "12", "13", "14"):
    HISTORY.append(f"V{voter},2024-08-13,Primary,DEM")
for voter in ("05", "09"):
    HISTORY.append(f"V{voter},2024-08-13,Primary,")
for n in range(1, 17):
    HISTORY.append(f"V{n:02d},2024-11-05,General,")


def import_small_voter_file(organization, folder):
    """Import the fictional file above into *organization*; return the finished job."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "county_export.csv").write_text("\n".join(VOTERS) + "\n")
    (folder / "county_history.csv").write_text("\n".join(HISTORY) + "\n")
    with transaction.atomic():
        job = voterfile.start_import(
            actor=access.command_line(organization),
            layout="generic",
            paths=[folder / "county_export.csv", folder / "county_history.csv"],
        )
    return run_job(job)


@pytest.fixture
def voter_file(data_dir, tmp_path, nutmeg):
    job = import_small_voter_file(nutmeg, tmp_path / "files")
    assert job.status == "succeeded", job.error
    return job


@pytest.fixture
def linked_base(nutmeg, tenant_union, teachers_union, voter_file):
    """Members linked to V01, V02, V05, V09, V10 (district 1) and V11 (district 2), one not
    linked; the V02 member is a leader (holds a leader role in her affiliate)."""
    from powerbase.actions import ladder
    from powerbase.coalition.models import AffiliateMembership

    people = {}
    for voter in ("01", "02", "05", "09", "10", "11"):
        person = add_member(
            nutmeg,
            teachers_union if voter == "11" else tenant_union,
            f"Given{voter}",
            f"Family{voter}",
        )
        VoterLink.objects.create(organization=nutmeg, person=person, voter_id=f"V{voter}")
        people[voter] = person
    people["unlinked"] = add_member(nutmeg, tenant_union, "Nolink", "Person")
    AffiliateMembership.objects.filter(person=people["02"]).update(role="leader")
    ladder.recompute(organization=nutmeg)
    return people
