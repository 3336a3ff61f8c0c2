"""Twilio's webhooks: delivery reports (status callback) and texts people send (inbound).

Each request must carry a valid `X-Twilio-Signature` for the URL Twilio called, keyed by
TWILIO_AUTH_TOKEN; anything else is refused with 403 before a single field is read. The URL
is taken as Django sees it and, when SITE_URL is set, as the public address behind a proxy.
Twilio retries a callback that fails, so both are safe to receive twice.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from powerbase.core.decorators import public_view
from powerbase.core.models import Organization
from powerbase.messaging import services as messaging
from powerbase.messaging.sms import services
from powerbase.messaging.sms.signatures import is_valid

# An empty TwiML answer: Twilio sends nothing back (its own opt-out replies still go).
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signed_by_twilio(request: HttpRequest) -> bool:
    """Return whether the request carries Twilio's signature for its URL and form."""
    signature = request.headers.get("X-Twilio-Signature", "")
    params = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    urls = [request.build_absolute_uri()]
    if site := getattr(settings, "SITE_URL", ""):
        urls.append(site.rstrip("/") + request.get_full_path())
    token = settings.TWILIO_AUTH_TOKEN
    return any(is_valid(url, params, signature, token) for url in urls)


@public_view
@csrf_exempt
@require_POST
def status(request: HttpRequest) -> HttpResponse:
    """Record what became of a text we sent (queued, sent, delivered, undelivered, failed)."""
    if not signed_by_twilio(request):
        return HttpResponseForbidden("The X-Twilio-Signature is missing or wrong.")
    error = request.POST.get("ErrorCode", "")
    messaging.record_delivery_status(
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error=f"Twilio error {error}" if error else "",
    )
    return HttpResponse(status=204)


@public_view
@csrf_exempt
@require_POST
def inbound(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Keep a text someone sent to the organization's number and act on it (STOP, yes, no)."""
    if not signed_by_twilio(request):
        return HttpResponseForbidden("The X-Twilio-Signature is missing or wrong.")
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is None:
        raise Http404("No such organization.")
    services.receive(
        organization,
        from_number=request.POST.get("From", ""),
        text=request.POST.get("Body", ""),
        provider_id=request.POST.get("MessageSid", ""),
    )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
