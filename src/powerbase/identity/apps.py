from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "powerbase.identity"
    label = "identity"
    verbose_name = "Identity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from powerbase.identity import base

        # A row the base's fingerprint reads, saved inside a page that took it: take it again.
        post_save.connect(base.forget_taken_fingerprint, dispatch_uid="identity.forget_on_save")
        post_delete.connect(base.forget_taken_fingerprint, dispatch_uid="identity.forget_on_del")
