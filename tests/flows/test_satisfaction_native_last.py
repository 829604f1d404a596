"""Satisfaction per agent goes to the person who sent the last reply: when that last reply was posted from
the platform's own app (read back by the listener, no outbox row), it is nobody's in the inbox.

4 November 2026, the report seed's charter. Ann writes at 09:00 UTC, Alice answers through the inbox at
09:10, the community manager adds a last word from X's app at 09:30; Ann gives the CSAT survey a 2. By hand:
the survey is no agent's (the inbox put Alice's name on that 2). Without the app's word, it is Alice's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.reports.period import Period
from inbox.reports.satisfaction import satisfaction
from tests.flows.test_agent_figures_native_answer import from_the_app_of_x
from tests.support.agent_day import add_survey
from tests.support.reports_seed import Story, write_config

DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), ZoneInfo("Europe/Paris"))


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(("from_the_app", "agent"), [(True, None), (False, "Alice")])
def test_a_last_word_from_the_platform_s_app_is_no_agent_s(
    engine: Engine, tmp_path: Path, from_the_app: bool, agent: str | None
) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter, "alice")
        ann = s.conversation("x-acme", "ann")
        s.customer(ann, at(9))
        s.reply(ann, "alice", at(9, 5), at(9, 10))
        if from_the_app:
            from_the_app_of_x(s, charter, at(9, 30))
        s.resolve(ann, "alice", at(9, 40))
        add_survey(session, ann, "csat", 2, at(10, 10))
    with Session(engine) as session:
        found = satisfaction(session, DAY, None)
    assert [(g.group, g.sent, g.answered) for g in found.by_agent] == [(agent, 1, 1)]
