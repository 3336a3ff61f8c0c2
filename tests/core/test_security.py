"""Security from the first day: deploy checks, sign-in limits, two-factor, idle sessions, resets."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from powerbase.core.models import AuditEntry, Organization, Role
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-grade-secret-key-of-fifty-or-more-random-characters-0123456789",
    "ALLOWED_HOSTS": "powerbase.example.org",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.org:587",
}


def run_with_production_settings(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "POWERBASE_HTTPS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings", **extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check():
    result = run_with_production_settings(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_hash_with_argon2_and_end_idle_sessions():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = run_with_production_settings("-c", code, POWERBASE_SESSION_IDLE_MINUTES="10")
    assert result.stdout.split() == [
        "powerbase.core.hashers.OwaspArgon2PasswordHasher",
        "600",
        "True",
        "True",
        "True",
        "False",
    ], result.stderr


ARGON2_AT_OWASP_COST = ["powerbase.core.hashers.OwaspArgon2PasswordHasher"]


def test_a_password_is_hashed_with_argon2id_at_owasps_recommended_cost(settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = ARGON2_AT_OWASP_COST
    assert make_password(PASSWORD).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_made_at_the_old_heavier_cost_still_signs_in_and_is_rewritten(
    client, owner, settings
):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    old_hash = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old_hash  # Django's default, 0.6-1.5 s per sign-in here
    type(owner).objects.filter(pk=owner.pk).update(password=old_hash)
    settings.PASSWORD_HASHERS = ARGON2_AT_OWASP_COST
    assert sign_in(client, owner.email, PASSWORD).status_code == 302
    owner.refresh_from_db()
    assert "m=19456,t=2,p=1" in owner.password


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with_production_settings(
        "-c",
        "import django; django.setup()",
        SECRET_KEY="",
        DATABASE_URL="postgres://powerbase@db.example.org/powerbase",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get(reverse("core:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


# Sign-in limits ------------------------------------------------------------------------------


def sign_in(client, email: str, password: str):
    return client.post(reverse("core:login"), {"username": email, "password": password})


def test_the_sixth_try_after_five_failures_is_refused_even_with_the_right_password(client, owner):
    for _ in range(5):
        sign_in(client, owner.email, "wrong-password")
    response = sign_in(client, owner.email, PASSWORD)
    assert response.status_code == 429
    assert b"Sign-in paused" in response.content
    assert "_auth_user_id" not in client.session


def test_four_failures_still_let_the_right_password_in(client, owner):
    for _ in range(4):
        response = sign_in(client, owner.email, "wrong-password")
        assert response.status_code == 200
        assert b"do not match" in response.content
    response = sign_in(client, owner.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_one_locked_account_does_not_lock_out_a_colleague(client, owner, admin):
    for _ in range(6):
        sign_in(client, owner.email, "wrong-password")
    assert sign_in(client, admin.email, PASSWORD).status_code == 302


def test_sign_ins_and_failures_are_audited_with_the_address(client, owner):
    sign_in(client, owner.email, "wrong-password")
    sign_in(client, owner.email, PASSWORD)
    failed = AuditEntry.objects.get(action="login.failed")
    succeeded = AuditEntry.objects.get(action="login.succeeded")
    assert failed.actor == owner and failed.ip_address == "127.0.0.1"
    assert succeeded.actor == owner
    assert failed.changes == {} and "password" not in str(failed.changes)


def test_a_failed_sign_in_with_an_unknown_email_is_audited_with_that_email(client, db):
    sign_in(client, "nobody@nowhere.example", "guess")
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.actor is None
    assert entry.actor_label == "nobody@nowhere.example"


def test_sign_in_ignores_the_case_of_the_email(client, owner):
    assert sign_in(client, owner.email.upper(), PASSWORD).status_code == 302


# Idle sessions -------------------------------------------------------------------------------


def test_a_session_idle_past_its_limit_must_sign_in_again(client, owner, nutmeg):
    client.force_login(owner)
    dashboard = reverse("power:dashboard", kwargs={"org": nutmeg.slug})
    assert client.get(dashboard).status_code == 200
    # Thirty idle minutes later the stored session has expired.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_each_request_pushes_the_idle_deadline_back(client, owner, nutmeg, settings):
    client.force_login(owner)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse("power:dashboard", kwargs={"org": nutmeg.slug}))
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


# Password reset ------------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, owner):
    client.post(reverse("core:password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    assert sign_in(client, owner.email, "a-brand-new-passphrase").status_code == 302


def test_a_reset_request_for_an_unknown_email_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("core:password_reset"), {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    assert mail.outbox == []


# Two-factor sign-in --------------------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def turn_on_two_factor(client, user) -> TOTPDevice:
    client.force_login(user)
    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("core:two_factor_setup"), {"token": current_code(device)})
    assert b"Your recovery codes" in response.content
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_user_with_two_factor_must_enter_a_code_after_the_password(client, owner, nutmeg):
    device = turn_on_two_factor(client, owner)
    client.logout()
    response = sign_in(client, owner.email, PASSWORD)
    assert response["Location"].startswith(reverse("core:two_factor_verify"))
    dashboard = reverse("power:dashboard", kwargs={"org": nutmeg.slug})
    assert client.get(dashboard)["Location"].startswith(reverse("core:two_factor_verify"))
    client.post(reverse("core:two_factor_verify"), {"token": "000000", "next": dashboard})
    assert client.get(dashboard).status_code == 302
    # The wrong code throttled the device, and the setup already used this time step's code:
    # stand in for the half minute a person would wait.
    device.refresh_from_db()
    device.throttle_reset(commit=False)
    device.last_t = -1
    device.save()
    client.post(
        reverse("core:two_factor_verify"), {"token": current_code(device), "next": dashboard}
    )
    assert client.get(dashboard).status_code == 200


def test_a_wrong_setup_code_does_not_turn_two_factor_on(client, owner):
    client.force_login(owner)
    client.get(reverse("core:two_factor_setup"))
    response = client.post(reverse("core:two_factor_setup"), {"token": "123456"})
    assert b"does not match" in response.content
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_an_owner_can_require_two_factor_of_roles_that_see_sensitive_data(
    client, owner, users_by_role, nutmeg
):
    client.force_login(owner)
    client.post(
        reverse("core:settings", kwargs={"org": nutmeg.slug}),
        {"name": nutmeg.name, "require_two_factor": "on"},
    )
    assert Organization.objects.get(pk=nutmeg.pk).require_two_factor
    dashboard = reverse("power:dashboard", kwargs={"org": nutmeg.slug})

    client.force_login(users_by_role[Role.DATA])
    response = client.get(dashboard)
    assert response["Location"].startswith(reverse("core:two_factor_setup"))

    client.force_login(users_by_role[Role.ORGANIZER])
    assert client.get(dashboard).status_code == 200


def test_turning_two_factor_on_and_off_is_audited(client, owner):
    turn_on_two_factor(client, owner)
    client.post(reverse("core:two_factor_disable"))
    actions = list(AuditEntry.objects.filter(actor=owner).values_list("action", flat=True))
    assert "two_factor.enabled" in actions and "two_factor.disabled" in actions
    assert not TOTPDevice.objects.filter(user=owner).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_the_code_page_never_redirects_off_site(client, owner, target):
    device = turn_on_two_factor(client, owner)
    client.logout()
    sign_in(client, owner.email, PASSWORD)
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    response = client.post(
        reverse("core:two_factor_verify"), {"token": current_code(device), "next": target}
    )
    assert response["Location"] == reverse("core:home")
