"""The queue says when the peak plan is on (as the listener last measured it), and says nothing otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from inbox.automation.peak import record_peak
from inbox.store.engine import open_engine
from tests.support.enforcement import charter
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as


def measure(db_url: str, backlog: int, at: datetime) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        record_peak(s, charter(**{"peak.backlog_at_least": 3}), backlog=backlog, forecast_breaches=1, now=at)
    engine.dispose()


def banners(seeded: Seeded) -> list[str]:
    return [w.value for w in app_as(seeded, "alice").warning if "Peak plan" in w.value]


def test_the_queue_shows_the_peak_plan_while_it_is_on(seeded: Seeded, db_url: str) -> None:
    assert banners(seeded) == []
    measure(db_url, 5, datetime.now(UTC))
    assert banners(seeded) == [
        "Peak plan on: 5 conversations waiting, 1 at risk or late; "
        "new public mentions are told we answer within 4 h."
    ]
    measure(db_url, 2, datetime.now(UTC))
    assert banners(seeded) == []


def test_a_stale_measure_shows_no_peak(seeded: Seeded, db_url: str) -> None:
    measure(db_url, 5, datetime.now(UTC) - timedelta(minutes=10))  # no listener since
    assert banners(seeded) == []
