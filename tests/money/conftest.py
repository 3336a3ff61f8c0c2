"""Fixtures for the money app: Nutmeg's treasurer (its admin) and the two unions' dues."""

import datetime

import pytest

from powerbase.core import access
from powerbase.money.entities import Books, books
from tests.conftest import act

JAN_1 = datetime.date(2026, 1, 1)


@pytest.fixture
def treasurer(admin, nutmeg):
    """Nutmeg's admin keeping the books: may manage money."""
    return act(admin, nutmeg)


@pytest.fixture
def command_line(nutmeg):
    return access.command_line(nutmeg)


def default_books(actor) -> Books:
    """The books pages show when no entity is asked for: the default entity's."""
    return books(actor.organization, None)
