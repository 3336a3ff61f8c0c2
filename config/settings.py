"""Django settings for powerbase.

This is the one module that reads the environment. Every knob an operator may turn is listed
here with its default:

    DATABASE_URL           sqlite:///<data dir>/powerbase.sqlite3   (postgres://... in production)
    SECRET_KEY             required with DATABASE_URL set (production); on the embedded default
                           (no DATABASE_URL) or in DEBUG, one is made once into
                           <data dir>/dev-secret-key and reused
    DEBUG                  off; `powerbase demo` turns it on
    ALLOWED_HOSTS          comma-separated; 127.0.0.1,localhost by default
    POWERBASE_DATA_DIR     ./var: the SQLite database, DuckDB files, uploads
    POWERBASE_HTTPS        on unless DEBUG: HTTPS redirect, secure cookies, HSTS
    POWERBASE_SESSION_IDLE_MINUTES   30: a session ends after this many idle minutes
    POWERBASE_SESSION_MAX_HOURS      12: and after this many hours however active it was
    POWERBASE_BEHIND_PROXY off; on when a TLS-terminating proxy sets X-Forwarded-Proto
    EMAIL_URL              console:// (prints mail); smtp://user:pass@host:587 in production,
                           or mailgun://API_KEY@sending.domain (Mailgun's API via
                           django-anymail; ?region=eu for its EU servers); becomes the
                           default entry of Django 6.1's MAILERS
    DEFAULT_FROM_EMAIL     powerbase@localhost
    MAILGUN_WEBHOOK_SIGNING_KEY  empty: Mailgun's tracking webhook (/hooks/email/mailgun/tracking/)
                           answers 404; set it to Mailgun's webhook signing key to record
                           delivered, bounced, opened, clicked and unsubscribed
    ANYMAIL_WEBHOOK_SECRET empty; "user:password" makes email webhooks need that basic auth too
    POWERBASE_SITE_URL     http://localhost:8000: where people reach powerbase (links in messages)
    POWERBASE_MESSAGES_PER_DAY  20000: messages an organization may send a day (its own limit wins)
    POWERBASE_EXPORT_ROW_CAP  5000: a larger people export needs a role allowed full exports
    POWERBASE_API_REQUESTS_PER_MINUTE  240: requests one API key may make a minute
    SMS_PROVIDER           console (prints texts); file (appends them to SMS_FILE_PATH,
                           <data dir>/sms.jsonl); twilio (needs TWILIO_ACCOUNT_SID,
                           TWILIO_AUTH_TOKEN, TWILIO_FROM; TWILIO_API_BASE for a test server)
    SMS_QUIET_HOURS        21:00-09:00: no text goes out between these times, recipient's time
    POWERBASE_WEBHOOKS_ALLOW_PRIVATE  off: webhooks to loopback, private or link-local addresses
                           are refused; on for a receiver inside your own network
    POWERBASE_JOB_STALE_MINUTES  30: a running job silent this long is marked failed (dead worker)
    POWERBASE_UPLOAD_RETENTION_DAYS  7: an uploaded list never imported is deleted after this
    POWERBASE_EXPORT_INLINE_LIMIT    2000: an export of more rows runs as a background job
    POWERBASE_EXPORT_RETENTION_HOURS 24: an export file made by a job is deleted after this
    POWERBASE_FIELD_KEYS   Fernet keys, comma-separated, newest first, that encrypt sensitive
                           notes at rest (`powerbase keys new` makes one). Unset: one key derived
                           from SECRET_KEY, fine for the demo; set it in production, since
                           changing SECRET_KEY then makes the notes unreadable.
    POWERBASE_BACKUP_KEY   unset: `powerbase backup` writes plain archives. A Fernet key
                           (`powerbase keys new`; several comma-separated, newest first, to
                           read older archives) encrypts them; `restore` needs it
    POWERBASE_VOTERFILE_PARQUET  unset: each machine reads the voter file from its own DuckDB
                           file. A folder shared by the app machines, or s3://bucket/prefix or
                           https://host/prefix (DuckDB's httpfs, or without it fsspec:
                           powerbase[objectstore]): imports also write each version there as
                           Parquet, and every machine reads it from there
"""

import base64
import hashlib
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; refuse values that are neither."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (expected 1/0, true/false).")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG", False)
DATA_DIR = Path(os.environ.get("POWERBASE_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _parquet_base(value: str) -> str:
    """A URL as it is; a folder made absolute, so every process means the same one."""
    value = value.strip()
    return value if not value or "://" in value else str(Path(value).expanduser().resolve())


# Where voter file versions are published as Parquet for every app machine (voterfile/store).
VOTERFILE_PARQUET = _parquet_base(os.environ.get("POWERBASE_VOTERFILE_PARQUET", ""))


# The embedded default (SQLite under the data dir, no DATABASE_URL) is what a newcomer runs:
# every command must work there with no environment at all. A database named in DATABASE_URL
# means an operator's install, which must hold its key itself (backed up, shared by machines).
EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")


def read_secret_key() -> str:
    """Return SECRET_KEY from the environment, or on the embedded default (or in DEBUG) the
    key kept in the data dir."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not (DEBUG or EMBEDDED_DATABASE):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set, and DATABASE_URL names a production database. Set it to a "
            "long random string, for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    return _data_dir_key(DATA_DIR / "dev-secret-key")


def _data_dir_key(key_file: Path) -> str:
    """Read the key kept in *key_file*, making it first if there is none.

    Created exclusively: the demo starts the web server and the worker at once, and two
    processes each writing their own key would sign sessions neither could read back.
    """
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as created:
            created.write(secrets.token_urlsafe(50))
    for _ in range(50):  # another process may have created it and not yet written it
        if key := key_file.read_text().strip():
            return key
        time.sleep(0.05)
    raise ImproperlyConfigured(f"{key_file} is empty: delete it and a new key is made.")


SECRET_KEY = read_secret_key()
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SECRET_KEY"))


def read_field_keys() -> list[str]:
    """Return the keys that encrypt sensitive fields, newest first (see core.encryption)."""
    if keys := env_list("POWERBASE_FIELD_KEYS", ""):
        return keys
    digest = hashlib.sha256(b"powerbase-field-encryption:" + SECRET_KEY.encode()).digest()
    return [base64.urlsafe_b64encode(digest).decode()]


FIELD_ENCRYPTION_KEYS = read_field_keys()
FIELD_KEYS_FROM_ENVIRONMENT = bool(env_list("POWERBASE_FIELD_KEYS", ""))
# Keys that encrypt `powerbase backup` archives (core.backup), newest first; none: plain.
BACKUP_KEYS = env_list("POWERBASE_BACKUP_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
HTTPS = env_flag("POWERBASE_HTTPS", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_tasks_db",
    "powerbase.core",
    "powerbase.coalition",
    "powerbase.people",
    "powerbase.imports",
    "powerbase.power",
    "powerbase.voterfile",
    "powerbase.actions",
    "powerbase.democracy",
    "powerbase.identity",
    "powerbase.legislature",
    "powerbase.electoral",
    "powerbase.field",
    "powerbase.messaging",
    "powerbase.money",
    "powerbase.school",
    "powerbase.strategy",
    "powerbase.bargaining",
    "powerbase.api",
]

MIDDLEWARE = [
    "powerbase.core.middleware.RequestIdMiddleware",  # first: every later log line has the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Everything past the static files may carry personal data: no browser or proxy keeps it.
    "powerbase.core.middleware.NoStoreMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "powerbase.core.middleware.ClientAddressMiddleware",
    "powerbase.core.middleware.SessionLimitsMiddleware",
    "powerbase.core.middleware.TwoFactorVerificationMiddleware",
    # A page that only reads takes the base's fingerprint once (the figures kept under it).
    "powerbase.identity.middleware.OneFingerprintPerReadMiddleware",
    # Axes must be last: it turns a lockout raised during authentication into a refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "powerbase.core.context_processors.shell",
            ],
        },
    },
]

# Databases ---------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'powerbase.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the job worker writes; IMMEDIATE transactions take
    # the write lock up front so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs ---------------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job that has not reported progress for this long is taken as abandoned by a dead
# worker on another machine and marked failed (one on the same machine is checked by its pid).
JOB_STALE_AFTER = timedelta(minutes=int(os.environ.get("POWERBASE_JOB_STALE_MINUTES", "30")))
# An uploaded list that was never imported is deleted after this long (imports.retention).
UPLOAD_RETENTION = timedelta(days=int(os.environ.get("POWERBASE_UPLOAD_RETENTION_DAYS", "7")))
# An export of more rows than this is written by a background job to a private file the person
# downloads when it is ready, instead of holding the request open (core.exports).
EXPORT_INLINE_LIMIT = int(os.environ.get("POWERBASE_EXPORT_INLINE_LIMIT") or 2000)
# A job's export file holds personal data in plain text: deleted this long after it was made.
EXPORT_RETENTION = timedelta(hours=int(os.environ.get("POWERBASE_EXPORT_RETENTION_HOURS") or 24))

# Counters that must hold across web server processes (wrong voting codes per address) live in
# the database: `powerbase serve` runs several gunicorn workers, and an in-process cache would
# give each its own count. `powerbase migrate` creates the table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "powerbase_cache",
    }
}

# Accounts and security ----------------------------------------------------------------------

# A people export of more rows than this needs a role allowed full exports (people.export_all).
PEOPLE_EXPORT_ROW_CAP = int(os.environ.get("POWERBASE_EXPORT_ROW_CAP") or 5000)
# Requests one API key may make per minute (Action Network allows 4 a second).
API_REQUESTS_PER_MINUTE = int(os.environ.get("POWERBASE_API_REQUESTS_PER_MINUTE") or 240)
# Webhooks go only to public addresses (api/destinations.py) unless this is on.
WEBHOOKS_ALLOW_PRIVATE = env_flag("POWERBASE_WEBHOOKS_ALLOW_PRIVATE", False)

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at OWASP's recommended cost (core/hashers.py). It verifies any argon2 hash,
    # whatever its cost, and Django rewrites older ones at this cost on the next sign-in.
    "powerbase.core.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# The 6th failed try within 30 minutes is refused, for that username from that address.
# Failures from one address across any usernames (password spraying) have their own, higher
# limit in LOGIN_FAILURES_PER_ADDRESS: axes has only one limit for all its counts.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
LOGIN_FAILURES_PER_ADDRESS = 20  # within AXES_COOLOFF_TIME, counted in core.throttles
PASSWORD_RESETS_PER_ADDRESS = 10  # reset emails asked for per hour from one address
PASSWORD_RESETS_PER_ACCOUNT = 3  # and per hour for one email address
RECENT_AUTH_MINUTES = 5  # how fresh a password must be for the riskiest steps

SESSION_IDLE_MINUTES = int(os.environ.get("POWERBASE_SESSION_IDLE_MINUTES", "30"))
# Saving the session on every request turns SESSION_COOKIE_AGE into an idle timeout.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# However active, a session ends this long after its sign-in (core.middleware.SessionLimits).
SESSION_ABSOLUTE_HOURS = int(os.environ.get("POWERBASE_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "powerbase.core.views.csrf_failure"
OTP_TOTP_ISSUER = "powerbase"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env_flag("POWERBASE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Django's built-in Content-Security-Policy: only our own scripts and styles, no inline code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Email -------------------------------------------------------------------------------------


def mailer_for(url: str) -> dict:
    """Translate EMAIL_URL (console://, smtp[s]://user:pass@host:port or
    mailgun://api-key@sending-domain) into a MAILERS entry."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme in {"smtp", "smtps"}:
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or (465 if parts.scheme == "smtps" else 587),
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": parts.scheme == "smtps",
                "use_tls": parts.scheme == "smtp",
            },
        }
    if parts.scheme == "mailgun":
        # mailgun://API_KEY@SENDING_DOMAIN, ?region=eu for Mailgun's EU API (django-anymail).
        query = parse_qs(parts.query)
        region = "api.eu.mailgun.net" if query.get("region") == ["eu"] else "api.mailgun.net"
        return {
            "BACKEND": "anymail.backends.mailgun.EmailBackend",
            "OPTIONS": {
                "api_key": unquote(parts.username or ""),
                "sender_domain": parts.hostname or "",
                "api_url": query.get("api_url", [f"https://{region}/v3/"])[0],
            },
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL={url!r}: expected console://, smtp://host:port or mailgun://key@domain."
    )


MAILERS = {"default": mailer_for(os.environ.get("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "powerbase@localhost")
# Email providers' tracking webhooks (django-anymail verifies them; messaging/email_hooks.py).
ANYMAIL = {
    "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET") or None,
}
# How many messages (emails and texts) an organization may send in a day, unless its own
# limit (messaging.SendingLimit) says otherwise.
# The address people reach this install at: links in emails and texts (sign-up, unsubscribe)
# are made from it, since a message sent by the worker has no request to read it from.
SITE_URL = os.environ.get("POWERBASE_SITE_URL", "http://localhost:8000").rstrip("/")
MESSAGES_PER_DAY = int(os.environ.get("POWERBASE_MESSAGES_PER_DAY", "20000"))

# Text messages (messaging/sms): printed by default, so the demo never sends a real text.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "console")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH") or DATA_DIR / "sms.jsonl")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
TWILIO_API_BASE = os.environ.get("TWILIO_API_BASE", "https://api.twilio.com")
# No text reaches anyone between these local times (their zone, from their address).
SMS_QUIET_HOURS = os.environ.get("SMS_QUIET_HOURS", "21:00-09:00")

# Internationalisation and static files ------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing folder before collectstatic
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "uploads"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Logs carry no personal data (core/logs.py): exception messages are withheld from
# tracebacks, and Django's error email (request data, local variables) is switched off by
# giving its loggers only our handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "powerbase.core.logs.RequestIdFilter"}},
    "formatters": {
        "safe": {
            "()": "powerbase.core.logs.SafeFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "safe",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "powerbase": {"level": "INFO"},
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
