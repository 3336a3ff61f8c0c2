"""How long a sign-in lasts, how fresh the password behind it is, and ending a user's sessions.

Two times are kept in the session when a person signs in with their password:

    signed_in_at   the sign-in itself; after SESSION_ABSOLUTE_HOURS (12) the session ends
                   however active it has been (the idle limit alone would let a busy session,
                   or a stolen cookie kept busy, live for ever)
    confirmed_at   the last time the password was typed; steps that would do the most harm
                   in a stolen session (turning two-factor off, granting roles, full exports)
                   ask for it again when it is older than RECENT_AUTH_MINUTES (5)
"""

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from powerbase.core.models import User

SIGNED_IN_AT = "powerbase_signed_in_at"
CONFIRMED_AT = "powerbase_confirmed_at"


def start(sender, request, user, **kwargs) -> None:
    """Stamp a new sign-in (connected to Django's `user_logged_in` signal)."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[CONFIRMED_AT] = now


def mark_password_entered(request) -> None:
    """Record that the person just typed their password again."""
    request.session[CONFIRMED_AT] = time.time()


def past_absolute_limit(request) -> bool:
    """True when the session began more than SESSION_ABSOLUTE_HOURS ago (or has no start)."""
    started = request.session.get(SIGNED_IN_AT)
    limit = settings.SESSION_ABSOLUTE_HOURS * 3600
    return started is None or time.time() - started > limit


def password_entered_recently(request) -> bool:
    """True when the password was typed within the last RECENT_AUTH_MINUTES."""
    entered = request.session.get(CONFIRMED_AT)
    return entered is not None and time.time() - entered <= settings.RECENT_AUTH_MINUTES * 60


def end_all_for(user: User) -> int:
    """Delete every stored session of *user*; return how many there were.

    Sessions are signed blobs keyed by a random id, so finding a user's means reading each live
    one. That is a few hundred rows for an organization's staff, and deactivation is rare.
    """
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)
