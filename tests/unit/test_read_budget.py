"""The monthly read budget spread over the month (inbox.ingest.read_budget)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from inbox.ingest.read_budget import even_share, share_allows_at

DEC = datetime(2026, 12, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_the_share_starts_at_one_day_and_ends_at_the_budget() -> None:
    assert even_share(3200, DEC) == 100  # December: 31 days, and one day ahead: 32 shares
    assert even_share(3200, DEC + timedelta(days=15)) == 1600
    assert even_share(3200, datetime(2027, 1, 1, tzinfo=UTC) - MINUTE) < 3200
    assert even_share(2900, datetime(2027, 2, 1, tzinfo=UTC)) == 100  # February: 28 days


def test_dms_read_every_minute_last_the_whole_month_within_the_budget() -> None:
    """X's DMs cost 10 reads a poll even when nothing is new; polled each minute a 15,000-read plan would last
    a day. Spread, the stream is read all month long, never past the budget, and the budget is used."""
    budget, cost, used, last_read, gaps = 15_000, 10, 0, DEC, []
    t = DEC
    while t < datetime(2027, 1, 1, tzinfo=UTC):
        if used + cost <= even_share(budget, t):
            used += cost
            gaps.append(t - last_read)
            last_read = t
        t += MINUTE
    assert budget - cost <= used <= budget
    assert last_read > datetime(2026, 12, 31, 22, tzinfo=UTC)  # still read on the last evening
    assert max(gaps) <= timedelta(minutes=31)  # 15,000 / 31 days / 10 a read: one read every ~30 minutes


@given(
    at=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    wanted=st.floats(min_value=0, max_value=14_999),  # the whole budget: at the next month
)
def test_the_time_the_share_allows_a_read_is_when_the_share_reaches_it(at: datetime, wanted: float) -> None:
    when = share_allows_at(15_000, wanted, at)
    assert when >= at
    assert even_share(15_000, when) >= wanted - 1e-6
    if when > at:  # not a moment later than needed
        assert even_share(15_000, when - timedelta(seconds=1)) < wanted
