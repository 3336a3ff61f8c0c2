"""Who may open each field page. Universes and turfs are the electoral staff's (electoral.view,
electoral.manage); canvassing needs field.canvass (organizers and leaders too); a volunteer's
link pages are public and open only the link's turf. Affiliate leads see none of it."""

import tempfile
from pathlib import Path

from powerbase.field import services
from powerbase.field.models import Door
from tests.field.voters import make_voter_file
from tests.url_access import Row, roles_with

VIEW = roles_with("electoral.view")
MANAGE = roles_with("electoral.manage")
CANVASS = roles_with("field.canvass")
# Turf pages name voters: they need the voter file too (a viewer sees progress only).
VOTERS = VIEW & roles_with("voterfile.view")

URL_ACCESS = {
    "field:volunteer": Row("public"),
    "field:volunteer_door": Row("public", method="post"),
    "field:overview": Row(VIEW),
    "field:universe_new": Row(MANAGE),
    "field:universe_count": Row(VIEW),
    "field:universe": Row(VIEW),
    "field:universe_edit": Row(MANAGE),
    "field:universe_cut": Row(MANAGE, method="post"),
    "field:turf": Row(VOTERS),
    "field:turf_goal": Row(MANAGE, method="post"),
    "field:turf_walk_list": Row(VOTERS),
    "field:turf_phone_list": Row(MANAGE),
    "field:link_new": Row(MANAGE, method="post"),
    "field:turf_assign": Row(MANAGE, method="post"),
    "field:link_revoke": Row(MANAGE, method="post"),
    "field:canvass_turfs": Row(CANVASS),
    "field:canvass": Row(CANVASS),
    "field:canvass_door": Row(CANVASS, method="post"),
}


def world(*, nutmeg, **_) -> dict:
    """A small voter file in use, a universe cut into turfs, a volunteer's link to turf 1."""
    make_voter_file(nutmeg, Path(tempfile.mkdtemp(prefix="field-world-")))
    universe = services.save_universe(actor=None, organization=nutmeg, name="Everyone",
                                      filters={})
    turfs = services.cut_turfs(actor=None, universe=universe, doors_per_turf=20)
    link, token = services.create_link(actor=None, turf=turfs[0], label="Jo")
    door = Door.objects.filter(turf=turfs[0]).first()
    return {"universe_id": universe.pk, "turf_id": turfs[0].pk, "door_id": door.pk,
            "link_id": link.pk, "link_token": token}
