"""`powerbase check` names what is missing or unsafe for production and exits 1 for it."""

import importlib.util
import sys
from types import SimpleNamespace

import pytest

from powerbase.cli.check import environment_findings

PRODUCTION = {
    "SECRET_KEY": "kT9vQ2xL7mN4pR8sW1yZ3bC6dF0gH5jK-aE2iO7uY4tV9qX1wS6rP3nM8lB5cD0fG",
    "SECRET_KEY_FROM_ENVIRONMENT": True,
    "DEBUG": False,
    "ALLOWED_HOSTS": ["powerbase.example.org"],
    "HTTPS": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql"}},
    "MAILERS": {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}},
    "SITE_URL": "https://powerbase.example.org",
    "FIELD_KEYS_FROM_ENVIRONMENT": True,
    "SMS_PROVIDER": "twilio",
    "TWILIO_ACCOUNT_SID": "AC-fictional",
    "TWILIO_AUTH_TOKEN": "fictional-token",
    "TWILIO_FROM": "+12035550100",
}


def findings_for(tmp_path, **changes) -> dict[str, str]:
    settings = SimpleNamespace(**{**PRODUCTION, "DATA_DIR": tmp_path, **changes})
    return {f.setting: f.message for f in environment_findings(settings) if f.unsafe}


def test_the_documented_production_settings_have_nothing_unsafe(tmp_path):
    assert findings_for(tmp_path) == {}


def test_each_unsafe_setting_is_named(tmp_path):
    assert "SECRET_KEY" in findings_for(tmp_path, SECRET_KEY_FROM_ENVIRONMENT=False)
    assert "SECRET_KEY" in findings_for(tmp_path, SECRET_KEY="short")
    assert "DEBUG" in findings_for(tmp_path, DEBUG=True)
    assert "ALLOWED_HOSTS" in findings_for(tmp_path, ALLOWED_HOSTS=["*"])
    assert "ALLOWED_HOSTS" in findings_for(tmp_path, ALLOWED_HOSTS=["127.0.0.1", "localhost"])
    assert "POWERBASE_HTTPS" in findings_for(tmp_path, HTTPS=False)
    sqlite = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
    assert "DATABASE_URL" in findings_for(tmp_path, DATABASES=sqlite)
    console = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    assert "EMAIL_URL" in findings_for(tmp_path, MAILERS=console)
    assert "POWERBASE_SITE_URL" in findings_for(tmp_path, SITE_URL="http://localhost:8000")
    assert "POWERBASE_FIELD_KEYS" in findings_for(tmp_path, FIELD_KEYS_FROM_ENVIRONMENT=False)
    assert "TWILIO_AUTH_TOKEN" in findings_for(tmp_path, TWILIO_AUTH_TOKEN="")


def test_a_parquet_url_this_machine_cannot_read_is_noted(tmp_path, monkeypatch):
    import duckdb

    try:
        with duckdb.connect() as con:
            con.execute("LOAD httpfs")
        pytest.skip("httpfs loads here: every URL can be read")
    except duckdb.Error:
        pass
    url = {"VOTERFILE_PARQUET": "https://files.example.org/voterfile"}
    settings = SimpleNamespace(**{**PRODUCTION, "DATA_DIR": tmp_path, **url})
    monkeypatch.setitem(sys.modules, "fsspec", None)  # an install without the extra
    noted = {f.setting: f for f in environment_findings(settings)}
    assert "powerbase[objectstore]" in noted["POWERBASE_VOTERFILE_PARQUET"].message
    assert not noted["POWERBASE_VOTERFILE_PARQUET"].unsafe  # DuckDB may still download it
    monkeypatch.undo()
    if importlib.util.find_spec("fsspec") is not None:
        readable = {f.setting for f in environment_findings(settings)}
        assert "POWERBASE_VOTERFILE_PARQUET" not in readable
    folder = SimpleNamespace(**{**PRODUCTION, "DATA_DIR": tmp_path, "VOTERFILE_PARQUET": "/srv/pq"})
    assert "POWERBASE_VOTERFILE_PARQUET" not in {f.setting for f in environment_findings(folder)}


def test_a_data_dir_the_service_cannot_write_is_unsafe(tmp_path):
    missing = tmp_path / "gone"
    assert "not writable" in findings_for(tmp_path, DATA_DIR=missing)["POWERBASE_DATA_DIR"]


def test_check_on_the_embedded_default_exits_1_and_says_what_to_set(powerbase):
    result = powerbase("check")

    assert result.returncode == 1
    for setting in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL"):
        assert f"unsafe  {setting}:" in result.stdout
    assert "not applied: run `powerbase migrate`" in result.stdout


def test_check_names_a_missing_secret_key_for_a_production_database(powerbase):
    result = powerbase("check", DATABASE_URL="postgres://powerbase@db.example.org/powerbase")

    assert result.returncode == 1
    assert "unsafe  SECRET_KEY is not set" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
