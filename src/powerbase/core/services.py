"""Write operations on organizations, users and roles. Each checks access and is audited."""

import hashlib
import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from powerbase.core import access, audit, sessions
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.core.models import Membership, Organization, RecoveryCode, Role, User
from powerbase.core.us_states import USState


def create_organization(
    *,
    name: str,
    slug: str = "",
    level: str = Organization.Level.STATE,
    state: str = "",
    parent: Organization | None = None,
    require_two_factor: bool = True,
) -> Organization:
    """Create an organization (a tenant). Used by the CLI and the demo, not by org members,
    so the audit log names the command line as its creator.

    Two-factor sign-in is required of its owners, admins and data directors unless the caller
    says otherwise (the demo does, so its logins take one step).
    """
    slug = slug or slugify(name)[:60]
    if level not in Organization.Level.values:
        levels = ", ".join(Organization.Level.values)
        raise InvalidInput(f"Level '{level}' is not one of: {levels}.")
    state = state.upper()
    if state and state not in USState.values:
        raise InvalidInput(f"State '{state}' is not a US state code (expected e.g. CT, NC, FL).")
    if level != Organization.Level.NATIONAL and not state:
        raise InvalidInput("A local or state organization needs a state (e.g. --state CT).")
    if Organization.objects.filter(slug=slug).exists():
        raise Conflict(f"An organization with the short name '{slug}' already exists.")
    with transaction.atomic():
        organization = Organization.objects.create(
            name=name,
            slug=slug,
            level=level,
            state=state,
            parent=parent,
            require_two_factor=require_two_factor,
        )
        audit.record(
            access.command_line(organization),
            "organization.created",
            organization,
            changes={
                "name": [None, name],
                "level": [None, level],
                "require_two_factor": [None, require_two_factor],
            },
        )
    return organization


def create_user(
    *, email: str, name: str = "", password: str | None = None, created_by: Actor
) -> User:
    """Create a person who can sign in. Without a password they set one by the reset email."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"'{email}' is not an email address.") from None
    if User.objects.filter(email=email).exists():
        raise Conflict(f"A user with the email {email} already exists.")
    user = User(email=email, name=name)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput("That password is too weak: " + " ".join(error.messages)) from None
    with transaction.atomic():
        user = User.objects.create_user(email=email, name=name, password=password)
        audit.record(created_by, "user.created", user, changes={"email": [None, email]})
    return user


def grant_role(*, user: User, role: str, granted_by: Actor) -> Membership:
    """Give *user* *role* in the granter's organization (or change it)."""
    _check_role(role)
    organization = granted_by.organization
    _require_may_assign(granted_by, role)
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            organization=organization, user=user, defaults={"role": role}
        )
        if not created and membership.role != role:
            if membership.role == Role.OWNER:
                _require_may_assign(granted_by, Role.OWNER)
            _refuse_removing_last_owner(membership, new_role=role)
            old_role, membership.role = membership.role, role
            membership.save(update_fields=["role"])
            audit.record(
                granted_by,
                "membership.updated",
                membership,
                organization=organization,
                changes={"role": [old_role, role]},
            )
        elif created:
            audit.record(
                granted_by,
                "membership.created",
                membership,
                organization=organization,
                changes={"user": [None, user.email], "role": [None, role]},
            )
    return membership


def invite_member(*, actor: Actor, email: str, name: str, role: str, base_url: str) -> Membership:
    """Add a person to the actor's organization; create their account if they have none.

    A new account has no password: the email sent once the change commits holds a link to set
    one (the same link as a password reset), valid for PASSWORD_RESET_TIMEOUT.
    """
    access.require(actor, "members.manage")
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        is_new = user is None
        if user is None:
            user = create_user(email=email, name=name, created_by=actor)
        elif Membership.objects.filter(organization=actor.organization, user=user).exists():
            raise Conflict(f"{email} already has a role in {actor.organization}.", field="email")
        membership = grant_role(user=user, role=role, granted_by=actor)
        transaction.on_commit(
            lambda: send_invitation(
                user=user, organization=actor.organization, base_url=base_url, new_account=is_new
            )
        )
    return membership


def send_invitation(
    *, user: User, organization: Organization, base_url: str, new_account: bool
) -> None:
    """Email *user* that they have a role in *organization*, with a set-password link if new."""
    link = ""
    if new_account:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = base_url.rstrip("/") + reverse(
            "core:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
        )
    body = render_to_string(
        "core/email/invitation.txt",
        {
            "user": user,
            "organization": organization,
            "link": link,
            "sign_in": base_url.rstrip("/") + reverse("core:login"),
        },
    )
    send_mail(f"You have been added to {organization} on powerbase", body, None, [user.email])


def change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Change the role of *membership* (already looked up through `access`)."""
    access.require(actor, "members.manage", membership)
    return grant_role(user=membership.user, role=role, granted_by=actor)


def remove_member(*, actor: Actor, membership: Membership) -> None:
    """Take away a user's role in the actor's organization. Their account stays."""
    access.require(actor, "members.manage", membership)
    if membership.role == Role.OWNER:
        _require_may_assign(actor, Role.OWNER)
    with transaction.atomic():
        _refuse_removing_last_owner(membership, new_role=None)
        audit.record(
            actor,
            "membership.deleted",
            membership,
            changes={"user": [membership.user.email, None], "role": [membership.role, None]},
        )
        membership.delete()


def update_organization_settings(
    *,
    actor: Actor,
    name: str,
    require_two_factor: bool,
    link_after_import: bool | None = None,
    ballot_line: str | None = None,
) -> Organization:
    """Rename the organization, change whether sensitive roles need two-factor sign-in,
    whether a list import starts linking its people to the voter file, or which ballot line
    is the organization's own in fusion voting (None: unchanged)."""
    access.require(actor, "org.manage")
    organization = actor.organization
    if link_after_import is None:
        link_after_import = organization.link_after_import
    ballot_line = (
        organization.ballot_line if ballot_line is None else _checked_ballot_line(ballot_line)
    )
    before = {
        "name": organization.name,
        "require_two_factor": organization.require_two_factor,
        "link_after_import": organization.link_after_import,
        "ballot_line": organization.ballot_line,
    }
    after = {
        "name": name.strip(),
        "require_two_factor": require_two_factor,
        "link_after_import": link_after_import,
        "ballot_line": ballot_line,
    }
    if not after["name"]:
        raise InvalidInput("The organization needs a name.", field="name")
    with transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(**after)
        organization.refresh_from_db()
        if changes := audit.field_changes(before, after):
            audit.record(actor, "organization.updated", organization, changes=changes)
    return organization


def _checked_ballot_line(line: str) -> str:
    """Return *line* as results code a party (upper case), refusing what no result could hold."""
    line = line.strip().upper()
    if line and not BALLOT_LINE.fullmatch(line):
        raise InvalidInput(
            f"'{line}' is not a ballot line: use the party code election results "
            "give it, letters and digits (WFP, IND, CFP).",
            field="ballot_line",
        )
    return line


BALLOT_LINE = re.compile(r"[A-Z0-9][A-Z0-9 &.-]{0,39}")


def start_two_factor_setup(*, user: User) -> TOTPDevice:
    """Return the user's unconfirmed authenticator device, creating one with a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def confirm_two_factor(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the device if *token* is the current code from it. Return whether it was."""
    if device.user_id != user.pk or not device.verify_token(token.strip().replace(" ", "")):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(user, "two_factor.enabled", user)
    return True


def disable_two_factor(*, user: User) -> None:
    """Remove the user's authenticator and recovery codes; they sign in with a password alone.

    The view asks for the password again first (`require_recent_auth`).
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record(user, "two_factor.disabled", user)


RECOVERY_CODE_COUNT = 10
# No l/1 or o/0 look-alikes: a code is often read off paper.
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz234567"


def issue_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones and return them, the only time they exist.

    Each code is 12 characters (about 59 random bits) shown as three groups of four.
    """
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(3))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, digest=_recovery_digest(code)) for code in codes
        )
        audit.record(
            user, "two_factor.recovery_codes_issued", user, changes={"count": [None, len(codes)]}
        )
    return codes


def use_recovery_code(*, user: User, code: str) -> bool:
    """Spend one of the user's unused recovery codes; return whether *code* was one."""
    with transaction.atomic():
        spent = RecoveryCode.objects.filter(
            user=user,
            digest=_recovery_digest(code),
            used_at__isnull=True,
        ).update(used_at=timezone.now())
        if spent:
            audit.record(user, "two_factor.recovery_code_used", user)
    return bool(spent)


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _recovery_digest(code: str) -> str:
    normal = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normal.encode()).hexdigest()


def deactivate_user(*, user: User, by_label: str = "command line") -> int:
    """Stop *user* signing in and end every session they have; return how many ended.

    Their sessions are deleted, not just refused, so reactivating the account later does not
    bring a forgotten session on some shared computer back to life.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        ended = sessions.end_all_for(user)
        audit.record(
            None,
            "user.deactivated",
            user,
            actor_label=by_label,
            changes={"sessions_ended": [None, ended]},
        )
    user.is_active = False
    return ended


def reactivate_user(*, user: User, by_label: str = "command line") -> None:
    """Let *user* sign in again. They start from the sign-in page: no old session returns."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
        audit.record(None, "user.reactivated", user, actor_label=by_label)
    user.is_active = True


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise InvalidInput(f"Role '{role}' is not one of: {', '.join(Role.values)}.", field="role")


def _require_may_assign(actor: Actor, role: str) -> None:
    if role == Role.OWNER and not actor.can("members.manage_owners"):
        audit.record(actor, "access.denied", changes={"permission": "members.manage_owners"})
        raise PermissionDenied("members.manage_owners", actor.role_label)


def _refuse_removing_last_owner(membership: Membership, *, new_role: str | None) -> None:
    if membership.role != Role.OWNER or new_role == Role.OWNER:
        return
    owners = Membership.objects.filter(organization_id=membership.organization_id, role=Role.OWNER)
    if owners.count() <= 1:
        raise Conflict("An organization needs at least one owner: make someone else owner first.")


def record_sign_in(*, user: User) -> None:
    """Log a successful sign-in (the session itself is Django's)."""
    audit.record(user, "login.succeeded", user)


def record_failed_sign_in(*, username: str, locked_out: bool) -> None:
    """Log a failed sign-in; tie it to the account when the email names one."""
    user = User.objects.filter(email=username.strip().lower()).first()
    audit.record(
        user,
        "login.locked_out" if locked_out else "login.failed",
        user,
        actor_label=username.strip().lower(),
    )


def record_sign_out(*, user: User) -> None:
    audit.record(user, "logout", user)


def record_session_expired(*, user: User) -> None:
    """Log that a session reached its absolute limit and was ended."""
    audit.record(user, "session.expired", user)


def record_password_confirmed(*, user: User) -> None:
    """Log that a signed-in user typed their password again for a risky step."""
    audit.record(user, "login.confirmed", user)


def record_address_throttled(*, username: str) -> None:
    """Log a sign-in refused because the address failed too often across usernames."""
    audit.record(None, "login.address_throttled", actor_label=username.strip().lower())
