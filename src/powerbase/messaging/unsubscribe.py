"""One-step unsubscribe: a signed link in every email that withdraws consent when opened.

The token names the recipient row (and so the person, channel and message) and is signed with
the install's secret, so it cannot be forged or pointed at someone else. It never expires: an
old email's link must still work.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "powerbase.messaging.unsubscribe"


def token_for(recipient_id: int) -> str:
    return signing.Signer(salt=_SALT).sign(str(recipient_id))


def recipient_id_of(token: str) -> int | None:
    """Return the recipient id *token* was made for, or None when it was not made here."""
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def link_for(recipient_id: int) -> str:
    return settings.SITE_URL + reverse(
        "messaging:unsubscribe", kwargs={"token": token_for(recipient_id)}
    )


def headers_for(recipient_id: int) -> dict[str, str]:
    """The List-Unsubscribe headers (RFC 2369, and RFC 8058's one-click POST)."""
    return {
        "List-Unsubscribe": f"<{link_for(recipient_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
