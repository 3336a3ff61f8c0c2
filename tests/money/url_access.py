"""The money objects the permission test's URLs point at.

Who may open each money page is written in tests/permission_table.txt.
"""


def world(*, tenant_union, **_) -> dict:
    """The tenant union's dues page; it needs no schedule to open."""
    return {"affiliate_id": tenant_union.pk}
