"""The queue's colour is the charter's state of the clock: a mention at 19:30 on a business-hours target is
on track overnight (30 of its 60 opening minutes left at 08:00), as the dashboard and the alerts say, and
amber once three quarters of its opening minutes have gone (real ingestion through the X sandbox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import CharterDue
from inbox.charter.versions import CharterBook
from inbox.desk.queue import Filters, queue_page
from inbox.ingest.poll import poll_channel
from tests.support.clock import Clock
from tests.support.enforcement import charter
from tests.support.x_channel import x_runtime

TUESDAY_1930 = datetime(2026, 12, 8, 18, 30, tzinfo=UTC)  # 19:30 in Paris: 30 opening minutes left that day


@pytest.mark.parametrize(
    ("paris", "colour"),
    [
        ("19:45", "green"),  # 15 of 60 opening minutes gone
        ("07:00", "green"),  # closed all night: still 30 left (the wall clock had 1 h 30 of 13 h left)
        ("08:14", "green"),  # 44 gone
        ("08:16", "amber"),  # 46 gone: under a quarter left
        ("08:31", "red"),  # due 08:30
    ],
)
def test_a_business_hours_clock_is_coloured_on_its_opening_minutes(
    engine: Engine, sandbox: XSandbox, x_env: dict[str, str], paris: str, colour: str
) -> None:
    c = charter()
    sandbox.add_mention("@AcmeCare my parcel never arrived", author="ann", created_at=TUESDAY_1930)
    poll_channel(engine, x_runtime(sandbox), clock=Clock(TUESDAY_1930), due=CharterDue(c))
    hour, minute = (int(x) for x in paris.split(":"))
    day = TUESDAY_1930 if hour >= 12 else TUESDAY_1930 + timedelta(days=1)
    at = day.replace(hour=hour - 1, minute=minute)  # Paris is UTC+1 in December
    with Session(engine) as s:
        (row,) = queue_page(s, Filters(), user_id=None, now=at, book=CharterBook(c)).rows
    assert row.sla_due_at == datetime(2026, 12, 9, 7, 30, tzinfo=UTC)  # 08:30 in Paris
    assert row.sla == colour
