"""The coalition objects the permission test's URLs point at.

Who may open each coalition page is written in tests/permission_table.txt.
"""


def world(*, tenant_union, **_) -> dict:
    return {"affiliate_id": tenant_union.pk}
