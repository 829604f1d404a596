"""Satisfaction per agent goes to the person whose reply was the last before the survey was sent: the survey
rates that answer, not one written after it (docs/kpis.md, Satisfaction: "sent ... after a conversation a
person answered is resolved").

4 November 2026, the report seed's charter. Ann writes at 09:00 UTC, Alice answers at 09:10 and resolves at
09:40; the CSAT survey goes at 10:10 and Ann gives it a 2 at 11:10. At 12:00 Ann writes again and Bruno
answers at 12:10. By hand: the 2 is Alice's (her answer was the one surveyed); the inbox put it on Bruno.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.reports.period import Period
from inbox.reports.satisfaction import satisfaction
from tests.support.agent_day import add_survey
from tests.support.reports_seed import Story, write_config

DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), ZoneInfo("Europe/Paris"))


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=UTC)


def test_a_reply_after_the_survey_does_not_take_its_score(engine: Engine, tmp_path: Path) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter, "alice", "bruno")
        ann = s.conversation("x-acme", "ann")
        s.customer(ann, at(9))
        s.reply(ann, "alice", at(9, 5), at(9, 10))
        s.resolve(ann, "alice", at(9, 40))
        add_survey(session, ann, "csat", 2, at(10, 10))
        s.customer(ann, at(12))
        s.reply(ann, "bruno", at(12, 5), at(12, 10))
    with Session(engine) as session:
        found = satisfaction(session, DAY, None)
    assert [(g.group, g.sent, g.answered) for g in found.by_agent] == [("Alice", 1, 1)]
