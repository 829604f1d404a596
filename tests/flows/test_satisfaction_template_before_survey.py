"""Satisfaction per reply template counts the templates of the replies the survey rates: those delivered
before it was sent, not one a person started from after it (docs/kpis.md, Satisfaction).

4 November 2026, the report seed's charter. Ann writes at 09:00 UTC, Alice answers at 09:10 from the template
"refund-ok" and resolves at 09:40; the CSAT survey goes at 10:10 and Ann gives it a 2. At 12:00 Ann writes
again and Bruno answers at 12:10 from "sorry-delay". By hand: the 2 rates "refund-ok" only; the inbox also
put it under "sorry-delay", a template the survey never saw.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.charter.model import load_charter
from inbox.reports.period import Period
from inbox.reports.satisfaction import satisfaction
from inbox.store.tables import OutboundReply
from tests.support.agent_day import add_survey
from tests.support.reports_seed import Story, write_config

DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), ZoneInfo("Europe/Paris"))


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=UTC)


def from_template(s: Story, conv_id: int, agent: str, sent: datetime, template: str) -> None:
    s.reply(conv_id, agent, sent, sent)
    reply = s.session.exec(select(OutboundReply).order_by(col(OutboundReply.id).desc())).first()
    assert reply is not None
    reply.template = template
    s.session.add(reply)
    s.session.flush()


def test_a_template_used_after_the_survey_does_not_take_its_score(engine: Engine, tmp_path: Path) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter, "alice", "bruno")
        ann = s.conversation("x-acme", "ann")
        s.customer(ann, at(9))
        from_template(s, ann, "alice", at(9, 10), "refund-ok")
        s.resolve(ann, "alice", at(9, 40))
        add_survey(session, ann, "csat", 2, at(10, 10))
        s.customer(ann, at(12))
        from_template(s, ann, "bruno", at(12, 10), "sorry-delay")
    with Session(engine) as session:
        found = satisfaction(session, DAY, None)
    assert [(g.group, g.sent, g.answered) for g in found.by_template] == [("refund-ok", 1, 1)]
