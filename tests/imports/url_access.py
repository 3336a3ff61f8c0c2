"""The imports objects the permission test's URLs point at.

Who may open each imports page is written in tests/permission_table.txt.
"""

from powerbase.core import access
from powerbase.imports import services
from tests.imports.conftest import ROSTER, csv_bytes


def world(*, nutmeg, tenant_union, **_) -> dict:
    """An uploaded tenant-union roster: its lead may see it; nobody outside Nutmeg may."""
    batch = services.upload(
        actor=access.command_line(nutmeg),
        file_name="roster.csv",
        content=csv_bytes(ROSTER),
        affiliate=tenant_union,
    )
    return {"batch_id": batch.pk}
