"""What every CLI command stands on: Django started with the web server's settings, errors
printed one way, and organizations looked up by their short name, acted in as the command
line (`access.command_line`, audited as "command line")."""

import os
from typing import NoReturn

import django
import typer
from rich.markup import escape

from powerbase.cli.consoles import make_console

err_console = make_console(stderr=True)


def django_setup():
    """Configure Django once and return its settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        django.setup()
    return settings


def fail(message: str, code: int = 1) -> NoReturn:
    """Print *message* as an error and end the command with exit status *code*."""
    # Escaped: a message is plain text, and "powerbase[spark]" is not markup.
    err_console.print(f"[bold red]Error:[/] {escape(message)}")
    raise typer.Exit(code)


def find_organization(slug: str, hint: str = ""):
    """Return the organization with short name *slug*, or fail saying there is none."""
    django_setup()
    from powerbase.core.models import Organization

    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        fail(f"There is no organization with the short name '{slug}'.{hint}")
    return organization


def command_line(slug: str):
    """Return the command line acting in the organization *slug*, or fail if there is none."""
    organization = find_organization(slug)  # sets Django up: import access only after it
    from powerbase.core import access

    return access.command_line(organization)
