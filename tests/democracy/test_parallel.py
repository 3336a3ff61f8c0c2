"""One voter, one ballot, even when the same voting right is used at the same moment from
several places (a double click, a shared link, an emailed link and a printed slip).

These run real threads against the real database (SQLite or PostgreSQL, whichever the suite
uses), each thread with its own connection, all released at once by a barrier. On SQLite the
test database is moved to a file for this module: Django's in-memory test database is shared
through a cache that reports "table is locked" instead of waiting, unlike the file that
powerbase runs on (WAL, transactions that take the write lock up front, a 30 s wait).
"""

import sqlite3
import threading

import pytest
from django.db import OperationalError, connection, connections

from powerbase.core.exceptions import Conflict
from powerbase.democracy import services
from powerbase.democracy.models import CastBallot, Participation, VotingCode
from tests.democracy.conftest import voter_codes

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 6


@pytest.fixture(scope="module", autouse=True)
def file_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """On SQLite, run this module's tests on a file copy of the test database."""
    if connection.vendor != "sqlite":
        yield
        return
    with django_db_blocker.unblock():
        connection.ensure_connection()
        in_memory = connection.connection
        path = tmp_path_factory.mktemp("parallel") / "test.sqlite3"
        with sqlite3.connect(path) as copy:
            in_memory.backup(copy)
        settings_dict = connections.settings["default"]
        memory_name = settings_dict["NAME"]
        settings_dict["NAME"] = str(path)
        connection.connection = None  # the next query opens the file
        yield
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.connection = in_memory


def cast_at_once(codes: list[str]) -> list[str]:
    """Cast one ballot per code, all threads starting together; return what each got."""
    barrier = threading.Barrier(len(codes))
    outcomes: list[str] = []

    def cast(code: str) -> None:
        try:
            barrier.wait()
            services.cast_ballot(code=code, marks=[["Fair Share"]])
            outcomes.append("cast")
        except Conflict:
            outcomes.append("refused")
        except OperationalError as error:  # would show as a failure below, with its reason
            outcomes.append(f"error: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_the_same_code_used_at_once_from_six_places_casts_one_ballot(manager, election):
    code = voter_codes(manager, election)["ana"]
    outcomes = cast_at_once([code] * ATTEMPTS)
    assert sorted(outcomes) == ["cast"] + ["refused"] * (ATTEMPTS - 1)
    assert CastBallot.objects.filter(vote=election).count() == 1
    assert Participation.objects.filter(vote=election).count() == 1


def test_two_codes_of_one_voter_used_at_once_cast_one_ballot(manager, election):
    first = voter_codes(manager, election)["ana"]
    # A second, emailed way in for the same voting right.
    right = VotingCode.objects.get(eligibility__person__given_name="Ana").eligibility
    second = "an-emailed-link-token-for-ana-0123456789abcdef"
    from powerbase.democracy import codes

    VotingCode.objects.create(
        organization=election.organization,
        vote=election,
        eligibility=right,
        digest=codes.digest(second),
        channel=VotingCode.Channel.EMAIL,
    )
    outcomes = cast_at_once([first, second] * (ATTEMPTS // 2))
    assert sorted(outcomes) == ["cast"] + ["refused"] * (ATTEMPTS - 1)
    assert CastBallot.objects.filter(vote=election).count() == 1


def test_different_voters_voting_at_once_all_get_their_ballot_in(manager, election):
    codes = voter_codes(manager, election)
    voters = ["ana", "bo", "cyrus", "dana", "eli", "femi"]
    outcomes = cast_at_once([codes[name] for name in voters])
    assert outcomes == ["cast"] * len(voters)
    assert CastBallot.objects.filter(vote=election).count() == len(voters)
