"""`powerbase affiliates list|add`: set up the coalition's affiliates from the shell."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from powerbase.cli.setup import django_setup

affiliates_app = typer.Typer(help="The coalition's affiliates.", no_args_is_help=True)
console = Console()


@affiliates_app.command("list")
def list_affiliates(org: Annotated[str, typer.Option(help="Slug of the organization.")]) -> None:
    """List an organization's affiliates with their short names (for --affiliate)."""
    django_setup()
    from powerbase.coalition.models import Affiliate

    table = Table(title=f"Affiliates of {org}")
    for column in ("Short name", "Name", "Kind", "Shares"):
        table.add_column(column)
    for affiliate in Affiliate.objects.filter(organization__slug=org).order_by("name"):
        shares = ", ".join(name for name, on in (("contact", affiliate.share_contact),
                                                 ("demographics", affiliate.share_demographics))
                           if on) or "names only"
        table.add_row(affiliate.slug, affiliate.name, affiliate.get_kind_display(), shares)
    console.print(table)


@affiliates_app.command("add")
def add_affiliate(
    name: Annotated[str, typer.Argument(help="Full name, e.g. 'Quinnipiac Tenants Union'.")],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    kind: Annotated[str, typer.Option(help="labor_union, tenant_union, faith, community, "
                                           "worker_center, student or other.")] = "other",
    slug: Annotated[str, typer.Option(help="Short name; made from the name if left out.")] = "",
    share_contact: Annotated[bool, typer.Option(
        help="The IPO's staff may see members' contact details.")] = False,
    share_demographics: Annotated[bool, typer.Option(
        help="Staff allowed sensitive fields may see members' demographics.")] = False,
) -> None:
    """Add an affiliate, with the sharing terms it agreed to (both off unless given)."""
    django_setup()
    from powerbase.coalition.services import create_affiliate
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.core.models import Organization

    organization = Organization.objects.filter(slug=org).first()
    if organization is None:
        Console(stderr=True).print(f"[bold red]Error:[/] There is no organization '{org}'.")
        raise typer.Exit(1)
    try:
        affiliate = create_affiliate(actor=None, organization=organization, name=name,
                                     kind=kind, slug=slug, share_contact=share_contact,
                                     share_demographics=share_demographics)
    except PowerbaseError as error:
        Console(stderr=True).print(f"[bold red]Error:[/] {error.message}")
        raise typer.Exit(1) from None
    console.print(f"Added {affiliate.name} ({affiliate.slug}). Import its list with: "
                  f"powerbase import people FILE --org {org} --affiliate {affiliate.slug}")
