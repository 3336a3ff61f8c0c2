from django.apps import AppConfig


class PowerConfig(AppConfig):
    name = "powerbase.power"
    label = "power"
    verbose_name = "Power: dashboards and the power map"
