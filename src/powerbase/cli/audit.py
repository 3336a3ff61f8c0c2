"""`powerbase audit verify`: check that nobody rewrote the audit log."""

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import django_setup, fail

app = typer.Typer(help="Check the audit log.", no_args_is_help=True)
console = make_console()


@app.command("verify")
def verify() -> None:
    """Recompute the audit log's hash chains; name the first entry of each that was tampered with.

    Exits with status 1 when any chain is broken, so it can run from cron or a monitor. Also
    prints each chain's last hash: keep them elsewhere, and a later run whose chains no longer
    pass through them shows that someone rewrote the log wholesale.
    """
    django_setup()
    from powerbase.core import audit_chain
    from powerbase.core.models import Organization

    checked, breaks = audit_chain.verify()
    if breaks:
        for broken in breaks:
            console.print(str(broken), highlight=False)
        fail(f"{len(breaks)} of the audit log's chains are broken ({checked} entries checked).")
    console.print(f"The audit log is intact: {checked} entries checked. Last hash of each chain:")
    slugs: dict[int | None, str] = dict(Organization.objects.values_list("pk", "slug"))
    for organization_id, head in sorted(
        audit_chain.heads().items(), key=lambda item: slugs.get(item[0], "")
    ):
        console.print(
            f"  {slugs.get(organization_id, '(no organization)')}: {head}", highlight=False
        )
