"""What each role's key gets from each OSDI address: the API's own permission table.

Written by hand, like tests/permission_table.txt (which can only say that a session gets 401
here). A key acts exactly as its user's role does on the pages: an affiliate lead's key finds
María (a member of the lead's tenant union), a member leader's does not (not one of their
people), a viewer's may not read people at all. Saved lists are the IPO's: leads see none.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from powerbase.core.models import Role
from tests.api.url_access import world as api_world

COLUMNS = (
    Role.OWNER,
    Role.ADMIN,
    Role.ORGANIZER,
    Role.DATA,
    Role.AFFILIATE_LEAD,
    Role.LEADER,
    Role.VIEWER,
)
# url                   owner admin organizer data lead leader viewer
TABLE = """
api:entry               200   200   200       200  200  200    200
api:people              200   200   200       200  200  200    403
api:person              200   200   200       200  200  404    403
api:person_taggings     200   200   200       200  200  404    403
api:person_attendances  200   200   200       403  403  404    403
api:tags                200   200   200       200  200  200    403
api:tag                 200   200   200       200  200  200    403
api:taggings            200   200   200       200  200  200    403
api:tagging             200   200   200       200  200  404    403
api:lists               200   200   200       200  200  200    403
api:list                200   200   200       200  404  200    403
api:items               200   200   200       200  404  200    403
api:events              200   200   200       200  200  200    200
api:event               200   200   200       200  200  200    200
api:attendances         200   200   200       403  403  403    403
api:attendance          200   200   200       403  403  403    403
"""
ROWS = {
    line.split()[0]: dict(zip(COLUMNS, line.split()[1:], strict=True))
    for line in TABLE.strip().splitlines()
}


def test_every_api_address_has_a_row():
    from tests.test_url_permissions import url_patterns

    api_urls = {
        name
        for name in url_patterns()
        if name.startswith("api:") and name not in ("api:openapi",) and not reverse_is_page(name)
    }
    assert api_urls == set(ROWS)


def reverse_is_page(name: str) -> bool:
    return name in (
        "api:settings",
        "api:key_create",
        "api:key_revoke",
        "api:webhook_create",
        "api:webhook_remove",
    )


@override_settings(API_REQUESTS_PER_MINUTE=100_000)
@pytest.mark.parametrize("role", COLUMNS)
def test_each_roles_key_gets_what_the_table_says(
    client, keys, nutmeg, users_by_role, maria, tenant_union, role
):
    from tests.test_url_permissions import url_patterns

    objects = api_world(nutmeg=nutmeg, users_by_role=users_by_role, maria=maria)
    headers = {"HTTP_OSDI_API_TOKEN": keys[role]}
    wrong = {}
    for name, expected in ROWS.items():
        url = reverse(name, kwargs={key: objects[key] for key in url_patterns()[name]})
        got = str(client.get(url, **headers).status_code)
        if got != expected[role]:
            wrong[name] = f"expected {expected[role]}, got {got}"
    assert not wrong, f"{role}'s key: {wrong}"
