"""Tags and taggings, saved lists, events and attendances through the OSDI API."""

from datetime import timedelta

from django.utils import timezone

from powerbase.actions.services import create_action
from powerbase.core.access import actor_for
from powerbase.people.services import save_list


def test_a_tag_is_added_put_on_a_person_read_back_and_taken_off(organizer_api, nutmeg):
    _, person = organizer_api.post(
        "people",
        {"person": {"given_name": "Ana", "email_addresses": [{"address": "ana@example.org"}]}},
    )
    status, tag = organizer_api.post("tags", {"name": "Building captain"})
    assert status == 200 and tag["name"] == "Building captain"
    tag_id = tag["identifiers"][0].split(":")[1]
    status, tagging = organizer_api.post(
        f"tags/{tag_id}/taggings",
        {"_links": {"osdi:person": {"href": person["_links"]["self"]["href"]}}},
    )
    assert status == 200
    _, taggings = organizer_api.get(f"tags/{tag_id}/taggings")
    assert [t["_links"]["osdi:person"]["href"] for t in taggings["_embedded"]["osdi:taggings"]] == [
        person["_links"]["self"]["href"]
    ]
    tagging_id = tagging["identifiers"][0].split(":")[1]
    assert organizer_api.send("delete", f"tags/{tag_id}/taggings/{tagging_id}")[0] == 200
    _, taggings = organizer_api.get(f"tags/{tag_id}/taggings")
    assert taggings["_embedded"]["osdi:taggings"] == []


def test_a_tag_name_that_is_blank_is_refused(organizer_api):
    status, body = organizer_api.post("tags", {"name": "   "})
    assert status == 400 and "name" in body["error"]


def test_a_saved_list_gives_the_people_its_search_finds_now(
    organizer_api, nutmeg, organizer, walter, maria
):
    saved = save_list(
        actor=actor_for(organizer, "nutmeg"), name="Okonkwo", filters={"q": "okonkwo"}
    )
    _, lists = organizer_api.get("lists")
    assert [item["name"] for item in lists["_embedded"]["osdi:lists"]] == ["Okonkwo"]
    _, items = organizer_api.get(f"lists/{saved.pk}/items")
    assert [
        i["_links"]["osdi:person"]["href"].rsplit("/", 1)[1]
        for i in items["_embedded"]["osdi:items"]
    ] == [str(walter.pk)]


def test_an_rsvp_through_the_api_is_an_attendance_of_the_event(organizer_api, organizer):
    rally = create_action(
        actor=actor_for(organizer, "nutmeg"),
        title="Rent strike rally",
        starts_at=timezone.now() + timedelta(days=3),
    )
    _, events = organizer_api.get("events")
    assert [e["title"] for e in events["_embedded"]["osdi:events"]] == ["Rent strike rally"]
    status, attendance = organizer_api.post(
        f"events/{rally.pk}/attendances",
        {"person": {"given_name": "Ana", "email_addresses": [{"address": "ana@example.org"}]}},
    )
    assert status == 200 and attendance["status"] == "accepted"
    _, listed = organizer_api.get(f"events/{rally.pk}/attendances")
    assert len(listed["_embedded"]["osdi:attendances"]) == 1
    assert rally.rsvps.get().person.given_name == "Ana"
