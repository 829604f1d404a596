"""My figures credit a first response to the person who gave it: an automatic message delivered earlier
(the out-of-hours reply, actor ``automation``) is no one's first response (docs/kpis.md, "What counts as an
answer").

Wednesday 4 November 2026, Paris (UTC+1), the report seed's charter (x-acme public: 60 min 24/7): ann writes
at 09:00 UTC (due 10:00), the out-of-hours reply goes at 09:02, alice answers at 09:20 -> alice 1 of 1 on
time; ``automation`` none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.reports.agent_figures import agent_figures
from inbox.reports.period import Period
from tests.support.reports_seed import Story, write_config

DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), ZoneInfo("Europe/Paris"))


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=UTC)


def test_an_automatic_message_before_the_agent_s_answer_leaves_them_the_first_response(
    engine: Engine, tmp_path: Path
) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter, "alice")
        alice, maya = s.users["alice"], s.user("maya", "manager")
        ann = s.conversation("x-acme", "ann")
        s.customer(ann, at(9))
        s.automatic(ann, at(9, 2))
        s.reply(ann, "alice", at(9, 15), at(9, 20))
    with Session(engine) as session:
        mine = agent_figures(session, alice, "alice", DAY)
        robot = agent_figures(session, maya, "automation", DAY)
    assert (mine.first_responses, mine.first_responses_on_time, mine.on_time_rate) == (1, 1, 1.0)
    assert (robot.first_responses, robot.first_responses_on_time) == (0, 0)
