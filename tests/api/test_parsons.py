"""The acceptance test: Parsons' Action Network connector, unmodified, against powerbase.

Parsons 6.1.0 is installed in an environment of its own (cached in the temporary directory,
keyed by version and Python) and run as a separate process against the live server. The only
change is its base URL: this version's `ActionNetwork(api_token)` takes no URL, so the script
sets the module's `API_URL` before making the connector.

Without the package registry the test is skipped, saying why, unless
POWERBASE_REQUIRE_PARSONS is set (CI), where it fails instead.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from powerbase.core.models import Role
from powerbase.people.models import Person, Source
from tests.api.conftest import key_for
from tests.conftest import add_member

PARSONS_VERSION = "6.1.0"
ENV = Path(tempfile.gettempdir()) / (
    f"powerbase-parsons-{PARSONS_VERSION}-py{sys.version_info.major}{sys.version_info.minor}"
)

SCRIPT = r"""
import json, sys
from parsons.action_network import action_network as connector
connector.API_URL = sys.argv[1]          # the one change: the host
from parsons import ActionNetwork

an = ActionNetwork(api_token=sys.argv[2])
everyone = an.get_people()               # pages through /people until a page comes back empty
upserted = an.upsert_person(email_address="rosa@example.org", given_name="Rosa",
                            family_name="Ramirez", mobile_number="203-555-0142",
                            tags=["parsons import"])
again = an.upsert_person(email_address="rosa@example.org", family_name="Ramírez")
tag = an.add_tag("phonebank volunteer")
tag_id = [i.split(":")[1] for i in tag["identifiers"] if i.startswith("action_network:")][0]
an.create_tagging(tag_id, {"_links": {"osdi:person": {"href": upserted["_links"]["self"]["href"]}}})
taggings = an.get_taggings(tag_id)
print(json.dumps({
    "people": everyone.num_rows,
    "person": upserted["identifiers"],
    "same_person": again["identifiers"] == upserted["identifiers"],
    "family_name": again["family_name"],
    "tag": an.get_tag(tag_id)["name"],
    "tagged": [row["_links"]["osdi:person"]["href"] for row in taggings],
}))
"""


def parsons_python() -> Path:
    """Return the Python of an environment holding Parsons, installing it the first time."""
    python = ENV / "bin" / "python"
    if python.exists():
        return python
    uv = Path(sys.executable).with_name("uv")
    try:
        subprocess.run(
            [str(uv), "venv", "-q", "-p", sys.executable, str(ENV)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [str(uv), "pip", "install", "-q", "-p", str(python), f"parsons=={PARSONS_VERSION}"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        subprocess.run(["rm", "-rf", str(ENV)], check=False)
        detail = getattr(error, "stderr", b"") or str(error)
        reason = (
            f"could not install parsons=={PARSONS_VERSION} (is the package registry "
            f"reachable?): {str(detail)[-300:]}"
        )
        if os.environ.get("POWERBASE_REQUIRE_PARSONS"):
            pytest.fail(reason)
        pytest.skip(reason)
    return python


@pytest.mark.django_db(transaction=True)
def test_parsons_pages_upserts_and_tags_through_powerbase_unchanged(
    live_server, nutmeg, users_by_role
):
    python = parsons_python()
    organizer = users_by_role[Role.ORGANIZER]
    for number in range(27):  # more than one page of 25
        add_member(nutmeg, None, f"Member{number}", "Roster", direct=True)
    secret = key_for(organizer, nutmeg, "Parsons sync")

    done = subprocess.run(
        [str(python), "-c", SCRIPT, f"{live_server.url}/api/v2", secret],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    assert seen["people"] == 27
    assert seen["same_person"] and seen["family_name"] == "Ramírez"
    assert seen["tag"] == "phonebank volunteer"
    rosa = Person.objects.get(organization=nutmeg, given_name="Rosa")
    assert f"powerbase:{rosa.pk}" in seen["person"]
    assert seen["tagged"] == [f"{live_server.url}/api/v2/people/{rosa.pk}"]
    assert set(rosa.tags.values_list("tag__name", flat=True)) == {
        "parsons import",
        "phonebank volunteer",
    }
    assert rosa.phones.get().e164 == "+12035550142"
    assert rosa.source.kind == Source.Kind.API
    assert rosa.source.label.startswith(f"API, key of {organizer.email}")
