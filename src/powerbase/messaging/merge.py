"""Merge fields: a message written once, filled in for each person.

    Hi {{first_name}}, see you at {{action}} on {{time}} at {{place}}: {{link}}

Only the fields in FIELDS exist; a message naming any other is refused when it is saved, so a
typo never reaches thousands of inboxes as "{{frist_name}}".
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from powerbase.core.exceptions import InvalidInput

FIELDS = {
    "first_name": "The person's first (or preferred) name",
    "action": "The action's title",
    "time": "When the action starts",
    "place": "Where it is (or its online link)",
    "link": "The action's public sign-up page",
}
_FIELD = re.compile(r"{{\s*([a-zA-Z_]+)\s*}}")


def check(text: str, *, field: str = "body", has_action: bool = False) -> None:
    """Refuse *text* naming a merge field that does not exist, or an action's field without
    an action to fill it."""
    for name in _FIELD.findall(text):
        if name not in FIELDS:
            raise InvalidInput(
                f"{{{{{name}}}}} is not a merge field (use one of "
                f"{', '.join('{{' + known + '}}' for known in FIELDS)}).",
                field=field,
            )
        if name != "first_name" and not has_action:
            raise InvalidInput(
                f"{{{{{name}}}}} needs an action: choose the action the message is about.",
                field=field,
            )


def action_values(action) -> dict[str, str]:
    """Return the action's merge values, the same for every recipient."""
    if action is None:
        return {}
    starts = timezone.localtime(action.starts_at)
    link = settings.SITE_URL + reverse(
        "actions:sign_up", kwargs={"org_slug": action.organization.slug, "action_id": action.pk}
    )
    return {
        "action": action.title,
        "time": formats.date_format(starts, "l, F j, g:i A"),
        "place": action.place or action.online_link or "",
        "link": link,
    }


@dataclass(frozen=True)
class Merge:
    """Fill one message's fields for one person at a time."""

    shared: dict[str, str]

    def fill(self, text: str, person) -> str:
        values = {**self.shared, "first_name": first_name(person)}
        return _FIELD.sub(lambda found: values.get(found.group(1), ""), text)


def first_name(person) -> str:
    return (person.preferred_name or person.given_name or "friend").strip()
