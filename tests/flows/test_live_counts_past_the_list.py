"""The live counts (at risk, breached) are those of every running clock, not of the clocks the lists read
(``queries.LIVE_LIMIT``, 5,000 soonest due first): with more breached clocks than that, the soonest due
were all breached, so the dashboard, ``inbox report`` and the digest said "0 at risk" and capped the breached
count.

Measured on the bench seed at 100,000 messages: 7,500 running clocks, 7,489 breached and 11 at risk; the
report said 5,000 breached and 0 at risk. Here the list reads 3: five conversations breached (arrived 09:00 to
09:04, 60 minutes 24/7) and one at risk (arrived 10:03, 47 of 60 minutes gone at 10:50).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.reports import queries
from inbox.reports.digest import digest_payload
from inbox.reports.period import Period
from inbox.reports.report import live_report, period_report
from inbox.reports.tables import summary
from tests.support.reports_seed import Story, write_config

NOW = datetime(2026, 3, 4, 10, 50, tzinfo=UTC)


def test_counts_hold_past_the_clocks_the_lists_read(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter)
        for n in range(5):
            s.customer(s.conversation("x-acme", f"late{n}"), datetime(2026, 3, 4, 9, n, tzinfo=UTC))
        s.customer(s.conversation("x-acme", "soon"), datetime(2026, 3, 4, 10, 3, tzinfo=UTC))
    monkeypatch.setattr(queries, "LIVE_LIMIT", 3)
    with Session(engine) as session:
        live = live_report(session, charter, NOW)
        report = period_report(
            session, charter, Period("d", NOW.date(), NOW.date(), charter.team(charter.sla.team).zone), NOW
        )
    assert (live.waiting, live.at_risk_count, live.breached_count) == (6, 1, 5)
    assert len(live.breached) == 3  # the list: the soonest due, as many as it reads
    rows = {row[0]: row[1] for row in summary(report, live).rows}
    assert (rows["at_risk_now"], rows["breached_now"]) == (1, 5)
    assert digest_payload(report, live)["digest"]["backlog"] == {"waiting": 6, "at_risk": 1, "breached": 5}
