from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "powerbase.people"
    label = "people"
    verbose_name = "People: the base"
