"""A chart, or in its place its title and "no data for this period" (a widget, not a page).

An Altair chart of a period without data draws an empty frame, and a quantity axis whose values are all zero
gets Vega's raw ticks ("0.000000"). ``show`` draws the chart only when its measure (the first layer's
quantitative field) has a value: a non-zero one, or any one on an axis with a fixed domain (attainment from 0
to 100 %, where 0 % is a reading). Every chart is drawn in the reader's language: Vega's number and date
formats ("1 000", "lun.") come from Babel's data for it (``localised``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import altair as alt
from babel.dates import get_day_names, get_month_names
from babel.numbers import format_percent, get_decimal_symbol, get_group_symbol

from inbox import i18n
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


def vega_locale(code: str) -> dict[str, Any]:
    """Vega's locale (d3 number and time formats) for a language, from Babel's data."""

    def names(table: Mapping[int, str]) -> list[str]:
        return [table[i] for i in (6, 0, 1, 2, 3, 4, 5)]  # Babel starts on Monday, d3 on Sunday

    months = [get_month_names("wide", locale=code)[m] for m in range(1, 13)]
    short_months = [get_month_names("abbreviated", locale=code)[m] for m in range(1, 13)]
    return {
        "number": {
            "decimal": get_decimal_symbol(code),
            "thousands": get_group_symbol(code),
            "grouping": [3],
            "currency": ["", ""],
            "percent": format_percent(0, locale=code).removeprefix("0"),
        },
        "time": {
            "dateTime": "%x %X",
            "date": "%d/%m/%Y" if code != "en" else "%m/%d/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": names(get_day_names("wide", locale=code)),
            "shortDays": names(get_day_names("abbreviated", locale=code)),
            "months": months,
            "shortMonths": short_months,
        },
    }


def localised(chart: AnyChart) -> AnyChart:
    """``chart`` with Vega's formats in the current language (its other settings kept)."""
    drawn = chart.copy(deep=False)
    config = chart.config.copy() if chart.config is not alt.Undefined else alt.Config()
    config.locale = vega_locale(i18n.current())
    drawn.config = config
    return drawn


def _title(spec: dict[str, Any]) -> str | None:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return title if isinstance(title, str) and title else None


def show(where: Any, chart: AnyChart) -> None:
    """``chart`` in ``where`` (``st`` or a column), or its title and a note when it has nothing to draw."""
    spec = chart.to_dict(validate=False)
    if _has_data(spec):
        where.altair_chart(localised(chart))
        return
    box = where.container()
    title = _title(spec)
    if title:
        box.markdown(f"**{md_escape(title)}**")
    box.caption(_("No data for this period."))
