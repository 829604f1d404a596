"""The staffing simulator's stored story: one morning of seven conversations on x-acme, and replies that
each took an agent exactly ten minutes (so the simulated handling time is ten minutes, by the rules).

With the report tests' charter (tests/support/reports_seed.py: 60 min on the wall clock, critical 15 min,
team open Monday-Friday 08-12 and 14-20 in Paris). Times are UTC, on ``day``:

    n1 ... n6  normal     customer 08:00     (due 09:00)
    k          critical   customer 08:05     (due 08:20)
    spam       moderated  customer 08:00     never answered by the inbox: not simulated

Each of the seven is opened by alice from 13:00, 20 minutes apart, and answered 10 minutes after opening.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.store.tables import Conversation
from tests.support.reports_seed import Story

HANDLING = timedelta(minutes=10)


def seed_staffing_story(engine: Engine, config_dir: Path, day: date) -> dict[str, int]:
    """Write the story above on ``day``; returns the conversation ids by name."""
    at = datetime.combine(day, time(8, 0), tzinfo=UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, load_charter(config_dir))
        s.channel("x-acme", "x")
        s.user("alice")
        s.user("maya", "manager")
        ids = {f"n{n}": s.conversation("x-acme", f"normal{n}") for n in range(1, 7)}
        ids["k"] = s.conversation("x-acme", "critical")
        ids["spam"] = s.conversation("x-acme", "spammer")
        for n in range(1, 7):
            s.customer(ids[f"n{n}"], at)
        s.customer(ids["k"], at + timedelta(minutes=5), urgency="critical")
        s.customer(ids["spam"], at, urgency="low")
        spam = session.get(Conversation, ids["spam"])
        assert spam is not None
        spam.tags, spam.status = ["moderated:spam"], "resolved"
        for n, name in enumerate([*(f"n{m}" for m in range(1, 7)), "k"]):
            opened = at + timedelta(hours=5, minutes=20 * n)
            s.view(ids[name], "alice", opened)
            s.reply(ids[name], "alice", opened + HANDLING, opened + HANDLING + timedelta(minutes=1))
    return ids
