"""Command help that the terminal wraps: docstrings are hard-wrapped at 100 columns for the
source, and Typer's rich help keeps those line breaks, so at 80 columns every long line broke
in two ("... (same" / "email, or same" / "phone and name)"). `reflow` joins each paragraph
into one line before Typer renders it; blank lines still separate paragraphs."""

import inspect
from enum import Enum

import typer


def one_of(choices: type[Enum]) -> str:
    """Return the values of *choices* as a list a sentence can end with: "a, b or c".

    For an option whose choices are too long to show as its metavar at 80 columns (Rich cuts
    them mid-word): give it a short metavar and name the choices in its help."""
    values = [str(choice.value) for choice in choices]
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def reflow_paragraphs(text: str) -> str:
    """Return *text* with the line breaks inside each paragraph replaced by spaces."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def reflow(app: typer.Typer) -> typer.Typer:
    """Reflow the help of every command and group of *app*, its sub-apps' too; return *app*."""
    if isinstance(app.info.help, str):
        app.info.help = reflow_paragraphs(app.info.help)
    for command in app.registered_commands:
        text = command.help if command.help is not None else inspect.getdoc(command.callback)
        if text:
            command.help = reflow_paragraphs(text)
    for group in app.registered_groups:
        if isinstance(group.help, str):
            group.help = reflow_paragraphs(group.help)
        if group.typer_instance is not None:
            reflow(group.typer_instance)
    return app
