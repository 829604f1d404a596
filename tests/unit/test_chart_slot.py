"""When a chart has something to draw (inbox.ui.widgets.chart_slot): its measure has a non-zero value, or any
value on a fixed axis (0 % attainment is a reading); all zeros, all missing or no rows is no data."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from inbox import i18n
from inbox.ui.widgets.chart_slot import has_data, localised, vega_locale


def _bars(values: list[float | None], *, domain: bool = False) -> alt.Chart:
    data = pd.DataFrame({"day": [f"d{i}" for i in range(len(values))], "n": values})
    y = alt.Y("n:Q", scale=alt.Scale(domain=[0, 100])) if domain else alt.Y("n:Q")
    return alt.Chart(data, title="T").mark_bar().encode(x="day:O", y=y)


@pytest.mark.parametrize(
    ("values", "domain", "drawn"),
    [
        ([0, 0, 0], False, False),  # Vega's "0.000000" ticks
        ([], False, False),
        ([None, None], True, False),  # no attainment measured on any day
        ([0, 3, 0], False, True),
        ([0, 0], True, True),  # 0 % on a 0-100 axis is a reading
    ],
)
def test_a_measure_decides(values: list[float | None], domain: bool, drawn: bool) -> None:
    assert has_data(_bars(values, domain=domain)) is drawn


def test_a_layer_is_judged_by_its_first_chart_not_its_rules() -> None:
    """The goal chart: a line of attainment per day, and the goals' dashed rules (always some percent)."""
    rules = alt.Chart(pd.DataFrame({"percent": [90]})).mark_rule().encode(y="percent:Q")
    assert not has_data(alt.layer(_bars([None], domain=True), rules))
    assert has_data(alt.layer(_bars([40.0], domain=True), rules))


def test_a_heat_map_measures_its_colour() -> None:
    cells = pd.DataFrame({"hour": [0, 1], "weekday": ["Lun.", "Lun."], "messages": [0, 0]})
    chart = alt.Chart(cells).mark_rect().encode(x="hour:O", y="weekday:O", color="messages:Q")
    assert not has_data(chart)
    assert has_data(chart.properties(data=cells.assign(messages=[0, 2])))


def test_vega_speaks_the_readers_language() -> None:
    """Vega formats axis numbers and dates itself: its locale comes from Babel, weeks start on Sunday (d3)."""
    fr, en = vega_locale("fr"), vega_locale("en")
    assert (fr["number"]["decimal"], fr["number"]["thousands"], fr["number"]["percent"]) == (
        ",",
        "\u202f",
        "\xa0%",  # Babel's French: a narrow no-break space between thousands, a no-break space before %
    )
    assert (en["number"]["decimal"], en["number"]["thousands"], en["number"]["percent"]) == (".", ",", "%")
    assert fr["time"]["days"][:2] == ["dimanche", "lundi"]
    assert fr["time"]["shortMonths"][0] == "janv."
    assert en["time"]["months"][11] == "December"


def test_a_localised_chart_keeps_its_own_settings() -> None:
    chart = _bars([1, 2]).configure_axis(grid=False)
    with i18n.use_language("fr"):
        config = localised(chart).to_dict()["config"]
    assert config["axis"] == {"grid": False}
    assert config["locale"]["number"]["decimal"] == ","
    assert "locale" not in chart.to_dict()["config"]
