"""`{% load ladder %}{% funnel_rows rows who %}`: the body rows of a ladder funnel's table.

Built in Python rather than by a template loop: the funnel by district is about 150 rows of
six cells, and the template engine took 50 ms for them on every view of the ladder page (as
`format_html` per cell, 20 ms). Text is escaped; counts are integers, shown as `{{ count }}`
shows them (no thousands separator is set).
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def funnel_rows(rows, who: str) -> SafeString:
    """Return a `<tr>` per `ladder.FunnelRow` in *rows*: *who* (its label), each rung's count,
    and the total."""
    who = escape(who)
    lines = []
    for row in rows:
        cells = "".join(f'<td data-label="{escape(name)}">{int(n)}</td>' for name, n in row.cells)
        lines.append(
            f'    <tr><td data-label="{who}">{escape(row.label)}</td>{cells}'
            f'<td data-label="Total">{int(row.total)}</td></tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped or an int
