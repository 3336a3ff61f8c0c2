from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "powerbase.core"
    label = "core"
    verbose_name = "Core: organizations, users, roles, audit log, jobs"
