"""The campaign trend chart: altair builds a Vega-Lite spec; vl-convert renders it to SVG here.

The Content-Security-Policy forbids inline scripts and eval, so the chart is drawn on the
server and sent as plain SVG (docs/adr/0003-charts-as-server-rendered-svg.md): no JavaScript
in the page, nothing for the CSP to block, and it prints and reads the same everywhere. The
table under the chart carries the same figures for screen readers and for copying.
"""

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.cache import cache

from powerbase.actions.report import NO_AFFILIATE, Trend

if TYPE_CHECKING:
    import altair as alt

# More lines than this turn into spaghetti: the rest are in the table.
MAX_SERIES = 8
EVERYONE = "Everyone"
# Rendering takes vl-convert 0.3-0.5 s a chart, and its first call in a process starts a
# JavaScript engine (seconds on a busy machine). The SVG depends on nothing but the figures
# drawn, so it is kept under a hash of them: new figures make a new key, never a stale chart.
SVG_CACHE_SECONDS = 7 * 24 * 3600


def trend_svg(trend: Trend) -> str:
    """Return the SVG of turnout and delivery ratio per action, or "" when nothing was held."""
    held = trend.held
    if not held:
        return ""
    labels = [_axis_label(number, point.action.title) for number, point in enumerate(held, start=1)]
    shown = _largest_affiliates(trend)
    rows = []
    for label, point in zip(labels, held, strict=True):
        rows.append(
            {
                "action": label,
                "series": EVERYONE,
                "attended": point.total.attended,
                "ratio": point.total.ratio,
            }
        )
        for name in shown:
            tally = point.by_affiliate.get(name)
            if tally is not None:
                rows.append(
                    {
                        "action": label,
                        "series": name,
                        "attended": tally.attended,
                        "ratio": tally.ratio,
                    }
                )
    series = [EVERYONE, *shown]
    return cached_svg("actions:trend", [rows, labels, series], lambda: _chart(rows, labels, series))


def cached_svg(kind: str, figures: object, build: "Callable[[], alt.TopLevelMixin]") -> str:
    """Return the SVG of the chart `build()` makes of *figures*, drawn once for the same figures.

    *figures* must hold everything the chart shows (JSON-able): the key is their hash, so new
    figures make a new key and a chart is never stale. `build` runs (and altair is imported)
    only when the chart is not kept yet.
    """
    drawn = json.dumps([kind, figures], sort_keys=True, default=str)
    key = f"charts:svg:{hashlib.sha256(drawn.encode()).hexdigest()}"
    svg = cache.get(key)
    if svg is None:
        svg = render(build())
        cache.set(key, svg, timeout=SVG_CACHE_SECONDS)
    return svg


def render(chart: "alt.TopLevelMixin") -> str:
    import vl_convert  # loaded only when a chart is drawn, not by every process serving pages

    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    # Vega escapes the text it draws; refuse anything active all the same.
    if "<script" in svg.lower() or "javascript:" in svg.lower():
        raise ValueError("The chart's SVG contains script; it was not rendered.")
    return svg


def _chart(rows: list[dict], labels: list[str], series: list[str]) -> "alt.VConcatChart":
    import altair as alt  # 0.5-2.5 s to import: only when a chart is drawn

    data = alt.Data(values=rows)
    x = alt.X("action:N", sort=labels, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160))
    color = alt.Color(
        "series:N",
        sort=series,
        title=None,
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260),
    )
    turnout = (
        alt.Chart(data, title="People who came")
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("attended:Q", title="Attended"),
            color=color,
            strokeWidth=alt.condition(f"datum.series == '{EVERYONE}'", alt.value(4), alt.value(2)),
        )
    )
    ratio = (
        alt.Chart(data, title="Delivery ratio (came ÷ committed)")
        .mark_line(point=True)
        .encode(x=x, y=alt.Y("ratio:Q", title="Ratio", axis=alt.Axis(format=".1f")), color=color)
    )
    promise = alt.Chart(alt.Data(values=[{"y": 1}])).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    return (
        alt.vconcat(
            turnout.properties(width=520, height=220),
            (ratio + promise).properties(width=520, height=160),
        )
        .configure_view(stroke=None)
        .configure(font="system-ui, sans-serif")
    )


def _largest_affiliates(trend: Trend) -> list[str]:
    """Pick the affiliates with the most people committed across the campaign."""
    weight: dict[str, int] = {}
    for point in trend.points:
        for name, tally in point.by_affiliate.items():
            if name != NO_AFFILIATE:
                weight[name] = weight.get(name, 0) + (tally.committed or 0) + tally.attended
    return sorted(weight, key=lambda name: (-weight[name], name))[:MAX_SERIES]


def _axis_label(number: int, title: str) -> str:
    short = title if len(title) <= 28 else f"{title[:27]}…"
    return f"{number}. {short}"
