from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "powerbase.coalition"
    label = "coalition"
    verbose_name = "Coalition: affiliates and their leads"

    def ready(self) -> None:
        # What a person's record shows reads the coalition's terms; core asks through these.
        from powerbase.coalition import visibility
        from powerbase.core import access

        access.register_person_rules(
            of_person=visibility.of_person, contact_visible_filter=visibility.contact_visible_filter
        )
