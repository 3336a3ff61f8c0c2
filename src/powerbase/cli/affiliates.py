"""`powerbase affiliates list|add`: set up the coalition's affiliates from the shell."""

from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

affiliates_app = typer.Typer(help="The coalition's affiliates.", no_args_is_help=True)
console = make_console()


@affiliates_app.command("list")
def list_affiliates(org: Annotated[str, typer.Option(help="Slug of the organization.")]) -> None:
    """List an organization's affiliates with their short names (for --affiliate)."""
    django_setup()
    from powerbase.coalition import queries

    actor = command_line(org)
    table = Table(title=f"Affiliates of {org}")
    for column in ("Short name", "Name", "Kind", "Shares"):
        table.add_column(column)
    for affiliate in queries.affiliates(actor).order_by("name"):
        shares = (
            ", ".join(
                name
                for name, on in (
                    ("contact", affiliate.share_contact),
                    ("demographics", affiliate.share_demographics),
                )
                if on
            )
            or "names only"
        )
        table.add_row(affiliate.slug, affiliate.name, affiliate.get_kind_display(), shares)
    console.print(table)


@affiliates_app.command("add")
def add_affiliate(
    name: Annotated[str, typer.Argument(help="Full name, e.g. 'Quinnipiac Tenants Union'.")],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    kind: Annotated[
        str,
        typer.Option(
            help="labor_union, tenant_union, faith, community, worker_center, student or other."
        ),
    ] = "other",
    slug: Annotated[str, typer.Option(help="Short name; made from the name if left out.")] = "",
    share_contact: Annotated[
        bool, typer.Option(help="The IPO's staff may see members' contact details.")
    ] = False,
    share_demographics: Annotated[
        bool, typer.Option(help="Staff allowed sensitive fields may see members' demographics.")
    ] = False,
) -> None:
    """Add an affiliate, with the sharing terms it agreed to (both off unless given)."""
    django_setup()
    from powerbase.coalition.services import create_affiliate
    from powerbase.core.exceptions import PowerbaseError

    actor = command_line(org)
    try:
        affiliate = create_affiliate(
            actor=actor,
            name=name,
            kind=kind,
            slug=slug,
            share_contact=share_contact,
            share_demographics=share_demographics,
        )
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"Added {affiliate.name} ({affiliate.slug}). Import its list with: "
        f"powerbase import people FILE --org {org} --affiliate {affiliate.slug}"
    )
