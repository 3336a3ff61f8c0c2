"""Voting codes and receipt codes: how they are made, typed back and stored.

A voting code is a one-time way in to a ballot. An emailed link carries a long random token; a
printed code is shorter, so a person can type it from a slip of paper (12 characters of
Crockford's base 32: no I, L, O or U to misread, 60 random bits). Either is stored only as an
HMAC keyed with the server's secret, so a copy of the database cannot be used to vote.

A receipt code is 10 characters (50 random bits) printed on the voter's screen after voting
and stored on the ballot only; it lets the voter find their ballot in the published set.
"""

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
PRINTED_LENGTH = 12
RECEIPT_LENGTH = 10
_HMAC_SALT = "powerbase.democracy.voting-code"


def new_link_token() -> str:
    """Return a token for an emailed voting link (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def new_printed_code() -> str:
    """Return a code to print on a slip, grouped for reading: 'K7QD-3MXP-9T2A'."""
    return _grouped(_random_characters(PRINTED_LENGTH), 4)


def new_receipt() -> str:
    """Return a receipt code such as 'H3K9W-2QXRM'."""
    return _grouped(_random_characters(RECEIPT_LENGTH), 5)


def normalize(code: str) -> str:
    """Return *code* as stored: printed codes and receipts upper-cased, without dashes or
    spaces, with O read as 0 and I or L as 1. Link tokens are returned unchanged."""
    cleaned = code.strip().replace("-", "").replace(" ", "")
    if len(cleaned) in (PRINTED_LENGTH, RECEIPT_LENGTH):
        return cleaned.upper().translate(_READ_AS)
    return code.strip()


def digest(code: str) -> str:
    """Return the keyed hash under which a voting code is stored and looked up."""
    return salted_hmac(_HMAC_SALT, normalize(code), algorithm="sha256").hexdigest()


def display_receipt(code: str) -> str:
    """Return a stored receipt grouped for reading."""
    return _grouped(normalize(code), 5)


def _random_characters(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _grouped(text: str, size: int) -> str:
    return "-".join(text[i : i + size] for i in range(0, len(text), size))
