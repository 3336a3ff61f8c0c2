from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "powerbase.coalition"
    label = "coalition"
    verbose_name = "Coalition: affiliates and their leads"
