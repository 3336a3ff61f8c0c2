"""Person searches (pickers, the RSVP and check-in searches) count toward the role's pace, and
past it the picker says why in place of results."""

import pytest
from django.urls import reverse

from powerbase.core import limits
from powerbase.core.models import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


def searches(nutmeg, rally) -> dict[str, str]:
    org = {"org": nutmeg.slug}
    on_rally = {**org, "action_id": rally.pk}
    return {
        "person picker": reverse("people:pick", kwargs=org),
        "leader picker": reverse("actions:leader_pick", kwargs=org),
        "RSVP search": reverse("actions:rsvps", kwargs=on_rally),
        "check-in search": reverse("actions:check_in", kwargs=on_rally),
    }


@pytest.mark.parametrize(
    "search", ["person picker", "leader picker", "RSVP search", "check-in search"]
)
def test_a_search_past_the_pace_shows_why_instead_of_people(
    client, organizer, nutmeg, rally, rosa, monkeypatch, search
):
    monkeypatch.setitem(limits.LIST_PAGES_PER_MINUTE, Role.ORGANIZER, 2)
    client.force_login(organizer)
    url = searches(nutmeg, rally)[search]
    answered = [client.get(url, {"q": "Quintero"}, **HTMX) for _ in range(3)]
    assert [response.status_code for response in answered] == [200, 200, 200]
    assert "times in the last minute" not in answered[1].content.decode()
    refused = answered[2].content.decode()
    assert "searched for people or opened pages of the people list 2 times" in refused
    assert 'role="alert"' in refused and "Rosa" not in refused


def test_searches_and_list_pages_share_one_pace(client, organizer, nutmeg, rally, monkeypatch):
    monkeypatch.setitem(limits.LIST_PAGES_PER_MINUTE, Role.ORGANIZER, 2)
    client.force_login(organizer)
    urls = searches(nutmeg, rally)
    client.get(urls["person picker"], {"q": "Quintero"}, **HTMX)
    client.get(urls["check-in search"], {"q": "Quintero"}, **HTMX)
    people_page = client.get(reverse("people:people", kwargs={"org": nutmeg.slug}))
    assert people_page.status_code == 403


def test_text_too_short_to_search_does_not_count(
    client, organizer, nutmeg, rally, rosa, monkeypatch
):
    monkeypatch.setitem(limits.LIST_PAGES_PER_MINUTE, Role.ORGANIZER, 1)
    client.force_login(organizer)
    url = searches(nutmeg, rally)["person picker"]
    for _ in range(3):
        client.get(url, {"q": "Q"}, **HTMX)
    assert "Quintero" in client.get(url, {"q": "Quintero"}, **HTMX).content.decode()
    assert "times in the last minute" in client.get(url, {"q": "Quin"}, **HTMX).content.decode()
