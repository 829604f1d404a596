"""Volume per hour and messages per day are grouped in the team's local time, whatever its offset.

Hand-computed for a team in Asia/Kolkata (UTC+05:30), customers writing on Monday 2 March 2026 at
04:10, 04:40 and 18:40 UTC, i.e. 09:40, 10:10 and (Tuesday) 00:10 in Kolkata:
- volume per hour: 09:00 -> 1, 10:00 -> 1, Tuesday 00:00 -> 1 (grouped in UTC hours they showed as 09:30 -> 2
  and 23:30 -> 1);
- messages per day: Monday 2, Tuesday 1 (the UTC hour 18:00 put the 00:10 message on Monday).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import default_due
from inbox.ingest.page import ingest_batch
from inbox.reports.period import Period
from inbox.reports.report import PeriodReport, period_report
from inbox.store import records as store
from tests.support.charter import make_charter

KOLKATA = ZoneInfo("Asia/Kolkata")
CHARTER = make_charter(**{"teams.care.timezone": "Asia/Kolkata"})
MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)
WRITES = [(4, 10), (4, 40), (18, 40)]  # UTC hour, minute on Monday


def kolkata(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=KOLKATA)


def seed(engine: Engine) -> None:
    items = [
        InboundItem(
            channel="x-acme",
            external_id=f"m{n}",
            thread_key=f"t{n}",
            kind="mention",
            visibility="public",
            direction="in",
            author=Author(f"c{n}", f"customer{n}"),
            text="@AcmeCare my parcel never arrived",
            created_at=datetime(2026, 3, 2, hour, minute, tzinfo=UTC),
        )
        for n, (hour, minute) in enumerate(WRITES)
    ]
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        ingest_batch(
            s, channel, "mentions", Batch(items, next_cursor=None), due=default_due, now=items[-1].created_at
        )


def report(engine: Engine) -> PeriodReport:
    period = Period("2026-03-02..2026-03-03", MONDAY, TUESDAY, KOLKATA)
    with Session(engine) as s:
        return period_report(s, CHARTER, period, datetime(2026, 3, 4, tzinfo=UTC))


def test_volume_per_hour_is_counted_in_local_clock_hours(engine: Engine) -> None:
    seed(engine)
    volume = [(v.hour, v.channel, v.messages) for v in report(engine).volume]
    assert volume == [
        (kolkata(MONDAY, 9), "x-acme", 1),
        (kolkata(MONDAY, 10), "x-acme", 1),
        (kolkata(TUESDAY, 0), "x-acme", 1),
    ]
    assert all(v.hour.astimezone(KOLKATA).minute == 0 for v in report(engine).volume)


def test_messages_per_day_are_counted_in_local_days(engine: Engine) -> None:
    seed(engine)
    days = report(engine).sentiment_days
    assert {day: sum(share.messages for share in shares) for day, shares in days.items()} == {
        MONDAY: 2,
        TUESDAY: 1,
    }
