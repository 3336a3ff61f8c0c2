"""How fast each role may page through lists of people: a brake on copying the base by hand.

Every role has a number of list pages it may open per minute (`LIST_PAGES_PER_MINUTE`);
organizers at work never reach it, someone paging through the whole base to copy it does.
Exports have their own cap on rows (`people.exports`, setting `PEOPLE_EXPORT_ROW_CAP`).
The counts live in Django's cache, which settings put in the database so every web server
process counts together.

    limits.count_list_page(actor, "people")   # raises LimitReached past the role's pace
    limits.count_search(actor)                 # a picker's search counts toward the same pace
"""

import time

from django.core.cache import cache

from powerbase.core.access import Actor
from powerbase.core.exceptions import LimitReached
from powerbase.core.models import Role

WINDOW = 60
LIST_PAGES_PER_MINUTE: dict[str, int] = {
    # Live search asks for a page per keystroke pause: these leave room for typing.
    Role.OWNER: 300,
    Role.ADMIN: 300,
    Role.DATA: 300,
    Role.ORGANIZER: 120,
    Role.AFFILIATE_LEAD: 120,
    Role.LEADER: 60,
    Role.VIEWER: 60,
}


def count_list_page(actor: Actor, list_name: str) -> None:
    """Count one page of *list_name* opened by *actor*; refuse past their role's pace."""
    allowed = LIST_PAGES_PER_MINUTE.get(actor.role, 60)
    if _count(actor, list_name) > allowed:
        raise LimitReached(
            f"You have opened {allowed} pages of the {list_name} list in the last minute, "
            f"as many as your role ({actor.role_label}) may. Wait a minute, or narrow the "
            "search to the people you need."
        )


def count_search(actor: Actor) -> None:
    """Count one search for a person (a picker, the RSVP or check-in search) by *actor*.

    Each answers with people of the base as a page of the people list does, so both count
    toward the same pace: typing into a picker must not be a way around it.
    """
    allowed = LIST_PAGES_PER_MINUTE.get(actor.role, 60)
    if _count(actor, "people") > allowed:
        raise LimitReached(
            f"You have searched for people or opened pages of the people list {allowed} "
            f"times in the last minute, as many as your role ({actor.role_label}) may. Wait "
            "a minute, then search again."
        )


def _count(actor: Actor, list_name: str) -> int:
    """Add one to *actor*'s count of *list_name* this minute and return the count."""
    window = int(time.time() // WINDOW)
    who = actor.user.pk if actor.user is not None else actor.label
    key = f"powerbase:list-pages:{list_name}:{actor.organization.pk}:{who}:{window}"
    try:
        return cache.incr(key)
    except ValueError:  # the first page of this minute
        cache.add(key, 1, timeout=WINDOW * 2)
        return 1
