from django.apps import AppConfig


class BargainingConfig(AppConfig):
    name = "powerbase.bargaining"
    label = "bargaining"
    verbose_name = "Bargaining for the Common Good: units, contract campaigns and their demands"
    default_auto_field = "django.db.models.BigAutoField"
