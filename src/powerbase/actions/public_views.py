"""Pages anyone may open without signing in: an action's sign-up page and the calendar feed.

They never show who else signed up. The organization is named by `org_slug` (not `org`), as
these are not pages of a signed-in member of the organization.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from powerbase.actions import calendar, signup
from powerbase.actions.forms import SignUpForm
from powerbase.actions.models import Action
from powerbase.core.audit import client_address
from powerbase.core.decorators import public_view
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Organization


@public_view
def sign_up(request, org_slug: str, action_id: int):
    """RSVP to a public action: a short form that works on any phone."""
    action = _public_action(org_slug, action_id)
    if action.has_started:
        return render(request, "actions/public/closed.html", {"action": action})
    form = SignUpForm(
        request.POST or None,
        affiliates=list(signup.public_affiliates(action)),
        initial={"by": request.GET.get("by", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signup.sign_up(
                action=action,
                client_address=client_address.get(),
                signup=signup.SignUp(
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    email=data["email"],
                    phone=data["phone"],
                    honeypot=data["website"],
                    recruiter_token=data["by"],
                    affiliate_id=data.get("affiliate"),
                    email_consent=data["email_ok"],
                    text_consent=data["texts_ok"],
                ),
            )
        except signup.TooManySignUps as error:
            return render(
                request,
                "actions/public/sign_up.html",
                {"action": action, "form": form, "refusal": error.message},
                status=429,
            )
        except InvalidInput as error:
            form.add_error(None, error.message)
        else:
            return redirect("actions:signed_up", org_slug=org_slug, action_id=action.pk)
    return render(request, "actions/public/sign_up.html", {"action": action, "form": form})


@public_view
def signed_up(request, org_slug: str, action_id: int):
    """Say thank you, the same words whether they were new, returning or a bot."""
    return render(
        request, "actions/public/signed_up.html", {"action": _public_action(org_slug, action_id)}
    )


@public_view
def calendar_feed(request, org_slug: str):
    organization = get_object_or_404(Organization, slug=org_slug)

    def sign_up_url(action: Action) -> str:
        return request.build_absolute_uri(
            reverse("actions:sign_up", kwargs={"org_slug": org_slug, "action_id": action.pk})
        )

    response = HttpResponse(
        calendar.feed(organization, sign_up_url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{org_slug}-actions.ics"'
    return response


def _public_action(org_slug: str, action_id: int) -> Action:
    action = (
        Action.objects.select_related("organization")
        .filter(organization__slug=org_slug, pk=action_id, is_public=True)
        .first()
    )
    if action is None:
        raise Http404("No such public action.")
    return action
