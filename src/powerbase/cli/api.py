"""`powerbase api keys create|list|revoke`: keys for the OSDI API, from the shell."""

from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import django_setup, fail

app = typer.Typer(
    help="The OSDI API: keys for scripts and tools (see docs/api.md).", no_args_is_help=True
)
keys_app = typer.Typer(
    help="API keys: each acts as its user, in one organization.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")
console = make_console()
err_console = make_console(stderr=True)

Org = Annotated[str, typer.Option(help="Slug of the organization.")]


def _actor(user_email: str, org: str):
    from powerbase.core.access import actor_for
    from powerbase.core.exceptions import NotFound
    from powerbase.core.models import User

    user = User.objects.filter(email__iexact=user_email.strip()).first()
    try:
        if user is None:
            raise NotFound("That user")
        return actor_for(user, org)
    except NotFound:
        fail(f"{user_email} holds no role in the organization '{org}' (or it does not exist).")


@keys_app.command("create")
def create(
    user: Annotated[str, typer.Option(help="Email of the user the key acts as.")],
    org: Org,
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'Parsons sync'.")],
) -> None:
    """Make a key for USER in ORG and print it. It is shown this once; only a hash is kept."""
    django_setup()
    from powerbase.api.services import create_key
    from powerbase.core.exceptions import PowerbaseError

    try:
        made = create_key(actor=_actor(user, org), name=name)
    except PowerbaseError as error:
        fail(error.message)
    console.print(made.secret, highlight=False, soft_wrap=True)
    err_console.print(
        f"Key '{made.key.name}' for {user} in {org}. Copy it now: it is not "
        "shown again. Send it in the OSDI-API-Token header."
    )


@keys_app.command("list")
def list_keys(org: Org) -> None:
    """List the organization's keys: whose, what for, when last used, revoked or not."""
    django_setup()
    from powerbase.api.models import ApiKey

    table = Table(title=f"API keys of {org}")
    for column in ("Starts", "Name", "User", "Created", "Last used", "State"):
        table.add_column(column)
    for key in ApiKey.objects.filter(organization__slug=org).select_related("user"):
        table.add_row(
            f"pb_{key.prefix}_…",
            key.name,
            key.user.email,
            f"{key.created_at:%Y-%m-%d}",
            f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never",
            "active" if key.is_active else f"revoked {key.revoked_at:%Y-%m-%d}",
        )
    console.print(table)


@keys_app.command("revoke")
def revoke(
    key: Annotated[
        str, typer.Argument(help="The key, or its start as `list` shows it (pb_<start>_…).")
    ],
    org: Org,
) -> None:
    """Stop a key working, at once. Revoked as its own user, so the audit log names them."""
    django_setup()
    from powerbase.api.models import ApiKey
    from powerbase.api.services import revoke_key

    prefix = key.removeprefix("pb_").split("_")[0].rstrip("…")
    found = (
        ApiKey.objects.filter(organization__slug=org, prefix=prefix).select_related("user").first()
    )
    if found is None:
        fail(
            f"No key of '{org}' starts with pb_{prefix}_. `powerbase api keys list --org "
            f"{org}` shows them."
        )
    revoke_key(actor=_actor(found.user.email, org), key=found)
    console.print(f"Revoked '{found.name}' (pb_{prefix}_…) of {found.user.email}.")
