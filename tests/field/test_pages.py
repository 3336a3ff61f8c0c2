"""The field pages: the universe form's live count, cutting, the turf page, walk and phone
lists, and canvassing on a phone, signed in and through a volunteer's link."""

import re

import pytest
from django.urls import reverse

from powerbase.core import access
from powerbase.core.models import AuditEntry, Role
from powerbase.field import services
from powerbase.field.models import Attempt, Door, Universe


@pytest.fixture
def as_role(client, users_by_role):
    def sign_in(role):
        client.force_login(users_by_role[role])
        return client

    return sign_in


def url(name, **kwargs):
    return reverse(f"field:{name}", kwargs={"org": "nutmeg", **kwargs})


def test_the_count_follows_the_filter_as_it_is_typed(as_role, voter_file, maria_registered):
    client = as_role(Role.ORGANIZER)
    everyone = client.get(url("universe_count"), headers={"HX-Request": "true"})
    assert b'data-count="voters">48<' in everyone.content
    members = client.get(url("universe_count"), {"membership": "members"})
    assert b'data-count="voters">1<' in members.content
    wrong = client.get(url("universe_count"), {"district_kind": "galaxy"})
    assert b"is not a kind of district" in wrong.content


def test_a_universe_is_made_and_cut_from_its_pages(as_role, voter_file):
    client = as_role(Role.DATA)
    response = client.post(
        url("universe_new"),
        {
            "name": "Precinct 1",
            "precincts": "Hampden/PCT 1",
            "membership": "any",
            "last_primaries": 4,
            "survey": "Top issue? | Rent | Wages",
            "daily_goal": 10,
        },
    )
    universe = Universe.objects.get(name="Precinct 1")
    assert response.status_code == 302
    assert universe.door_count == 19
    client.post(url("universe_cut", universe_id=universe.pk), {"doors_per_turf": 10})
    page = client.get(url("universe", universe_id=universe.pk))
    # Elm St (11 doors) alone exceeds 10 and is cut in two; Oak Ave (8) is never split.
    assert page.context["turfs"].count() == 3
    assert b"Turf" in page.content and b"By district" in page.content


def test_the_universe_page_asks_a_fixed_number_of_queries(
    as_role, turfs, district_10, django_assert_max_num_queries
):
    client = as_role(Role.DATA)
    with django_assert_max_num_queries(25):
        assert client.get(url("universe", universe_id=district_10.pk)).status_code == 200


def test_the_walk_list_and_the_phone_list_download_and_are_audited(as_role, turfs):
    client = as_role(Role.ORGANIZER)
    pdf = client.get(url("turf_walk_list", turf_id=turfs[0].pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    phones = client.get(url("turf_phone_list", turf_id=turfs[0].pk))
    assert phones.content.startswith(b"turf,door,address,name")
    assert set(
        AuditEntry.objects.filter(object_id=str(turfs[0].pk)).values_list("action", flat=True)
    ) >= {"turf.walk_list_exported", "turf.phone_list_exported"}


def test_a_leader_canvasses_a_door_with_htmx_and_sees_the_progress(as_role, turfs):
    client = as_role(Role.LEADER)
    door = Door.objects.filter(turf=turfs[0]).order_by("position").first()
    page = client.get(url("canvass", turf_id=turfs[0].pk))
    assert b"0</strong> of" in page.content
    response = client.post(
        url("canvass_door", turf_id=turfs[0].pk, door_id=door.pk),
        {"result": "talked", "support": "5", "q1": "Rent", "client_key": "k1"},
        headers={"HX-Request": "true"},
    )
    assert b'data-latest="talked"' in response.content
    assert b'hx-swap-oob="true"' in response.content and b">1</strong> of" in response.content
    again = client.post(
        url("canvass_door", turf_id=turfs[0].pk, door_id=door.pk),
        {"result": "talked", "support": "5", "client_key": "k1"},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 200 and Attempt.objects.count() == 1


def test_a_bad_result_shows_the_error_at_the_door(as_role, turfs):
    client = as_role(Role.LEADER)
    door = Door.objects.filter(turf=turfs[0]).first()
    response = client.post(
        url("canvass_door", turf_id=turfs[0].pk, door_id=door.pk),
        {"result": "not_home", "support": "4"},
        headers={"HX-Request": "true"},
    )
    assert b"needs a conversation" in response.content
    assert not Attempt.objects.exists()


def test_without_javascript_a_result_redirects_back_to_the_door(as_role, turfs):
    client = as_role(Role.LEADER)
    door = Door.objects.filter(turf=turfs[0]).first()
    response = client.post(
        url("canvass_door", turf_id=turfs[0].pk, door_id=door.pk), {"result": "moved"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#door-{door.pk}")


def test_a_volunteer_canvasses_their_turf_and_nothing_else(client, turfs, nutmeg):
    link, token = services.create_link(actor=access.command_line(nutmeg), turf=turfs[0], label="Jo")
    page = client.get(reverse("field:volunteer", kwargs={"link_token": token}))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert f"Turf {turfs[0].number}".encode() in page.content
    mine = Door.objects.filter(turf=turfs[0]).first()
    other = Door.objects.filter(turf=turfs[1]).first()
    done = client.post(
        reverse("field:volunteer_door", kwargs={"link_token": token, "door_id": mine.pk}),
        {"result": "talked"},
        headers={"HX-Request": "true"},
    )
    assert b'data-latest="talked"' in done.content
    refused = client.post(
        reverse("field:volunteer_door", kwargs={"link_token": token, "door_id": other.pk}),
        {"result": "talked"},
    )
    assert refused.status_code == 404 and b"Nutmeg" not in refused.content
    assert Attempt.objects.filter(link=link).count() == 1
    wrong = client.get(reverse("field:volunteer", kwargs={"link_token": "guess"}))
    assert wrong.status_code == 404


def test_making_a_link_shows_it_once(as_role, turfs):
    client = as_role(Role.ORGANIZER)
    response = client.post(url("link_new", turf_id=turfs[0].pk), {"label": "Sam", "days": 7})
    found = re.search(r'value="http://testserver/canvass/([^/"]+)/"', response.content.decode())
    assert found, "the page shows the volunteer's link"
    token = found.group(1)
    assert client.get(reverse("field:volunteer", kwargs={"link_token": token})).status_code == 200


def test_a_large_universe_is_cut_by_a_job(as_role, district_10, monkeypatch):
    from powerbase.core import jobs
    from powerbase.core.models import Job

    monkeypatch.setattr(services, "INLINE_CUT_DOORS", 5)
    client = as_role(Role.DATA)
    response = client.post(url("universe_cut", universe_id=district_10.pk), {"doors_per_turf": 10})
    job = Job.objects.get(kind="field.cut_turfs")
    assert response["Location"] == reverse("core:job", kwargs={"org": "nutmeg", "job_id": job.pk})
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["turfs"] == district_10.turfs.count() > 1


def test_giving_a_turf_from_its_page_puts_it_on_the_leaders_list(as_role, turfs, users_by_role):
    client = as_role(Role.ORGANIZER)
    leader = users_by_role[Role.LEADER]
    page = client.get(url("turf", turf_id=turfs[1].pk))
    assert f'<option value="{leader.pk}">'.encode() in page.content
    client.post(url("turf_assign", turf_id=turfs[1].pk), {"user": leader.pk})
    client.force_login(leader)
    mine = client.get(url("canvass_turfs"))
    assert [turf.pk for turf in mine.context["mine"]] == [turfs[1].pk]


@pytest.mark.parametrize("page", ["turf", "canvass"])
def test_turf_pages_ask_a_fixed_number_of_queries_whatever_the_doors(
    as_role, turfs, page, organizer_actor, django_assert_max_num_queries
):
    for door in Door.objects.filter(turf=turfs[0]):
        services.record_attempt(actor=organizer_actor, door=door, result="not_home")
    client = as_role(Role.ORGANIZER)
    with django_assert_max_num_queries(20):
        assert client.get(url(page, turf_id=turfs[0].pk)).status_code == 200


def test_the_canvass_list_asks_a_fixed_number_of_queries(
    as_role, turfs, django_assert_max_num_queries
):
    client = as_role(Role.LEADER)
    with django_assert_max_num_queries(12):
        assert client.get(url("canvass_turfs")).status_code == 200
