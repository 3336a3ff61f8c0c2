"""How a message leaves: one small interface the send job calls, one class per channel.

    provider_id = channel_for("email").send(OutgoingMessage(to=..., subject=..., body=...))

Email goes through Django's mail framework (`MAILERS` in config/settings.py: the console by
default, SMTP through EMAIL_URL, any django-anymail provider as a backend). Texts go through
the provider layer in `messaging.sms` (`sms_provider()`), which speaks to the real service.
"""

from dataclasses import dataclass, field
from email.utils import make_msgid
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, mailers

from powerbase.core.exceptions import Conflict
from powerbase.messaging.models import Channel


@dataclass(frozen=True)
class OutgoingMessage:
    """One rendered message to one address."""

    to: str
    body: str
    subject: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    status_callback: str = ""


class MessageChannel(Protocol):
    def send(self, message: OutgoingMessage) -> str:
        """Send *message*; return the provider's id for it (delivery reports name it)."""
        ...


class EmailChannel:
    """Email through Django's default mailer."""

    def send(self, message: OutgoingMessage) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        message_id = make_msgid(domain=domain)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": message_id, **message.headers},
        )
        mailers.default.send_messages([email])
        # django-anymail backends put the provider's own id on the message; SMTP has none, so
        # the Message-ID we gave it names it in bounces and replies.
        status = getattr(email, "anymail_status", None)
        return str(getattr(status, "message_id", None) or message_id)


class SmsChannel:
    """Texts through the SMS provider layer."""

    def send(self, message: OutgoingMessage) -> str:
        try:
            from powerbase.messaging.sms.provider import sms_provider
        except ImportError:
            raise Conflict(
                "Texts need the SMS provider layer (powerbase.messaging.sms), which this "
                "install does not have; send an email instead."
            ) from None
        return sms_provider().send(
            to=message.to, body=message.body, status_callback=message.status_callback
        )


def channel_for(name: str) -> MessageChannel:
    """Return the channel that sends messages of kind *name* ("email" or "sms")."""
    if name == Channel.EMAIL:
        return EmailChannel()
    if name == Channel.SMS:
        return SmsChannel()
    raise ValueError(f"Unknown channel {name!r}: expected one of {Channel.values}.")
