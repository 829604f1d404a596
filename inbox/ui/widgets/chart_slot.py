"""A chart, or in its place its title and "no data for this period" (a widget, not a page).

An Altair chart of a period without data draws an empty frame, and a quantity axis whose values are all zero
gets Vega's raw ticks ("0.000000"). ``show`` draws the chart only when its measure (the first layer's
quantitative field) has a value: a non-zero one, or any one on an axis with a fixed domain (attainment from 0
to 100 %, where 0 % is a reading).
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt

from inbox.i18n import _
from inbox.ui.common import md_escape

AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart | alt.HConcatChart | alt.VConcatChart


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)


def has_data(chart: AnyChart) -> bool:
    """Whether the chart's measure has something to draw (see the module's docstring)."""
    return _has_data(chart.to_dict(validate=False))


def _has_data(spec: dict[str, Any]) -> bool:
    first = spec["layer"][0] if spec.get("layer") else spec.get("spec", spec)
    source = first.get("data") or spec.get("data") or {}
    rows = spec.get("datasets", {}).get(source.get("name", ""), source.get("values", []))
    measures = [
        (e["field"], "domain" in (e.get("scale") or {}))
        for e in (first.get("encoding") or {}).values()
        if isinstance(e, dict) and e.get("type") == "quantitative" and "field" in e
    ]
    if not measures:
        return bool(rows)
    for field, fixed in measures:
        values = [v for v in (_number(r.get(field)) for r in rows if isinstance(r, dict)) if v is not None]
        if values and (fixed or any(values)):
            return True
    return False


def _title(spec: dict[str, Any]) -> str | None:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return title if isinstance(title, str) and title else None


def show(where: Any, chart: AnyChart) -> None:
    """``chart`` in ``where`` (``st`` or a column), or its title and a note when it has nothing to draw."""
    spec = chart.to_dict(validate=False)
    if _has_data(spec):
        where.altair_chart(chart)
        return
    box = where.container()
    title = _title(spec)
    if title:
        box.markdown(f"**{md_escape(title)}**")
    box.caption(_("No data for this period."))
