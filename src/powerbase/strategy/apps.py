from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "powerbase.strategy"
    label = "strategy"
    verbose_name = "The strategy table: governing bodies' decisions, their commitments and tasks"
    default_auto_field = "django.db.models.BigAutoField"
