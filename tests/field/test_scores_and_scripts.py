"""Labelled support scores (1 strong support ... 5 strong oppose unless a universe says
otherwise), the canvass script, and directions to the first door."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Role
from powerbase.field import lists, queries, services
from powerbase.field.models import Door


@pytest.fixture
def first_turf(turfs):
    return turfs[0]


def doors_of(turf) -> list[Door]:
    return list(Door.objects.filter(turf=turf).order_by("position"))


def canvass_page(client, users_by_role, turf):
    client.force_login(users_by_role[Role.LEADER])
    return client.get(reverse("field:canvass", kwargs={"org": "nutmeg", "turf_id": turf.pk}))


def test_a_4_is_not_a_supporter_but_a_1_and_a_2_are(leader_actor, first_turf):
    first, second, third = doors_of(first_turf)[:3]
    services.record_attempt(actor=leader_actor, door=first, result="talked", support=4)
    services.record_attempt(actor=leader_actor, door=second, result="talked", support=1)
    services.record_attempt(actor=leader_actor, door=third, result="talked", support=2)
    assert queries.turf_progress(first_turf).supporters == 2


def test_a_universe_scored_the_other_way_round_counts_its_own_supporters(
    director, leader_actor, district_10
):
    services.save_universe(
        actor=director,
        universe=district_10,
        name=district_10.name,
        filters=district_10.filters,
        support_labels="Strong oppose\nLean oppose\nUndecided\nLean support\nStrong support",
        supporter_scores=[4, 5],
    )
    turf = services.cut_turfs(actor=director, universe=district_10, doors_per_turf=10)[0]
    first, second = doors_of(turf)[:2]
    services.record_attempt(actor=leader_actor, door=first, result="talked", support=5)
    services.record_attempt(actor=leader_actor, door=second, result="talked", support=1)
    assert queries.turf_progress(turf).supporters == 1
    assert queries.walk_list(turf)[0].support_label == "5 Strong support"


@pytest.mark.parametrize(
    "labels, scores, field",
    [
        ("Yes\nNo", [], "support_labels"),
        ("", [0, 6], "supporter_scores"),
        ("", [1, 2, 3, 4, 5], "supporter_scores"),
    ],
)
def test_a_bad_scale_is_refused_naming_the_field(director, district_10, labels, scores, field):
    with pytest.raises(InvalidInput, match=f"'{field}'"):
        services.save_universe(
            actor=director,
            universe=district_10,
            name=district_10.name,
            filters=district_10.filters,
            support_labels=labels,
            supporter_scores=scores,
        )


def test_the_canvass_page_labels_every_score_and_shows_the_latest(
    client, users_by_role, leader_actor, first_turf
):
    services.record_attempt(
        actor=leader_actor, door=doors_of(first_turf)[0], result="talked", support=1
    )
    text = canvass_page(client, users_by_role, first_turf).content.decode()
    for score, label in [
        (1, "Strong support"),
        (2, "Lean support"),
        (3, "Undecided"),
        (4, "Lean oppose"),
        (5, "Strong oppose"),
    ]:
        assert f'value="{score}"> {score} {label}</label>' in text
    assert "Talked · 1 Strong support" in text
    client.force_login(users_by_role[Role.ORGANIZER])
    turf_page = client.get(
        reverse("field:turf", kwargs={"org": "nutmeg", "turf_id": first_turf.pk})
    )
    assert "Talked (1 Strong support)" in turf_page.content.decode()


def test_a_wrong_score_names_the_scale(leader_actor, first_turf):
    with pytest.raises(InvalidInput, match=r"choose 1 \(Strong support\).*5 \(Strong oppose\)"):
        services.record_attempt(
            actor=leader_actor, door=doors_of(first_turf)[0], result="talked", support=7
        )


def test_staff_write_a_script_that_canvassers_see_at_the_door(
    client, users_by_role, director, district_10, first_turf
):
    client.force_login(users_by_role[Role.DATA])
    response = client.post(
        reverse("field:universe_edit", kwargs={"org": "nutmeg", "universe_id": district_10.pk}),
        {
            "name": district_10.name,
            "district_kind": "state_house",
            "districts": "10",
            "membership": "any",
            "last_primaries": 4,
            "daily_goal": 20,
            "script": "Hi, I'm a neighbour with the tenants' union.\nAre rents going up for you?",
            "support_labels": "",
            "supporter_scores": ["1", "2"],
        },
    )
    assert response.status_code == 302
    text = canvass_page(client, users_by_role, first_turf).content.decode()
    assert "I&#x27;m a neighbour with the tenants&#x27; union." in text
    pdf = lists.walk_list_pdf(first_turf, queries.walk_list(first_turf))
    assert pdf.startswith(b"%PDF")


def test_directions_lead_to_the_first_door_still_to_knock(
    client, users_by_role, leader_actor, first_turf
):
    first, second = doors_of(first_turf)[:2]
    services.record_attempt(actor=leader_actor, door=first, result="not_home")
    text = canvass_page(client, users_by_role, first_turf).content.decode()
    link = text.split("data-directions", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    assert link.startswith("https://www.google.com/maps/dir/?api=1")
    assert unquote(link).endswith(f"destination={second.address.title()}, Springfield, 01105")
