"""`{% load ladder %}{% funnel_rows rows who %}`: the body rows of a ladder funnel's table.

Built in Python rather than by a template loop: the funnel by district is about 150 rows of
six cells, and the template engine took 50 ms for them on every view of the ladder page, a
quarter of it. Each value is escaped and localized as `{{ value }}` would be.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def funnel_rows(rows, who: str) -> SafeString:
    """Return a `<tr>` per `ladder.FunnelRow` in *rows*: *who* (its label), each rung's count,
    and the total."""
    return format_html_join(
        "\n",
        '    <tr><td data-label="{}">{}</td>{}<td data-label="Total">{}</td></tr>',
        (
            (
                who,
                row.label,
                format_html_join(
                    "",
                    '<td data-label="{}">{}</td>',
                    ((name, localize(n)) for name, n in row.cells),
                ),
                localize(row.total),
            )
            for row in rows
        ),
    )
