"""The running clocks the alerts and the peak plan judge include every clock not yet due, however many are
already late: they were the ``MAX_CLOCKS`` (10,000) soonest due, so during a backlog of more late
conversations than that (a bad-buzz day) none was at risk and no at-risk alert went out.

Here the cap is 3: five conversations breached (arrived 09:00 to 09:04, 60 minutes 24/7) and one at risk at
10:50 (arrived 10:03, 47 of 60 minutes gone): the at-risk one must be among the clocks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from tests.support.reports_seed import Story, write_config

NOW = datetime(2026, 3, 4, 10, 50, tzinfo=UTC)


def test_a_clock_at_risk_is_judged_behind_more_late_ones_than_the_cap(engine: Engine, tmp_path: Path) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter)
        for n in range(5):
            s.customer(s.conversation("x-acme", f"late{n}"), datetime(2026, 3, 4, 9, n, tzinfo=UTC))
        soon = s.conversation("x-acme", "soon")
        s.customer(soon, datetime(2026, 3, 4, 10, 3, tzinfo=UTC))
    with Session(engine) as session:
        clocks = open_clocks(session, CharterBook(charter), NOW, limit=3)
    states = [(c.conversation_id == soon, c.state) for c in clocks]
    assert states == [(False, "breached")] * 3 + [(True, "at_risk")]
