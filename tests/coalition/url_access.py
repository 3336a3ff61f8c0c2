from powerbase.core.models import Role
from tests.url_access import ADMINS, Row, roles_with

URL_ACCESS = {
    "coalition:affiliates": Row(roles_with("affiliates.view")),
    "coalition:lead_affiliates": Row(ADMINS),
    "coalition:affiliate": Row(roles_with("affiliates.view")),
    "coalition:affiliate_new": Row(roles_with("affiliates.manage")),
    "coalition:affiliate_edit": Row(roles_with("affiliates.manage")),
    # Owners and admins, and the affiliate's own lead (the world's affiliate is theirs).
    "coalition:sharing_terms": Row(ADMINS | {Role.AFFILIATE_LEAD}),
    # Who looked at the affiliate's members: its own lead, and owners and admins.
    "coalition:member_access": Row(ADMINS | {Role.AFFILIATE_LEAD}),
    "coalition:member_access_csv": Row(ADMINS | {Role.AFFILIATE_LEAD}),
}


def world(*, tenant_union, **_) -> dict:
    return {"affiliate_id": tenant_union.pk}
