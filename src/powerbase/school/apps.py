from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "powerbase.school"
    label = "school"
    verbose_name = "Democracy School: programs, curricula, cohorts, sessions and graduates"
    default_auto_field = "django.db.models.BigAutoField"
