"""The night summer time ends, Paris lives 02:00-02:59 twice: volume per hour has one 02:00 row per channel.

Team of ``tests.support.charter`` in Europe/Paris; customers write on Sunday 25 October 2026 at 00:30 UTC
(02:30 summer time), 01:30 UTC (02:30 winter time) and 02:30 UTC (03:30). By hand, per local clock hour
(docs/kpis.md): 02:00 -> 2, 03:00 -> 1. The report printed two rows "2026-10-25 02:00" of 1 message each.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import default_due
from inbox.ingest.page import ingest_batch
from inbox.reports.period import Period
from inbox.reports.report import period_report
from inbox.reports.tables import volume
from inbox.store import records as store
from tests.support.charter import make_charter

PARIS = ZoneInfo("Europe/Paris")
SUNDAY = date(2026, 10, 25)
WRITES = [datetime(2026, 10, 25, hour, 30, tzinfo=UTC) for hour in (0, 1, 2)]


def test_the_hour_lived_twice_is_one_row(engine: Engine) -> None:
    first = InboundItem(
        "x-acme",
        "m0",
        "t0",
        "mention",
        "public",
        "in",
        Author("c0", "ann"),
        "@AcmeCare where is it",
        WRITES[0],
    )
    items = [
        replace(first, external_id=f"m{n}", thread_key=f"t{n}", created_at=at) for n, at in enumerate(WRITES)
    ]
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        ingest_batch(s, channel, "mentions", Batch(items, next_cursor=None), due=default_due, now=WRITES[-1])
    with Session(engine) as s:
        report = period_report(
            s, make_charter(), Period("2026-10-25", SUNDAY, SUNDAY, PARIS), datetime(2026, 10, 26, tzinfo=UTC)
        )
    assert volume(report).rows == [
        ("2026-10-25 02:00", "x-acme", 2),
        ("2026-10-25 03:00", "x-acme", 1),
    ]
    assert sum(v.messages for v in report.volume) == report.messages == 3
