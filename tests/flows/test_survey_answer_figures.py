"""A survey score leaves the conversation's resolution where the agent set it (audit r20, finding 3).

Charter of ``test_reports_charter_figures`` (resolution 120 minutes, 24/7) with a CSAT survey 30 minutes
after resolution. A DM at 09:00 is answered at 09:10 and resolved at 09:30; the survey goes out through the
real flow (``run_surveys``) and the customer answers "5" at 11:30. By hand: resolution met (09:30, due
11:00), DMC 30 minutes, the score counted; the conversation is resolved and was set to resolved once.
"""

from __future__ import annotations

import tomllib
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.base import Sent
from inbox.automation.surveys import run_surveys
from inbox.charter.model import Charter, parse_charter
from inbox.outbox import delivery as outbox
from inbox.reports.report import period_report
from inbox.store.tables import AuditEvent, Channel, Conversation, OutboundReply, User
from inbox.store.tables.enforcement import SurveyRequest
from tests.flows.test_reports_charter_figures import DAY, NOW, SLA, at, row
from tests.support.reports_seed import CHARTER_TOML, Story

SURVEY = {"kind": "csat", "text": "Merci ! Une note de 1 à 5 ?", "send_after_minutes": 30}


def _charter() -> Charter:
    """``make_charter``'s TOML with the survey."""
    data = tomllib.loads(CHARTER_TOML)
    data["sla"] = tomllib.loads(SLA)["sla"]
    data["survey"] = SURVEY
    return parse_charter(data)


def _story(session: Session, charter: Charter, n: int) -> Story:
    """A Story over what is already stored (its channel and agent), numbering messages from ``n``."""
    s = Story(session, charter, n=n)
    s.channels = {c.name: c for c in session.exec(select(Channel)).all()}
    s.users = {u.name: u for u in session.exec(select(User)).all()}
    return s


def _deliver_survey(engine: Engine, when: datetime) -> None:
    with Session(engine) as session, session.begin():
        key = col(OutboundReply.idempotency_key)
        reply = session.exec(select(OutboundReply).where(key.startswith("auto-survey"))).one()
        outbox.record_delivery(session, reply, Sent("survey-1"), when)


def test_a_survey_score_does_not_move_the_resolution(engine: Engine) -> None:
    charter = _charter()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        s.user("alice")
        conv = s.conversation("x-acme", "ann", "private")
        s.customer(conv, at(9))
        s.reply(conv, "alice", at(9, 5), at(9, 10))
        s.resolve(conv, "alice", at(9, 30))
    run_surveys(engine, charter, None, at(9, 31))  # the survey's row, due 10:01
    run_surveys(engine, charter, None, at(10, 2))  # queued in the outbox
    _deliver_survey(engine, at(10, 3))
    run_surveys(engine, charter, None, at(10, 4))  # tracked as sent
    with Session(engine, expire_on_commit=False) as session, session.begin():
        _story(session, charter, 100).customer(conv, at(11, 30), text="5")
    assert run_surveys(engine, charter, None, at(11, 31)).answered == 1
    with Session(engine) as session:
        found = period_report(session, charter, DAY, NOW)
        survey = session.exec(select(SurveyRequest)).one()
        status = session.get(Conversation, conv)
        resolutions = session.exec(
            select(AuditEvent.at).where(AuditEvent.action == "conversation.status")
        ).all()
    targets = {t.metric: (t.met, t.missed, t.waiting) for t in found.targets}
    assert targets.get("resolution") == (1, 0, 0)
    assert row(found, "all", "all").dmc == 30
    assert (survey.status, survey.score) == ("answered", 5)
    assert status is not None and (status.status, status.sla_due_at) == ("resolved", None)
    assert resolutions == [at(9, 30)]
