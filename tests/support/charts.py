"""The charts a page drew, read back from AppTest: each Vega-Lite spec with its data as data frames."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest


@dataclass(frozen=True)
class Chart:
    spec: dict[str, Any]
    data: dict[str, pd.DataFrame]  # dataset name -> rows

    @property
    def title(self) -> str:
        title = self.spec.get("title", "")
        return str(title.get("text", "") if isinstance(title, dict) else title)

    def rows(self) -> pd.DataFrame:
        """All the chart's data sets, one under the other (most charts have one, a goal line a second)."""
        return pd.concat(list(self.data.values()), ignore_index=True) if self.data else pd.DataFrame()


def charts(at: AppTest) -> list[Chart]:
    """Every Altair / Vega-Lite chart on the page, in order."""
    found = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        data = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in proto.datasets}
        found.append(Chart(json.loads(proto.spec), data))
    return found


def chart(at: AppTest, title: str) -> Chart:
    """The chart titled ``title`` (AssertionError naming the titles there are)."""
    found = charts(at)
    for c in found:
        if c.title == title:
            return c
    raise AssertionError(f"no chart titled {title!r}; found {[c.title for c in found]}")
