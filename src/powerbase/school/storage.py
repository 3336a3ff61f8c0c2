"""Where the Democracy School keeps uploaded material files on the server.

DATA_DIR/uploads/school/<org-slug>/<random>.<ext>: inside the data dir, so `powerbase backup`
holds them; outside the media and static roots, so only the school's download view (which
checks who asks) sends them. The upload purge (imports.retention) never touches this folder.
"""

from pathlib import Path

from django.conf import settings

from powerbase.core.models import Organization


def material_folder(organization: Organization) -> Path:
    """Where the organization's uploaded school materials are kept."""
    return Path(settings.DATA_DIR) / "uploads" / "school" / organization.slug
