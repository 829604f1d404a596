"""The report calendar's batched answers (``add_many``, ``between_many``: a whole period judged at once) are
its one-by-one answers, hence the engine's, for any instants: inside and outside its window, across both
DST changes, split shifts and holidays (the calendars of ``test_report_calendar``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_report_calendar import CALENDARS, WINDOWS, instants


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(WINDOWS), st.lists(instants, max_size=30), st.integers(min_value=0, max_value=3000))
def test_due_times_in_a_batch_are_the_one_by_one_answers(
    window: datetime, offsets: list[int], minutes: int
) -> None:
    calendar = CALENDARS[window]
    starts = [window + timedelta(seconds=s) for s in offsets]
    assert calendar.add_many(starts, minutes) == [calendar.add(s, minutes) for s in starts]


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(WINDOWS),
    st.lists(st.tuples(instants, st.integers(min_value=-3600, max_value=10 * 86400)), max_size=30),
)
def test_business_waits_in_a_batch_are_the_one_by_one_answers(
    window: datetime, spans: list[tuple[int, int]]
) -> None:
    calendar = CALENDARS[window]
    pairs = [(window + timedelta(seconds=s), window + timedelta(seconds=s + n)) for s, n in spans]
    assert calendar.between_many(pairs) == [calendar.between(a, b) for a, b in pairs]
