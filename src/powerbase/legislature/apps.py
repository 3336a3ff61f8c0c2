from django.apps import AppConfig


class LegislatureConfig(AppConfig):
    name = "powerbase.legislature"
    label = "legislature"
    verbose_name = "Legislature"
    default_auto_field = "django.db.models.BigAutoField"
