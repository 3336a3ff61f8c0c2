from django.apps import AppConfig


class ElectoralConfig(AppConfig):
    name = "powerbase.electoral"
    label = "electoral"
    verbose_name = "Elections: races, results, the candidate pipeline and endorsements"
    default_auto_field = "django.db.models.BigAutoField"
