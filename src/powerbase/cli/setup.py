"""What every CLI command stands on: Django started with the web server's settings, errors
printed one way, and organizations looked up by their short name."""

import os

import django
import typer
from rich.console import Console

err_console = Console(stderr=True)


def django_setup():
    """Configure Django once and return its settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        django.setup()
    return settings


def fail(message: str) -> None:
    """Print *message* as an error and end the command with exit status 1."""
    err_console.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(1)


def find_organization(slug: str):
    """Return the organization with short name *slug*, or fail saying there is none."""
    django_setup()
    from powerbase.core.models import Organization

    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        fail(f"There is no organization with the short name '{slug}'.")
    return organization
