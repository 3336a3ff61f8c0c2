"""Where a webhook may be sent: only to the public internet.

A subscription URL is checked when it is saved and again before every delivery (a name can
be pointed somewhere else after it was checked): every address its host resolves to must be
a public one. Loopback, private networks, link-local (which holds the cloud metadata service,
169.254.169.254), carrier-grade NAT, multicast and reserved ranges are refused, so a webhook
cannot be used to reach the server itself or the network behind it. An operator who really
delivers to an internal receiver sets POWERBASE_WEBHOOKS_ALLOW_PRIVATE (the tests do).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from powerbase.core.exceptions import InvalidInput

# Cloud metadata services outside the link-local range (Alibaba Cloud's; AWS's IPv6 one).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("100.100.100.200", "fd00:ec2::254")
)


def refuse_private_destination(url: str) -> None:
    """Raise InvalidInput unless every address *url*'s host resolves to is public."""
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise InvalidInput(f"The webhook URL {url[:80]!r} has no host name.", field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise InvalidInput(
            f"The webhook host {host!r} could not be found; check the URL.", field="url"
        ) from None
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not _is_public(address):
            raise InvalidInput(
                f"The webhook host {host!r} resolves to {address}, a loopback, private, "
                "link-local or metadata address; webhooks go only to public addresses.",
                field="url",
            )


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast and address not in METADATA_ADDRESSES
