"""Hardening of sign-in and sessions: two-factor by default with recovery codes, the password
asked again before risky steps, pages kept out of caches, limits on password spraying and reset
emails, a 12-hour cap on sessions, and deactivation that ends sessions for good."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from powerbase.core import services, sessions
from powerbase.core.models import AuditEntry, Membership, Organization, RecoveryCode, Role
from tests.conftest import PASSWORD, make_user
from tests.core.test_security import current_code, sign_in

# Two-factor by default ---------------------------------------------------------------------


@pytest.fixture
def elm_city(db) -> Organization:
    """An organization created the ordinary way, with nothing said about two-factor."""
    return services.create_organization(name="Elm City For All", slug="elm-city", state="CT")


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.DATA])
def test_a_new_organization_requires_two_factor_of_roles_that_see_sensitive_data(
    client, elm_city, role
):
    client.force_login(make_user(elm_city, role))
    response = client.get(reverse("power:dashboard", kwargs={"org": elm_city.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor_setup"))


def test_an_organizer_of_a_new_organization_signs_in_with_a_password_alone(client, elm_city):
    client.force_login(make_user(elm_city, Role.ORGANIZER))
    response = client.get(reverse("power:dashboard", kwargs={"org": elm_city.slug}))
    assert response.status_code == 200


def test_an_owner_can_turn_the_requirement_off(client, elm_city):
    owner = make_user(elm_city, Role.OWNER)
    TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
    client.force_login(owner)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=owner).persistent_id
    session.save()
    client.post(reverse("core:settings", kwargs={"org": elm_city.slug}), {"name": elm_city.name})
    assert not Organization.objects.get(pk=elm_city.pk).require_two_factor


def test_the_demo_organizations_keep_two_factor_off_and_say_so(client, db):
    from powerbase.demo.load import STATE_SLUG, _organizations_and_users
    from powerbase.demo.rosters import build_rosters

    state = _organizations_and_users(build_rosters(scale=0.01))
    state.refresh_from_db()
    assert not state.require_two_factor
    owner = Membership.objects.filter(organization=state, role=Role.OWNER).first().user
    client.force_login(owner)
    response = client.get(reverse("core:settings", kwargs={"org": STATE_SLUG}))
    assert b"This is a demo organization, so two-factor sign-in is not required" in response.content


def set_up_two_factor(client, user) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor on through the pages; return the device and the codes shown once."""
    client.force_login(user)
    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("core:two_factor_setup"), {"token": current_code(device)})
    return device, response.context["codes"]


def test_turning_two_factor_on_shows_ten_recovery_codes_kept_only_as_digests(client, owner):
    _, codes = set_up_two_factor(client, owner)
    assert len(codes) == len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=owner).values_list("digest", flat=True))
    assert len(stored) == 10
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)
    # Shown once: the account page gives the count, never the codes.
    page = client.get(reverse("core:account")).content.decode()
    assert "10 unused" in page and codes[0] not in page


def test_a_recovery_code_stands_in_for_the_app_once(client, owner, nutmeg):
    _, codes = set_up_two_factor(client, owner)
    dashboard = reverse("power:dashboard", kwargs={"org": nutmeg.slug})
    for attempt in ("first", "second"):
        client.logout()
        sign_in(client, owner.email, PASSWORD)
        client.post(
            reverse("core:two_factor_verify"), {"token": codes[0].upper(), "next": dashboard}
        )
        status = client.get(dashboard).status_code
        assert status == (200 if attempt == "first" else 302), attempt
    assert RecoveryCode.objects.filter(user=owner, used_at__isnull=True).count() == 9


# Step-up: the password again within five minutes --------------------------------------------


def age_password(client, minutes: int = 6) -> None:
    """Make the session's last password entry *minutes* old."""
    session = client.session
    session[sessions.CONFIRMED_AT] = time.time() - minutes * 60
    session.save()


def confirm(client, password: str = PASSWORD, next_url: str = "/"):
    return client.post(reverse("core:confirm_password"), {"password": password, "next": next_url})


def test_turning_two_factor_off_needs_the_password_typed_in_the_last_five_minutes(client, owner):
    set_up_two_factor(client, owner)
    age_password(client)
    response = client.post(
        reverse("core:two_factor_disable"), HTTP_REFERER="http://testserver/account/"
    )
    assert response["Location"].startswith(reverse("core:confirm_password"))
    assert TOTPDevice.objects.filter(user=owner).exists()
    assert confirm(client, next_url="/account/")["Location"] == "/account/"
    client.post(reverse("core:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not RecoveryCode.objects.filter(user=owner).exists()


def test_a_password_typed_four_minutes_ago_is_fresh_enough(client, owner):
    client.force_login(owner)
    TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
    age_password(client, minutes=4)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=owner).persistent_id
    session.save()
    client.post(reverse("core:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=owner).exists()


def test_granting_a_role_needs_a_fresh_password(client, admin, nutmeg):
    client.force_login(admin)
    age_password(client)
    add = reverse("core:member_add", kwargs={"org": nutmeg.slug})
    response = client.post(
        add,
        {"email": "new@nutmeg.example", "role": Role.ADMIN},
        HTTP_REFERER=f"http://testserver{add}",
    )
    assert (
        response["Location"] == f"{reverse('core:confirm_password')}?next=%2Fo%2Fnutmeg"
        f"%2Fmembers%2Fadd%2F"
    )
    assert not Membership.objects.filter(user__email="new@nutmeg.example").exists()
    confirm(client, next_url=add)
    client.post(add, {"email": "new@nutmeg.example", "role": Role.ADMIN})
    assert Membership.objects.filter(user__email="new@nutmeg.example").exists()


def test_changing_a_role_needs_a_fresh_password(client, admin, viewer, nutmeg):
    client.force_login(admin)
    age_password(client)
    membership = Membership.objects.get(user=viewer, organization=nutmeg)
    client.post(
        reverse("core:member", kwargs={"org": nutmeg.slug, "member_id": membership.pk}),
        {"role": Role.ADMIN},
    )
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_scoping_an_affiliate_lead_needs_a_fresh_password(
    client, admin, affiliate_lead, nutmeg, teachers_union
):
    client.force_login(admin)
    age_password(client)
    membership = Membership.objects.get(user=affiliate_lead, organization=nutmeg)
    client.post(
        reverse(
            "coalition:lead_affiliates", kwargs={"org": nutmeg.slug, "member_id": membership.pk}
        ),
        {"affiliates": [teachers_union.pk]},
    )
    assert not membership.affiliate_grants.filter(affiliate=teachers_union).exists()


def test_a_full_export_needs_a_fresh_password(client, users_by_role, nutmeg, maria):
    client.force_login(users_by_role[Role.DATA])
    age_password(client)
    export = reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "csv"})
    response = client.get(export)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:confirm_password"))
    assert confirm(client, next_url=export)["Location"] == export
    assert client.get(export).status_code == 200


def test_a_wrong_password_on_the_confirm_page_is_refused_and_audited(client, owner):
    client.force_login(owner)
    age_password(client)
    response = confirm(client, password="not-my-password")
    assert b"That is not your password" in response.content
    assert not sessions.password_entered_recently(type("R", (), {"session": client.session}))
    assert AuditEntry.objects.filter(action="login.failed", actor=owner).exists()


def test_the_confirm_page_never_sends_you_off_site(client, owner):
    client.force_login(owner)
    assert confirm(client, next_url="https://evil.example/")["Location"] == reverse("core:home")


# Nothing with personal data is cached --------------------------------------------------------


def test_person_pages_lists_and_exports_are_marked_no_store(client, users_by_role, nutmeg, maria):
    client.force_login(users_by_role[Role.DATA])
    for url in (
        reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": maria.pk}),
        reverse("people:people", kwargs={"org": nutmeg.slug}),
        reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "csv"}),
        reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "xlsx"}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_refusals_and_public_pages_are_not_cached_either(client, viewer, nutmeg):
    assert "no-store" in client.get(reverse("core:login"))["Cache-Control"]
    client.force_login(viewer)
    refused = client.get(reverse("core:audit_log", kwargs={"org": nutmeg.slug}))
    assert refused.status_code == 403
    assert "no-store" in refused["Cache-Control"]


# Password spraying and reset emails ----------------------------------------------------------


def test_failures_across_many_usernames_from_one_address_pause_sign_in_from_it(
    client, owner, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 20
    for n in range(20):  # four tries each at five accounts: under axes' per-account limit
        assert sign_in(client, f"user{n % 5}@nutmeg.example", "Summer2026!").status_code == 200
    response = sign_in(client, owner.email, PASSWORD)
    assert response.status_code == 429
    assert b"from your connection, across several" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login.address_throttled").exists()


def test_a_paused_address_does_not_pause_another(client, owner, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        sign_in(client, f"user{n}@nutmeg.example", "guess")
    response = client.post(
        reverse("core:login"),
        {"username": owner.email, "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302


def test_reset_emails_for_one_account_stop_after_three_an_hour(client, owner):
    for _ in range(3):
        assert (
            client.post(reverse("core:password_reset"), {"email": owner.email}).status_code == 302
        )
    response = client.post(
        reverse("core:password_reset"), {"email": owner.email}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert b"reached their limit" in response.content
    assert len(mail.outbox) == 3


def test_reset_requests_from_one_address_stop_at_its_limit(client, owner, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    for n in range(2):
        client.post(reverse("core:password_reset"), {"email": f"someone{n}@nutmeg.example"})
    response = client.post(reverse("core:password_reset"), {"email": owner.email})
    assert response.status_code == 429
    assert mail.outbox == []


# Session lifetime and deactivation -----------------------------------------------------------


def signed_in_hours_ago(client, hours: float) -> None:
    session = client.session
    session[sessions.SIGNED_IN_AT] = time.time() - hours * 3600
    session.save()


def test_a_busy_session_ends_twelve_hours_after_sign_in(client, owner, nutmeg):
    client.force_login(owner)
    dashboard = reverse("power:dashboard", kwargs={"org": nutmeg.slug})
    signed_in_hours_ago(client, 11.9)
    assert client.get(dashboard).status_code == 200
    signed_in_hours_ago(client, 12.01)
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert client.get(dashboard)["Location"].startswith(reverse("core:login"))
    assert AuditEntry.objects.filter(action="session.expired", actor=owner).exists()


def test_deactivating_a_user_ends_their_sessions_and_reactivating_revives_none(
    client, organizer, nutmeg
):
    client.force_login(organizer)
    dashboard = reverse("power:dashboard", kwargs={"org": nutmeg.slug})
    assert client.get(dashboard).status_code == 200
    assert services.deactivate_user(user=organizer) == 1
    assert not Session.objects.exists()
    services.reactivate_user(user=organizer)
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert sign_in(client, organizer.email, PASSWORD).status_code == 302


def test_deactivating_one_user_leaves_colleagues_signed_in(client, organizer, viewer, nutmeg):
    from django.test import Client

    colleague = Client()
    colleague.force_login(viewer)
    client.force_login(organizer)
    services.deactivate_user(user=organizer)
    dashboard = reverse("power:dashboard", kwargs={"org": nutmeg.slug})
    assert colleague.get(dashboard).status_code == 200
