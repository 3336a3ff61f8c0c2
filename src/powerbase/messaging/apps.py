from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "powerbase.messaging"
    label = "messaging"
    verbose_name = "Messaging: email and text with consent"
