"""At the door, two people of the same name are told apart and the right one is checked in; a
slow answer to an earlier keystroke never replaces the answer to a later one."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.actions import queries, services
from powerbase.actions.models import Attendance, Commitment
from powerbase.coalition.models import AffiliateMembership
from powerbase.core.models import Role
from tests.browser.test_shell import sign_in
from tests.conftest import act, add_member, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def door(transactional_db, nutmeg, tenant_union, teachers_union):
    """A town hall, and two Kateri Harris: one a tenant, one a teacher."""
    organizer = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    action = services.create_action(
        actor=act(organizer, nutmeg),
        title="Town hall on bus service",
        starts_at=timezone.now() + timedelta(days=3),
        place="Fair Haven Library",
    )
    tenant = add_member(nutmeg, tenant_union, "Kateri", "Harris")
    teacher = add_member(nutmeg, teachers_union, "Kateri", "Harris")
    add_member(nutmeg, tenant_union, "Karl", "Olsen")
    return action, tenant, teacher


def test_two_people_of_the_same_name_are_told_apart_at_check_in(
    phone, live_server, door, screenshot
):
    action, tenant, teacher = door
    sign_in(phone, live_server, "rosa@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/actions/{action.pk}/check-in/")
    phone.get_by_label("Find someone").fill("kateri harris")
    teacher_button = phone.get_by_role("button", name=f"Check in Kateri Harris (#{teacher.pk}")
    expect(teacher_button).to_be_visible()
    expect(phone.get_by_text("Educators Local 12")).to_be_visible()
    expect(phone.get_by_text("Quinnipiac Tenants Union")).to_be_visible()
    screenshot("check-in-same-name-phone")
    teacher_button.click()
    expect(phone.get_by_text("Checked in Kateri Harris.")).to_be_visible()
    assert list(Attendance.objects.values_list("person_id", flat=True)) == [teacher.pk]


def test_a_slow_answer_to_an_earlier_search_does_not_replace_a_later_one(
    page, live_server, door, monkeypatch
):
    action, tenant, teacher = door
    original = queries.check_in_search

    def slow_for_ka(actor, found, query):
        if query == "ka":
            time.sleep(1.5)  # the server answers "ka" late, after "kateri" has been typed
        return original(actor, found, query)

    monkeypatch.setattr(queries, "check_in_search", slow_for_ka)
    sign_in(page, live_server, "rosa@nutmeg.example")
    page.goto(f"{live_server.url}/o/nutmeg/actions/{action.pk}/check-in/")
    box = page.get_by_label("Find someone")
    box.fill("ka")
    page.wait_for_timeout(500)  # past the 200 ms pause: the search for "ka" is running
    box.fill("kateri")
    expect(page.get_by_role("button", name="Check in Kateri Harris")).to_have_count(2)
    page.wait_for_timeout(2000)  # the slow answer for "ka" (with Karl Olsen) has had its time
    expect(page.get_by_role("button", name="Check in Karl Olsen")).to_have_count(0)
    expect(page.get_by_role("button", name="Check in Kateri Harris")).to_have_count(2)


def test_a_leader_is_chosen_with_the_keyboard_in_the_who_commits_picker(
    page, live_server, door, nutmeg, tenant_union
):
    action, tenant, _ = door
    AffiliateMembership.objects.filter(person=tenant).update(role=AffiliateMembership.Role.LEADER)
    sign_in(page, live_server, "rosa@nutmeg.example")
    page.goto(f"{live_server.url}/o/nutmeg/actions/{action.pk}/")
    box = page.get_by_role("combobox", name="Or a leader")
    box.fill("kat")
    expect(page.get_by_role("listbox", name="People found").get_by_role("option")).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(
        f"Kateri Harris (#{tenant.pk}, Quinnipiac Tenants Union (steward / leader))"
    )
    page.get_by_label("Will bring").fill("6")
    page.get_by_role("button", name="Save commitment").click()
    expect(page.get_by_text("Saved:")).to_be_visible()
    assert Commitment.objects.get(action=action).leader == tenant
