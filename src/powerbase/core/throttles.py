"""Limits on sign-in failures per address and on password-reset emails.

django-axes already pauses one username tried from one address. It compares the largest of its
counts with a single limit, so it cannot also allow "20 failures from one address across any
usernames" without locking a whole office out after one person's 5 typos; that second limit,
and the reset-email limits, are counted here. The counts live in Django's cache, which settings
put in the database, so every web server process counts together.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most *count* events per *window* seconds for one key of *scope*."""

    scope: str
    count: int
    window: int

    def key(self, value: str) -> str:
        return f"powerbase:throttle:{self.scope}:{value}"

    def reached(self, value: str) -> bool:
        """True when *value* has used up its allowance in the current window."""
        return cache.get(self.key(value), 0) >= self.count

    def add(self, value: str) -> None:
        """Count one event for *value*; the window starts at its first event."""
        key = self.key(value)
        cache.add(key, 0, timeout=self.window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window)


def sign_in_failures_per_address() -> Limit:
    return Limit(
        "login-address",
        settings.LOGIN_FAILURES_PER_ADDRESS,
        int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


def reset_emails_per_address() -> Limit:
    return Limit("reset-address", settings.PASSWORD_RESETS_PER_ADDRESS, 3600)


def reset_emails_per_account() -> Limit:
    return Limit("reset-account", settings.PASSWORD_RESETS_PER_ACCOUNT, 3600)
