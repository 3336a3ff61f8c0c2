"""Password hashing tuned to the documented recommendation, not Django's heavier default.

Django's Argon2 default (time 2, memory 100 MiB, 8 lanes) took 0.6-1.5 s per sign-in on the
2-core machines the demo runs on, and twenty people signing in at once would ask for 2 GB.
OWASP's Password Storage Cheat Sheet recommends Argon2id with at least 19 MiB of memory, 2
iterations and 1 degree of parallelism; that is what we use (~4x faster here, see
docs/performance.md). Hashes made with other parameters still verify, and Django rewrites them
with these parameters the next time their owner signs in (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's minimum configuration: m=19 MiB, t=2, p=1."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
