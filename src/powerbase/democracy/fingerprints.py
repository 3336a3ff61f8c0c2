"""The fingerprint of a vote's setup: everything that decides its outcome, hashed.

It is taken when voting opens and checked again before counting, and shown on the vote's
pages, so a changed candidate list, rule or voter roll cannot pass unnoticed, whoever made
the change and however (the services refuse it; this catches a change made behind them). The
pages compute it only for a vote the database marked touched since it opened (`holds`,
`setup_guard`); the count always computes it.
"""

import functools
import hashlib
import json
from decimal import Decimal

from powerbase.democracy.models import Vote


def setup(vote: Vote) -> dict:
    """Return the parts of *vote* that decide its outcome, as plain JSON values."""
    return {
        "vote": vote.pk,
        "title": vote.title,
        "question": vote.question,
        "method": vote.method,
        "seats": vote.seats,
        "options": vote.options,
        "electorate": vote.electorate_id,
        "assembly": vote.assembly_id,
        "candidates": list(vote.candidates.order_by("order", "id").values_list("name", "order")),
        "roll": [
            [person, holder, affiliate, normalized(weight), basis]
            for person, holder, affiliate, weight, basis in vote.eligibilities.order_by(
                "id"
            ).values_list("person_id", "holder_id", "affiliate_id", "weight", "basis")
        ],
    }


@functools.lru_cache(maxsize=1024)
def normalized(weight: Decimal) -> str:
    """Return *weight* as the roll writes it ("1", "2.5"): once per weight, not once per
    voter (a roll of every member repeats "1" 45,000 times; the vote page checks it)."""
    return str(weight.normalize())


def setup_fingerprint(vote: Vote) -> str:
    """Return the SHA-256 of *vote*'s setup and voter roll."""
    canonical = json.dumps(setup(vote), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def holds(vote: Vote) -> bool:
    """Return whether *vote*'s setup and roll still match the fingerprint taken when it opened.

    Computed in full (the whole roll read) only when the database has marked the vote's setup
    touched since (`setup_guard`): otherwise nothing the fingerprint covers has changed. The
    count does not rely on this; it computes the fingerprint in full.
    """
    return not vote.setup_touched or setup_fingerprint(vote) == vote.setup_fingerprint
