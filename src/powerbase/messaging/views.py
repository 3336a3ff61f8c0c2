"""The messages pages: write, preview, test, send or schedule, follow; and unsubscribe."""

from django.conf import settings
from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from powerbase.actions.models import Action
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.decorators import org_view, public_view
from powerbase.core.forms import flash_errors, save_or_add_errors
from powerbase.messaging import queries, rsvp_mail, services
from powerbase.messaging.forms import (
    ActionMailForm,
    MessageForm,
    ScheduleForm,
    SettingsForm,
    TermsForm,
    TestSendForm,
)

SEND = "messages.send"


def _to_message(actor, message_id: int):
    return redirect("messaging:message", org=actor.organization.slug, message_id=message_id)


def _email_backend() -> str:
    """Name where email goes, for the page: the demo must say it sends nothing for real."""
    backend = settings.MAILERS["default"]["BACKEND"].rsplit(".", 2)[-2]
    return {
        "console": "the console (printed, not sent)",
        "filebased": "files (not sent)",
        "locmem": "memory (tests)",
        "smtp": "SMTP",
    }.get(backend, backend)


@org_view(queries.VIEW)
def messages_page(request, actor):
    limit, sent = queries.limits(actor)
    return render(
        request,
        "messaging/messages.html",
        {
            "messages_sent": queries.messages(actor)[:100],
            "limit": limit,
            "sent_today": sent,
            "email_backend": _email_backend(),
            "can_send": actor.can(SEND),
            "can_set_terms": actor.can("affiliates.manage"),
            "can_configure": actor.can("messages.configure"),
        },
    )


@org_view(SEND, methods=("GET", "POST"))
def message_new(request, actor):
    form = MessageForm(actor, request.POST or None)
    if request.method == "POST":
        message = save_or_add_errors(
            form,
            lambda: services.create_message(
                actor,
                channel=form.cleaned_data["channel"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                audience=form.cleaned_data["audience"][0],
                audience_id=form.cleaned_data["audience"][1],
                action=form.cleaned_data["action"],
            ),
        )
        if message is not None:
            return _to_message(actor, message.pk)
    return render(
        request,
        "messaging/form_page.html",
        {"form": form, "title": "Write a message", "button": "Save and preview"},
    )


@org_view(queries.VIEW)
def show_message(request, actor, message_id: int):
    message = queries.message(actor, message_id)
    audience_size, reachable = queries.reach(actor, message)
    return render(
        request,
        "messaging/message.html",
        {
            "message": message,
            "counts": queries.counts(message),
            "previews": queries.preview(actor, message),
            "recipients": queries.recipients(actor, message),
            "audience_size": audience_size,
            "reachable": reachable,
            "job": message.job,
            "can_send": actor.can(SEND) and message.status in ("draft", "scheduled"),
            "test_form": TestSendForm(),
            "schedule_form": ScheduleForm(),
        },
    )


@org_view(SEND, methods=("POST",))
def message_test(request, actor, message_id: int):
    message = queries.message(actor, message_id)
    form = TestSendForm(request.POST)
    sent = save_or_add_errors(
        form, lambda: services.send_test(actor, message=message, to=form.cleaned_data["to"])
    )
    if not flash_errors(request, form) and sent is not None:
        flash.success(request, f"A test was sent to {sent.to}.")
    return _to_message(actor, message.pk)


@org_view(SEND, methods=("POST",))
def message_send(request, actor, message_id: int):
    message = queries.message(actor, message_id)
    form = TestSendForm(request.POST)  # no fields to fill: the errors land on the form
    job = save_or_add_errors(form, lambda: services.send_message(actor, message=message))
    if not flash_errors(request, form) and job is not None:
        flash.success(request, "Sending: the worker is on it.")
    return _to_message(actor, message.pk)


@org_view(SEND, methods=("POST",))
def message_schedule(request, actor, message_id: int):
    message = queries.message(actor, message_id)
    form = ScheduleForm(request.POST)
    scheduled = save_or_add_errors(
        form,
        lambda: services.schedule_message(
            actor, message=message, send_at=form.cleaned_data["send_at"]
        ),
    )
    if not flash_errors(request, form) and scheduled is not None:
        flash.success(request, f"Scheduled for {scheduled.send_at:%b %-d, %-I:%M %p}.")
    return _to_message(actor, message.pk)


@org_view("actions.manage", methods=("GET", "POST"))
def action_mail(request, actor, action_id: int):
    """An action's confirmation and reminders."""
    action = access.get(actor, Action, pk=action_id)
    confirm, minutes = rsvp_mail.reminders_of(action)
    initial = {
        "confirm_rsvps": confirm,
        "channels": rsvp_mail.channel_setting(action),
        "reminder_hours": ", ".join(f"{m / 60:g}" for m in minutes),
    }
    form = ActionMailForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = save_or_add_errors(
            form,
            lambda: services.set_reminders(
                actor,
                action=action,
                confirm_rsvps=form.cleaned_data["confirm_rsvps"],
                reminder_minutes=form.cleaned_data["reminder_hours"],
                channels=form.cleaned_data["channels"],
            ),
        )
        if saved is not None:
            flash.success(request, "Saved: confirmations and reminders follow these settings.")
            return redirect("actions:action", org=actor.organization.slug, action_id=action.pk)
    return render(
        request,
        "messaging/form_page.html",
        {
            "form": form,
            "title": f"Confirmation and reminders: {action.title}",
            "intro": "By email, text or both, to those who RSVP'd and agreed to that channel. "
            "Texts wait for the end of the person's quiet hours.",
            "button": "Save",
        },
    )


@org_view("messages.configure", methods=("GET", "POST"))
def messaging_settings(request, actor):
    """The organization's daily sending limit and quiet hours for texts."""
    current = queries.own_settings(actor)
    form = SettingsForm(request.POST or None, initial=current)
    if request.method == "POST":
        saved = save_or_add_errors(
            form, lambda: services.set_messaging_settings(actor, **form.cleaned_data)
        )
        if saved is not None:
            flash.success(request, "Saved the messaging settings.")
            return redirect("messaging:messages", org=actor.organization.slug)
    return render(
        request,
        "messaging/form_page.html",
        {
            "form": form,
            "title": "Messaging settings",
            "intro": (
                f"Leave a field empty to use this install's: {settings.MESSAGES_PER_DAY} "
                f"messages a day, no texts {settings.SMS_QUIET_HOURS}."
            ),
            "button": "Save",
        },
    )


@org_view("affiliates.manage")
def affiliate_terms(request, actor):
    """Whether the IPO may email or text each affiliate's members."""
    return render(
        request,
        "messaging/terms.html",
        {"affiliates": queries.affiliate_terms(actor)},
    )


@org_view("affiliates.manage", methods=("POST",))
def affiliate_terms_save(request, actor, affiliate_id: int):
    affiliate = access.get(actor, Affiliate, pk=affiliate_id)
    form = TermsForm(request.POST)
    saved = save_or_add_errors(
        form,
        lambda: services.set_affiliate_terms(
            actor,
            affiliate=affiliate,
            may_email=form.cleaned_data["may_email"],
            may_text=form.cleaned_data["may_text"],
        ),
    )
    if not flash_errors(request, form) and saved is not None:
        flash.success(request, f"Saved the messaging terms of {affiliate.name}.")
    return redirect("messaging:terms", org=actor.organization.slug)


@public_view
@csrf_exempt  # RFC 8058: mail clients POST the one-click unsubscribe without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Withdraw consent at once, on opening the link (one step, as the law and Gmail ask)."""
    recipient = services.unsubscribe(token)
    status = 200 if recipient is not None else 404
    return render(
        request,
        "messaging/unsubscribed.html",
        {"recipient": recipient, "organization": recipient.organization if recipient else None},
        status=status,
    )
