from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "powerbase.imports"
    label = "imports"
    verbose_name = "Imports: lists into the base"
