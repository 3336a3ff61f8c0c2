"""Who carries a text message: the console (the demo), a file, or Twilio.

`sms_provider()` returns the provider the settings name (`SMS_PROVIDER`). Every provider has
one method, `send(to=..., body=..., status_callback=...)`, that hands one message over and
returns the provider's id for it; delivery is reported later to the status callback URL
(see `webhooks.py`). A refusal raises `SmsError` with the provider's own code and message.

Twilio is spoken through its documented REST API with the standard library's HTTP client:
one form-encoded POST per message, basic auth with the account SID and auth token. A send is
retried only when Twilio did not answer (a timeout, a refused connection) or answered with a
5xx: a 4xx means the request itself is wrong, and sending it again would fail again. A
timeout can hide a text Twilio did accept, so a retry may, rarely, send it twice; a text
never sent at all is the worse failure for a reminder.
"""

import base64
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from powerbase.core.exceptions import PowerbaseError

logger = logging.getLogger(__name__)

TWILIO_API_BASE = "https://api.twilio.com"
# Twilio's code for "the number replied STOP to us": the carrier will not deliver until START.
UNSUBSCRIBED = 21610


class SmsError(PowerbaseError):
    """The provider refused a message or could not be reached.

    `code` is the provider's error code (Twilio's 21211 is "not a valid phone number"),
    `status` the HTTP status (None when nothing answered) and `retryable` whether sending the
    same message again later may succeed.
    """

    def __init__(
        self, message: str, *, code: int | None = None, status: int | None = None, retryable: bool
    ):
        super().__init__(message)
        self.code, self.status, self.retryable = code, status, retryable

    @property
    def unsubscribed(self) -> bool:
        """Whether the number opted out at the carrier (a STOP we may never have seen)."""
        return self.code == UNSUBSCRIBED


class SmsProvider(Protocol):
    """Hands a text to a carrier and returns the carrier's id for it."""

    def send(self, *, to: str, body: str, status_callback: str | None) -> str: ...


class ConsoleProvider:
    """Print each text instead of sending it: the demo's provider, so nothing leaves the machine."""

    def send(self, *, to: str, body: str, status_callback: str | None) -> str:
        message_id = f"console-{uuid.uuid4().hex}"
        print(f"SMS (console, not sent) to {to} [{message_id}]:\n{body}\n", flush=True)  # noqa: T201
        return message_id


class FileProvider:
    """Append each text as one JSON line to a file, for a demo or a test to read back."""

    def __init__(self, path: Path):
        self.path = path

    def send(self, *, to: str, body: str, status_callback: str | None) -> str:
        message_id = f"file-{uuid.uuid4().hex}"
        record = {"id": message_id, "to": to, "body": body, "status_callback": status_callback}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return message_id


class TwilioProvider:
    """Send through Twilio's Programmable Messaging REST API (2010-04-01)."""

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        api_base: str = TWILIO_API_BASE,
        timeout: float = 10,
        attempts: int = 3,
        backoff: float = 1.0,
    ):
        self.account_sid, self.auth_token, self.from_number = account_sid, auth_token, from_number
        self.url = f"{api_base.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.timeout, self.attempts, self.backoff = timeout, attempts, backoff

    def send(self, *, to: str, body: str, status_callback: str | None) -> str:
        """POST the message; return Twilio's message SID. Retry on 5xx and timeouts only."""
        fields = {"To": to, "From": self.from_number, "Body": body}
        if status_callback:
            fields["StatusCallback"] = status_callback
        data = urllib.parse.urlencode(fields).encode()
        for attempt in range(1, self.attempts + 1):
            try:
                return self._post(data)
            except SmsError as error:
                if not error.retryable or attempt == self.attempts:
                    raise
                logger.warning(
                    "Twilio send attempt %s failed (%s); retrying", attempt, error.status
                )
                time.sleep(self.backoff * attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _post(self, data: bytes) -> str:
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        # The URL is built from settings (TWILIO_API_BASE), never from a request.
        request = urllib.request.Request(  # noqa: S310
            self.url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "User-Agent": "powerbase-sms/1",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = _json(response.read())
        except urllib.error.HTTPError as error:
            raise _twilio_error(error.code, _json(error.read())) from error
        except (TimeoutError, urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsError(
                f"Twilio could not be reached at {self.url} ({reason}); the message was not "
                "sent. Check TWILIO_API_BASE and the network, then send again.",
                retryable=True,
            ) from error
        sid = answer.get("sid")
        if not isinstance(sid, str) or not sid:
            raise SmsError(
                f"Twilio answered without a message SID (expected JSON with 'sid', got "
                f"{str(answer)[:200]!r}); the message may or may not have been sent.",
                retryable=False,
            )
        return sid


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw.decode("utf-8", "replace") or "{}")
    except json.JSONDecodeError:
        return {"message": raw[:200].decode("utf-8", "replace")}
    return value if isinstance(value, dict) else {}


def _twilio_error(status: int, answer: dict) -> SmsError:
    """Turn Twilio's error answer ({code, message, more_info, status}) into an SmsError."""
    code = answer.get("code")
    code = code if isinstance(code, int) else None
    text = answer.get("message") or "no message"
    more = f" See {answer['more_info']}." if answer.get("more_info") else ""
    if status >= 500:
        return SmsError(
            f"Twilio had a server error ({status}: {text}); the message was not sent.",
            code=code,
            status=status,
            retryable=True,
        )
    label = f"error {code}" if code is not None else f"HTTP {status}"
    return SmsError(
        f"Twilio refused the message ({label}): {text}.{more}",
        code=code,
        status=status,
        retryable=False,
    )


def sms_provider() -> SmsProvider:
    """Return the provider the settings choose (SMS_PROVIDER: console, file or twilio)."""
    name = settings.SMS_PROVIDER
    if name == "console":
        return ConsoleProvider()
    if name == "file":
        return FileProvider(Path(settings.SMS_FILE_PATH))
    if name == "twilio":
        missing = [
            setting
            for setting in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")
            if not getattr(settings, setting, "")
        ]
        if missing:
            raise ImproperlyConfigured(
                f"SMS_PROVIDER=twilio needs {', '.join(missing)} set (from the Twilio console)."
            )
        return TwilioProvider(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            from_number=settings.TWILIO_FROM,
            api_base=settings.TWILIO_API_BASE,
        )
    raise ImproperlyConfigured(
        f"SMS_PROVIDER={name!r} is not a provider (expected console, file or twilio)."
    )
