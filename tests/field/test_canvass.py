"""Canvassing: append-only door attempts, volunteer links, and progress against goals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from powerbase.core.exceptions import InvalidInput, NotFound, PermissionDenied
from powerbase.field import queries, services
from powerbase.field.models import Attempt, Door


@pytest.fixture
def first_turf(turfs):
    return turfs[0]


def doors_of(turf) -> list[Door]:
    return list(Door.objects.filter(turf=turf).order_by("position"))


def test_a_result_with_support_and_survey_answers_is_kept(leader_actor, first_turf):
    door = doors_of(first_turf)[0]
    attempt = services.record_attempt(
        actor=leader_actor,
        door=door,
        result="talked",
        support=5,
        answers={"q1": "Rent", "q2": "Yes"},
        voter_id=door.voters[0]["voter_id"],
    )
    assert attempt.support == 5 and attempt.answers == {"q1": "Rent", "q2": "Yes"}
    assert attempt.canvasser == leader_actor.user


def test_two_canvassers_on_one_door_never_overwrite_each_other(
    leader_actor, organizer_actor, first_turf
):
    door = doors_of(first_turf)[0]
    earlier = timezone.now() - timedelta(minutes=5)
    services.record_attempt(actor=leader_actor, door=door, result="not_home", recorded_at=earlier)
    services.record_attempt(actor=organizer_actor, door=door, result="talked", support=2)
    assert Attempt.objects.filter(door=door).count() == 2
    row = queries.walk_list(first_turf)[0]
    assert row.latest.result == "talked" and row.attempts == 2
    progress = queries.turf_progress(first_turf)
    assert (progress.attempts, progress.reached, progress.talked, progress.supporters) == (
        2,
        1,
        1,
        1,
    )


def test_a_retried_submission_counts_once(leader_actor, first_turf):
    door = doors_of(first_turf)[0]
    one = services.record_attempt(
        actor=leader_actor, door=door, result="refused", client_key="abc123"
    )
    two = services.record_attempt(
        actor=leader_actor, door=door, result="refused", client_key="abc123"
    )
    assert one.pk == two.pk and Attempt.objects.count() == 1


@pytest.mark.parametrize(
    "values, field",
    [
        ({"result": "asleep"}, "result"),
        ({"result": "talked", "support": 9}, "support"),
        ({"result": "not_home", "support": 3}, "support"),
        ({"result": "talked", "answers": {"q1": "Potholes"}}, "q1"),
        ({"result": "talked", "answers": {"q7": "Yes"}}, "q7"),
        ({"result": "talked", "voter_id": "NOBODY"}, "voter_id"),
    ],
)
def test_a_bad_result_is_refused_naming_the_field(leader_actor, first_turf, values, field):
    with pytest.raises(InvalidInput, match=f"'{field}'"):
        services.record_attempt(actor=leader_actor, door=doors_of(first_turf)[0], **values)
    assert not Attempt.objects.exists()


def test_a_viewer_cannot_canvass(users_by_role, nutmeg, first_turf):
    from powerbase.core.access import actor_for
    from powerbase.core.models import Role

    viewer = actor_for(users_by_role[Role.VIEWER], nutmeg.slug)
    with pytest.raises(PermissionDenied):
        services.record_attempt(actor=viewer, door=doors_of(first_turf)[0], result="moved")


def test_a_volunteer_link_opens_only_its_own_turf(organizer_actor, turfs):
    link, token = services.create_link(actor=organizer_actor, turf=turfs[0], label="Jo")
    assert services.open_link(token) == link
    assert token not in link.digest
    attempt = services.record_attempt(link=link, door=doors_of(turfs[0])[0], result="talked")
    assert attempt.link == link and attempt.canvasser is None
    assert attempt.canvasser_label == "Link: Jo"
    with pytest.raises(NotFound):
        services.record_attempt(link=link, door=doors_of(turfs[1])[0], result="talked")


def test_a_revoked_or_expired_link_opens_nothing(organizer_actor, turfs):
    link, token = services.create_link(actor=organizer_actor, turf=turfs[0], label="Jo")
    services.revoke_link(actor=organizer_actor, link=link)
    with pytest.raises(NotFound):
        services.open_link(token)
    with pytest.raises(NotFound):
        services.record_attempt(link=link, door=doors_of(turfs[0])[0], result="talked")
    old, old_token = services.create_link(actor=organizer_actor, turf=turfs[0], label="Sam")
    old.expires_at = timezone.now() - timedelta(seconds=1)
    old.save()
    with pytest.raises(NotFound):
        services.open_link(old_token)
    with pytest.raises(NotFound):
        services.open_link("made-up-token")


def test_progress_rolls_up_per_turf_district_and_day(director, leader_actor, district_10, turfs):
    yesterday = timezone.now() - timedelta(days=1)
    first, second = doors_of(turfs[0])[:2]
    services.record_attempt(
        actor=leader_actor, door=first, result="not_home", recorded_at=yesterday
    )
    services.record_attempt(actor=leader_actor, door=first, result="talked", support=2)
    services.record_attempt(actor=leader_actor, door=second, result="talked", support=5)
    by_turf = {turf.pk: turf for turf in queries.turfs(director, district_10)}
    assert (by_turf[turfs[0].pk].reached, by_turf[turfs[0].pk].attempt_count) == (2, 3)
    total = queries.universe_progress(director, district_10)
    assert (total.reached, total.attempts, total.talked, total.supporters) == (2, 3, 2, 1)
    assert total.goal == district_10.door_count
    districts = queries.progress_by_district(director, district_10)
    assert [(row.label, row.reached, row.goal) for row in districts] == [
        ("10", 2, district_10.door_count)
    ]
    days = queries.progress_by_day(director, district_10)
    assert [(row.attempts, row.talked) for row in days] == [(2, 2), (1, 0)]
    assert days[0].goal == 20


def test_a_turf_given_to_a_leader_heads_their_list(organizer_actor, leader_actor, turfs):
    services.assign(actor=organizer_actor, turf=turfs[1], user_id=leader_actor.user.pk)
    assert list(queries.my_turfs(leader_actor)) == [turfs[1]]
    assert queries.canvass_turfs(leader_actor).count() == len(turfs)
    services.assign(
        actor=organizer_actor, turf=turfs[1], user_id=leader_actor.user.pk, assigned=False
    )
    assert not queries.my_turfs(leader_actor).exists()


def test_a_turf_cannot_be_given_to_a_role_that_may_not_canvass(
    organizer_actor, turfs, users_by_role, harbor
):
    from powerbase.core.models import Role
    from tests.conftest import make_user

    with pytest.raises(InvalidInput, match="may not canvass"):
        services.assign(actor=organizer_actor, turf=turfs[0], user_id=users_by_role[Role.VIEWER].pk)
    stranger = make_user(harbor, Role.LEADER, email="leader@harbor.example")
    with pytest.raises(NotFound):
        services.assign(actor=organizer_actor, turf=turfs[0], user_id=stranger.pk)
