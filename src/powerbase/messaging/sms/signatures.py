"""Check that a webhook request really comes from Twilio (`X-Twilio-Signature`).

As Twilio documents it: take the full URL Twilio requested (with its query string), append
each POST parameter's name and value with no separators, names sorted (a repeated name's
values sorted too), sign the string with HMAC-SHA1 keyed by the account's auth token, and
base64-encode the digest. Twilio may have counted a default port (":443", ":80") that a proxy
dropped, or the reverse, so both forms of the URL are tried, as Twilio's own libraries do.
"""

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

Params = Mapping[str, str] | Iterable[tuple[str, str]]


def compute_signature(url: str, params: Params, auth_token: str) -> str:
    """Return the signature Twilio sends for a POST of *params* to *url*."""
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    payload = url + "".join(name + value for name, value in sorted(pairs))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_valid(url: str, params: Params, signature: str, auth_token: str) -> bool:
    """Return whether *signature* is Twilio's for this URL and these POST parameters."""
    if not signature or not auth_token:
        return False
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    return any(
        hmac.compare_digest(compute_signature(candidate, pairs, auth_token), signature)
        for candidate in (_without_port(url), _with_default_port(url))
    )


def _without_port(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=_host(parts)))


def _with_default_port(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return urlunsplit(parts._replace(netloc=f"{_host(parts)}:{port}"))


def _host(parts) -> str:
    """The netloc without its port, keeping any user:password@ Twilio was given."""
    host = parts.netloc.rsplit("@", 1)[-1]
    userinfo = parts.netloc[: -len(host)] if host != parts.netloc else ""
    if host.startswith("["):  # an IPv6 literal: the port, if any, follows the bracket
        return userinfo + host[: host.index("]") + 1]
    return userinfo + host.split(":", 1)[0]
