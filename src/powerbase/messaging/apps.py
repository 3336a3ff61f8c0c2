from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "powerbase.messaging"
    label = "messaging"
    verbose_name = "Messaging: email and text with consent"

    def ready(self) -> None:
        # An RSVP from any page, command or API key is confirmed the same way: by hearing the
        # audit entry that records it, as the API's webhooks do.
        from powerbase.core import audit
        from powerbase.messaging import email_hooks, rsvp_mail

        audit.listen(rsvp_mail.on_audit_entry)
        # Email providers' delivery reports arrive as anymail's tracking signal.
        email_hooks.connect()
