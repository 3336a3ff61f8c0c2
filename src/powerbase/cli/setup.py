"""Start Django for a CLI command, with the same settings module as the web server."""

import os

import django


def django_setup():
    """Configure Django once and return its settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        django.setup()
    return settings
