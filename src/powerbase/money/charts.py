"""The self-funding dashboard's charts, drawn on the server as SVG like the campaign trend
(actions/charts.py, docs/adr/0003-charts-as-server-rendered-svg.md); each page shows the
same figures in a table beside the chart.

Each chart is kept under a hash of the figures it draws (`cached_svg`): drawing the three
took 145 ms a view, and altair (seconds to import) is loaded only when figures change.
"""

from typing import TYPE_CHECKING

from powerbase.actions.charts import cached_svg
from powerbase.money.capacity import CampaignHours, InKind, MonthOfIncome

if TYPE_CHECKING:
    import altair as alt

BASE, OUTSIDE, OTHER = (
    "The base (dues, small donors)",
    "Foundations and large donors",
    "Other (union funds, earned)",
)


def self_funding_svg(months: list[MonthOfIncome]) -> str:
    """Return a stacked bar per month of income by where it came from, or "" with none."""
    rows = []
    for m in months:
        for label, cents in (
            (BASE, m.base_cents),
            (OUTSIDE, m.outside_cents),
            (OTHER, m.other_cents),
        ):
            rows.append({"month": f"{m.month:%b}", "source": label, "dollars": cents / 100})
    if not any(row["dollars"] for row in rows):
        return ""
    order = [f"{m.month:%b}" for m in months]
    return cached_svg("money:self-funding", [rows, order], lambda: _funding_chart(rows, order))


def _funding_chart(rows: list[dict], order: list[str]) -> "alt.Chart":
    import altair as alt  # seconds to import: only when a chart is drawn

    return (
        alt.Chart(alt.Data(values=rows), title="Income by month: the base against the rest")
        .mark_bar()
        .encode(
            x=alt.X("month:N", sort=order, title=None),
            y=alt.Y("dollars:Q", title="Dollars", stack="zero"),
            color=alt.Color(
                "source:N", sort=[BASE, OUTSIDE, OTHER], title=None,
                legend=alt.Legend(orient="bottom", columns=1),
            ),
        )
        .properties(width=420, height=240)
    )  # fmt: skip


def hours_svg(rows: list[CampaignHours]) -> str:
    """Return a stacked bar per campaign of staff, in-kind and volunteer hours."""
    values = [
        {"campaign": r.campaign, "kind": kind, "hours": float(hours)}
        for r in rows
        for kind, hours in (
            ("Own staff", r.staff),
            ("In kind", r.in_kind),
            ("Volunteers", r.volunteer),
        )
    ]
    if not any(v["hours"] for v in values):
        return ""
    order = [r.campaign for r in rows]
    return cached_svg("money:hours", [values, order], lambda: _hours_chart(values, order))


def _hours_chart(values: list[dict], order: list[str]) -> "alt.Chart":
    import altair as alt

    return (
        alt.Chart(alt.Data(values=values), title="Hours of work per campaign")
        .mark_bar()
        .encode(
            y=alt.Y("campaign:N", title=None, sort=order),
            x=alt.X("hours:Q", title="Hours", stack="zero"),
            color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .properties(width=420)
    )  # fmt: skip


def in_kind_svg(rows: list[InKind]) -> str:
    """Return a bar per affiliate of the value of the staff it lent."""
    if not rows:
        return ""
    values = [{"affiliate": r.affiliate, "dollars": r.value_cents / 100} for r in rows]
    return cached_svg("money:in-kind", values, lambda: _in_kind_chart(values))


def _in_kind_chart(values: list[dict]) -> "alt.Chart":
    import altair as alt

    return (
        alt.Chart(alt.Data(values=values), title="Staff lent in kind, valued")
        .mark_bar()
        .encode(
            y=alt.Y("affiliate:N", title=None, sort="-x"),
            x=alt.X("dollars:Q", title="Dollars"),
        )
        .properties(width=420)
    )
