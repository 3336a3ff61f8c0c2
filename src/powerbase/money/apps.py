from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "powerbase.money"
    label = "money"
    verbose_name = "Money: affiliate dues, good standing, donations and grants"
    default_auto_field = "django.db.models.BigAutoField"
