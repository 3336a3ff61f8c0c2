"""The public sign-up page's write path: RSVP without an account, safely.

Anyone with the link may RSVP to a public action. The page:
- finds a returning person by email, or by phone and family name, and adds a new one (with a
  `Source` of kind "form") otherwise; a matched person's record is never changed by the form,
  so a stranger cannot attach their phone or name to someone else's record;
- answers the same whether the person was known or new, and never shows who else signed up;
- drops what a bot writes into the hidden honeypot field while answering as if it worked;
- refuses a client (a keyed hash of its address) past `LIMIT` sign-ups in `WINDOW`.

Recruiters share their own link: `recruiter_token` signs "this leader" or "this affiliate" so
sign-ups through it are credited to them, and cannot be forged to credit someone else.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from powerbase.actions import services
from powerbase.actions.models import Action, PublicSubmission, Rsvp
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.exceptions import InvalidInput, PowerbaseError
from powerbase.messaging import services as messaging
from powerbase.people import services as people_services
from powerbase.people.models import EmailAddress, Person, PhoneNumber, Source
from powerbase.people.names import name_key

LIMIT = 5
WINDOW = timedelta(minutes=10)
KEEP_SUBMISSIONS = timedelta(days=1)
_SALT = "powerbase.actions.recruiter"


class TooManySignUps(PowerbaseError):
    """One client sent more sign-ups than a person plausibly would."""

    def __init__(self):
        super().__init__(
            "There have been too many sign-ups from your connection in the last "
            f"{int(WINDOW.total_seconds() // 60)} minutes. Please try again later."
        )


@dataclass(frozen=True)
class SignUp:
    """What someone typed on the public page. *phone* is in E.164 form (the form checks it)."""

    given_name: str
    family_name: str
    email: str = ""
    phone: str = ""
    honeypot: str = ""
    recruiter_token: str = ""
    affiliate_id: int | None = None
    email_consent: bool = False
    text_consent: bool = False


def sign_up(*, action: Action, signup: SignUp, client_address: str | None) -> Rsvp | None:
    """RSVP the person who filled in the form; return None when the honeypot caught a bot.

    Raises TooManySignUps past the rate limit and InvalidInput without a way to reach them.
    """
    if not action.is_public:
        raise InvalidInput("This action does not take sign-ups.")
    if not (signup.email or signup.phone):
        raise InvalidInput(
            "Give an email address or a phone number so we can reach you.", field="email"
        )
    if not (signup.given_name.strip() or signup.family_name.strip()):
        raise InvalidInput("Give your name.", field="given_name")
    client_key = client_key_for(client_address)
    with transaction.atomic():
        _enforce_rate_limit(action, client_key)
        caught = bool(signup.honeypot.strip())
        PublicSubmission.objects.create(
            organization=action.organization,
            action=action,
            client_key=client_key,
            was_refused=caught,
        )
        if caught:
            return None
        person = returning_person(action, signup) or _new_person(action, signup)
        rsvp = services.record_public_rsvp(
            action=action, person=person, credit=recruiter_credit(action, signup)
        )
        _record_consent(action, person, signup)
        return rsvp


def _record_consent(action: Action, person: Person, signup: SignUp) -> None:
    """Record the consent the form's boxes gave, for the address typed only when it is the
    person's own (a returning person's record keeps its own addresses)."""
    system = access.system(action.organization)
    detail = f"Sign-up page: {action.title}"
    email = signup.email.strip().lower()
    if signup.email_consent and email and person.emails.filter(address=email).exists():
        messaging.grant_consent(
            system, person=person, channel="email", source="form", detail=detail
        )
    if signup.text_consent and signup.phone and person.phones.filter(e164=signup.phone).exists():
        messaging.grant_consent(system, person=person, channel="sms", source="form", detail=detail)


def returning_person(action: Action, signup: SignUp) -> Person | None:
    """Find who signed up before: the same email, or the same phone and family name.

    A shared household phone with a different family name is someone else.
    """
    people = Person.objects.filter(organization=action.organization).unmerged()
    if signup.email:
        owner = (
            EmailAddress.objects.filter(
                organization=action.organization,
                address=signup.email.strip().lower(),
                person__in=people,
            )
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .first()
        )
        if owner:
            return people.get(pk=owner)
    if signup.phone:
        owner = (
            PhoneNumber.objects.filter(
                organization=action.organization,
                e164=signup.phone,
                person__in=people,
                person__family_key=name_key(signup.family_name),
            )
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .first()
        )
        if owner:
            return people.get(pk=owner)
    return None


def _new_person(action: Action, signup: SignUp) -> Person:
    source = people_services.create_source(
        organization=action.organization,
        kind=Source.Kind.FORM,
        label=f"Sign-up page: {action.title}",
    )
    details = people_services.PersonDetails(
        given_name=signup.given_name.strip(), family_name=signup.family_name.strip()
    )
    return people_services.register_person(
        organization=action.organization,
        source=source,
        details=details,
        email=signup.email,
        phone=signup.phone,
    )


def _enforce_rate_limit(action: Action, client_key: str) -> None:
    now = timezone.now()
    # Old attempts only matter for the window; clear them as we go so the table stays small.
    PublicSubmission.objects.filter(created_at__lt=now - KEEP_SUBMISSIONS).delete()
    recent = PublicSubmission.objects.filter(
        client_key=client_key, created_at__gte=now - WINDOW
    ).count()
    if recent >= LIMIT:
        raise TooManySignUps()


def client_key_for(address: str | None) -> str:
    """Return a keyed hash of the client's address: enough to count, useless to anyone else."""
    return hmac.new(
        settings.SECRET_KEY.encode(), (address or "unknown").encode(), hashlib.sha256
    ).hexdigest()


# Recruiter links -------------------------------------------------------------------------


def recruiter_token(
    action: Action, *, leader: Person | None = None, affiliate: Affiliate | None = None
) -> str:
    """Return the signed `by` parameter of a leader's or an affiliate's own sign-up link."""
    if leader is not None:
        who = {"p": leader.pk}
    elif affiliate is not None:
        who = {"f": affiliate.pk}
    else:
        raise ValueError("A recruiter link names a leader or an affiliate.")
    return signing.dumps({"a": action.pk, **who}, salt=_SALT, compress=True)


def recruiter_credit(action: Action, signup: SignUp) -> services.Credit:
    """Return who gets credit for this sign-up: the link's recruiter, or the affiliate chosen."""
    if signup.recruiter_token:
        try:
            claim = signing.loads(signup.recruiter_token, salt=_SALT)
        except signing.BadSignature:
            claim = {}
        if claim.get("a") == action.pk:
            leader = Person.objects.filter(
                organization=action.organization, pk=claim.get("p")
            ).first()
            affiliate = Affiliate.objects.filter(
                organization=action.organization, pk=claim.get("f")
            ).first()
            if leader or affiliate:
                return services.Credit(recruited_by=leader, affiliate=affiliate)
    if signup.affiliate_id:
        affiliate = public_affiliates(action).filter(pk=signup.affiliate_id).first()
        return services.Credit(affiliate=affiliate)
    return services.Credit()


def public_affiliates(action: Action):
    """Return the affiliates a person may say they came with: those committed to the action."""
    return Affiliate.objects.filter(
        organization=action.organization,
        pk__in=action.commitments.filter(leader__isnull=True).values("affiliate_id"),
    )
