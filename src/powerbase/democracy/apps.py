from django.apps import AppConfig


class DemocracyConfig(AppConfig):
    name = "powerbase.democracy"
    label = "democracy"
    verbose_name = "Democracy"
    default_auto_field = "django.db.models.BigAutoField"
