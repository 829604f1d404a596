"""Reading a CSV of arrivals for ``inbox simulate``: required columns, offsets, channels, kind and urgency."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from inbox.reports.simulation.arrivals import Arrival, ArrivalsError, read_csv

CHANNELS = ("x-acme", "tg-acme")


def rows(*lines: str) -> list[str]:
    return [line + "\n" for line in lines]


def test_a_csv_reads_in_time_order_with_kind_and_urgency() -> None:
    found = read_csv(
        rows(
            "created_at,channel,kind,urgency",
            "2017-11-06T10:00:00+01:00,x-acme,public,high",
            "2017-11-06T08:30:00Z,tg-acme,dm,",
        ),
        CHANNELS,
    )
    assert found == [
        Arrival(datetime(2017, 11, 6, 8, 30, tzinfo=UTC), "tg-acme", "private", None),
        Arrival(datetime(2017, 11, 6, 9, 0, tzinfo=UTC), "x-acme", "public", "high"),
    ]


def test_kind_and_urgency_columns_are_optional() -> None:
    found = read_csv(rows("channel,created_at", "x-acme,2017-11-06T10:00:00-05:00"), CHANNELS)
    assert found == [Arrival(datetime(2017, 11, 6, 15, 0, tzinfo=UTC), "x-acme")]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (("created_at", "2017-11-06T10:00:00Z"), "missing column(s): channel"),
        (("created_at,channel", "2017-11-06T10:00:00,x-acme"), "line 2: created_at needs a UTC offset"),
        (("created_at,channel", "yesterday,x-acme"), "line 2: created_at is not an ISO 8601"),
        (("created_at,channel", "2017-11-06T10:00:00Z,x-other"), "no channel named 'x-other' in the config"),
        (("created_at,channel,kind", "2017-11-06T10:00:00Z,x-acme,email"), "kind must be one of"),
        (("created_at,channel,urgency", "2017-11-06T10:00:00Z,x-acme,urgent"), "urgency must be one of"),
    ],
)
def test_a_bad_csv_names_the_line_and_the_column(lines: tuple[str, ...], message: str) -> None:
    with pytest.raises(ArrivalsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv(rows(*lines), CHANNELS)
