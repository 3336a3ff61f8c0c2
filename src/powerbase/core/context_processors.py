"""What every page's layout needs: the user's organizations and the navigation."""

from django.urls import reverse

from powerbase.core import access
from powerbase.core.navigation import DOMAINS, SETTINGS_LINKS


def shell(request) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"actor": None}
    nav = []
    for domain in DOMAINS:
        if not actor.can(domain.permission):
            continue
        if domain.url_name:
            url = reverse(domain.url_name, kwargs={"org": actor.organization.slug})
        else:
            url = reverse(
                "core:coming", kwargs={"org": actor.organization.slug, "domain": domain.key}
            )
        nav.append(
            {
                "key": domain.key,
                "label": domain.label,
                "url": url,
                "built": domain.url_name is not None,
            }
        )
    org = {"org": actor.organization.slug}
    return {
        "actor": actor,
        "nav_domains": nav,
        "settings_links": [
            {"label": link.label, "url": reverse(link.url_name, kwargs=org)}
            for link in SETTINGS_LINKS
            if actor.can(link.permission)
        ],
        "actor_permissions": access.ROLE_PERMISSIONS.get(actor.role, frozenset()),
        "switchable_organizations": access.organizations(request.user).exclude(
            pk=actor.organization.pk
        ),
    }
