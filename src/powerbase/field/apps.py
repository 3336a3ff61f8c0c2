from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "powerbase.field"
    label = "field"
    verbose_name = "Field program"
    default_auto_field = "django.db.models.BigAutoField"
