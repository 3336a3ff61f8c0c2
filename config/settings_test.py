"""Settings for the test suite: production settings with test-only conveniences.

The environment is still read in config.settings; this only supplies defaults a test run
needs (a key, plain HTTP, a throwaway data dir) and trades slow hashing for speed.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("POWERBASE_HTTPS", "0")
# A fixed key, so a test can prove what is stored is not the plain text.
os.environ.setdefault("POWERBASE_FIELD_KEYS", "dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI=")
os.environ.setdefault("POWERBASE_DATA_DIR", tempfile.mkdtemp(prefix="powerbase-test-"))

from config.settings import *  # noqa: E402,F403

# Argon2 is right for people and slow for thousands of test sign-ins; a test checks that
# production settings use it.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# SQLite in memory shares one cache between connections, where a second writer fails at once
# ("table is locked") instead of waiting its turn as it does on a file: concurrency tests
# (several volunteers checking in at once) need the file, as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
