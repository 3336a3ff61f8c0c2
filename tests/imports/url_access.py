from powerbase.imports import services
from tests.imports.conftest import ROSTER, csv_bytes
from tests.url_access import Row, roles_with

URL_ACCESS = {
    "imports:imports": Row(roles_with("imports.view")),
    "imports:batch": Row(roles_with("imports.view")),
    "imports:status": Row(roles_with("imports.view")),
    "imports:commit": Row(roles_with("imports.run"), method="post"),
    "imports:undo": Row(roles_with("imports.run")),
    "imports:fix": Row(roles_with("imports.run"), method="post"),
    "imports:preview": Row(roles_with("imports.run")),
    "imports:problems_csv": Row(roles_with("imports.view")),
}


def world(*, nutmeg, tenant_union, **_) -> dict:
    """An uploaded tenant-union roster: its lead may see it; nobody outside Nutmeg may."""
    batch = services.upload(actor=None, organization=nutmeg, file_name="roster.csv",
                            content=csv_bytes(ROSTER), affiliate=tenant_union)
    return {"batch_id": batch.pk}
