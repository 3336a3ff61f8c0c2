from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "powerbase.api"
    label = "api"
    verbose_name = "API: OSDI resources, keys and webhooks"

    def ready(self) -> None:
        # Webhooks hear every audited write, whichever page, command or key made it.
        from powerbase.api import webhooks
        from powerbase.core import audit

        audit.listen(webhooks.on_audit_entry)
