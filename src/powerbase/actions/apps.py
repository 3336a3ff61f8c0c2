from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "powerbase.actions"
    label = "actions"
    verbose_name = "Actions: campaigns, structure tests and the leadership ladder"
