from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "powerbase.core"
    label = "core"
    verbose_name = "Core: organizations, users, roles, audit log, jobs"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Importing bulk registers the `__among` lookup on every field (see core.bulk.Among).
        from powerbase.core import bulk, sessions  # noqa: F401

        # Every sign-in (password form, reset link, test client) stamps the session's start
        # for the 12-hour cap and the 5-minute step-up check.
        user_logged_in.connect(sessions.start, dispatch_uid="powerbase.sessions.start")
