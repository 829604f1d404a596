"""The dashboard charts' data (inbox.reports.trends), pure parts: wait buckets at their bounds, the heat map's
local weekday and hour, satisfaction by the local day of the answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from inbox.reports.kpis import Volume
from inbox.reports.period import Period
from inbox.reports.rows import ConversationFacts
from inbox.reports.satisfaction import SurveyRow
from inbox.reports.trends import WAIT_LIMITS, heat_cells, satisfaction_days, wait_buckets

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def facts(wait_minutes: float | None) -> ConversationFacts:
    answered = None if wait_minutes is None else T0 + timedelta(minutes=wait_minutes)
    return ConversationFacts(
        1, "x-acme", "x", "mention", "public", "open", T0, answered, T0, answered, None, None, (), 0
    )


def test_a_wait_on_a_bound_goes_to_the_bucket_that_starts_there() -> None:
    buckets = wait_buckets([facts(m) for m in (0, 4.99, 5, 59.99, 60, 1439, 1440, 5000, None)])
    counts = {(b.low, b.high): b.answered for b in buckets}
    assert len(buckets) == len(WAIT_LIMITS) + 1  # empty buckets are kept, so the bars line up day after day
    assert counts[(0, 5)] == 2 and counts[(5, 15)] == 1 and counts[(30, 60)] == 1 and counts[(60, 120)] == 1
    assert (
        counts[(480, 1440)] == 1 and counts[(1440, None)] == 2
    )  # 1440 and 5000; the unanswered one left out


def test_the_heat_map_counts_local_weekdays_and_hours() -> None:
    sunday_late = datetime(2026, 3, 29, 23, 30, tzinfo=UTC).astimezone(PARIS)  # Monday 01:30 in Paris (UTC+2)
    cells = heat_cells(
        [Volume(sunday_late.replace(minute=0), "x-acme", 3), Volume(sunday_late, "mastodon", 2)]
    )
    busy = {(c.weekday, c.hour): c.messages for c in cells if c.messages}
    assert len(cells) == 7 * 24 and busy == {(0, 1): 5}


def test_satisfaction_by_the_local_day_of_the_answer() -> None:
    def row(score: int | None, replied: datetime | None, status: str = "answered") -> SurveyRow:
        return SurveyRow(1, "x-acme", "csat", status, score, replied, None, (), None)

    late_evening = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # 5 March in Paris
    period = Period("7d", date(2026, 3, 1), date(2026, 3, 7), PARIS)
    days = satisfaction_days([row(5, late_evening), row(4, T0), row(1, T0), row(None, None, "sent")], period)
    assert [(g.group, g.answered, g.scores.csat) for g in days] == [
        ("2026-03-04", 2, 50.0),
        ("2026-03-05", 1, 100.0),
    ]
