from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "powerbase.core"
    label = "core"
    verbose_name = "Core: organizations, users, roles, audit log, jobs"

    def ready(self) -> None:
        # Registers the `__among` lookup on every field (see core.bulk.Among).
        from powerbase.core import bulk  # noqa: F401
