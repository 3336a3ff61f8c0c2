"""The API settings page (keys, webhooks) is reached from the menu, like the other settings."""

import re

import pytest
from django.urls import reverse

from powerbase.core.models import Role


def settings_links(client, user) -> dict[str, str]:
    client.force_login(user)
    page = client.get(reverse("power:dashboard", kwargs={"org": "nutmeg"})).content.decode()
    menu = page.split('class="admin-links"', 1)[1].split("</ul>", 1)[0]
    return {label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)}


@pytest.mark.parametrize("role", [Role.OWNER, Role.ORGANIZER, Role.VIEWER])
def test_every_role_finds_its_api_keys_in_the_settings_menu(client, users_by_role, role):
    links = settings_links(client, users_by_role[role])

    assert links["API keys &amp; webhooks"] == reverse("api:settings", kwargs={"org": "nutmeg"})


def test_the_other_settings_links_still_follow_the_role(client, owner, viewer):
    assert {"Jobs", "Users &amp; roles", "Audit log", "Settings"} <= set(
        settings_links(client, owner)
    )
    assert "Audit log" not in settings_links(client, viewer)
    assert "Settings" not in settings_links(client, viewer)


def test_the_menu_marks_the_api_settings_page_as_the_current_one(client, owner):
    client.force_login(owner)
    url = reverse("api:settings", kwargs={"org": "nutmeg"})

    page = client.get(url).content.decode()

    assert f'<a href="{url}" aria-current="page">API keys &amp; webhooks</a>' in page
