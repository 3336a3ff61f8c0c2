"""Slow down guessing on the voters' public pages: voting codes and receipt codes.

Each wrong code counts against the client's address; after `LIMIT` wrong codes in `WINDOW`
seconds every try from that address is refused, right or wrong, until the window passes. The
counts live in Django's cache, which settings put in the database so every web server process
counts together.
"""

from django.core.cache import cache

LIMIT = 10
WINDOW = 15 * 60


def _key(request, scope: str) -> str:
    return f"powerbase:democracy:wrong-{scope}:{request.META.get('REMOTE_ADDR', '')}"


def blocked(request, scope: str) -> bool:
    """True when this address has made too many wrong tries of *scope* lately."""
    return cache.get(_key(request, scope), 0) >= LIMIT


def count_wrong_try(request, scope: str) -> None:
    """Count one wrong code from this address."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW)
