"""Settings for the test suite: production settings with test-only conveniences.

The environment is still read in config.settings; this only supplies defaults a test run
needs (a key, plain HTTP, a data dir of its own) and trades slow hashing for speed.
"""

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("POWERBASE_HTTPS", "0")
# A fixed key, so a test can prove what is stored is not the plain text.
os.environ.setdefault("POWERBASE_FIELD_KEYS", "dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI=")
# Mailgun's webhooks are switched on, so the tests can sign payloads as Mailgun would.
os.environ.setdefault("MAILGUN_WEBHOOK_SIGNING_KEY", "test-only-mailgun-webhook-signing-key")


def _test_data_dir() -> Path:
    """Return var/test/<xdist worker> of this checkout, emptied of all but the test database.

    The same folder every run, so `pytest --reuse-db` finds the SQLite test database it kept;
    one per checkout (under its own var/) and per xdist worker. A second run started in the
    same checkout while the first still holds the folder gets a fresh temporary folder instead,
    so two runs never share a database file. Everything else in the folder (voter files,
    uploads) is removed, as a fresh run expects.
    """
    folder = (
        Path(__file__).resolve().parent.parent
        / "var"
        / "test"
        / os.environ.get("PYTEST_XDIST_WORKER", "main")
    )
    folder.mkdir(parents=True, exist_ok=True)
    lock = open(folder / ".lock", "w")  # noqa: SIM115 - held open for the whole run
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return Path(tempfile.mkdtemp(prefix="powerbase-test-"))
    _HELD.append(lock)
    for entry in folder.iterdir():
        if entry.name.startswith("test.sqlite3") or entry.name == ".lock":
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return folder


_HELD: list = []  # the open lock file, released when the run's process ends

if "POWERBASE_DATA_DIR" not in os.environ:
    os.environ["POWERBASE_DATA_DIR"] = str(_test_data_dir())

from config.settings import *  # noqa: E402,F403

# Argon2 is right for people and slow for thousands of test sign-ins; a test checks that
# production settings use it.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# SQLite in memory shares one cache between connections, where a second writer fails at once
# ("table is locked") instead of waiting its turn as it does on a file: concurrency tests
# (several volunteers checking in at once) need the file, as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
