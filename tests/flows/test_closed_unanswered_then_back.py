"""A conversation resolved without any answer, to which the customer writes again: their new message starts a
new cycle, a first-response clock of its own from its arrival, in the queue, on the dashboard, in the alerts
and in the report. The escalation alerts also judge the "thanks" case of finding 9 by the new message.

Charter of ``test_reports_charter_figures``: first response 60, next response 30 minutes (24/7); at risk at
75 %. "Merci, c'est réglé" at 09:00 is resolved at 09:05 without an answer. At 14:00 the customer writes
again: due 15:00 (not 10:00), on track at 14:01, at risk (not breached) at 14:50. Answered at 14:30: the
first response is met (30 of 60 minutes).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.automation.escalation import escalate
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.reports.first_responses import ALL
from inbox.reports.report import live_report, period_report
from inbox.store.tables import Conversation
from inbox.store.tables.enforcement import EscalationAlert
from tests.flows.test_reports_charter_figures import DAY, at, make_charter
from tests.support.reports_seed import Story


class Webhook:
    """The alerts' webhook: takes every post."""

    def post(self, payload: Mapping[str, Any]) -> None:
        pass


def alert_keys(engine: Engine, book: CharterBook, now: datetime) -> list[str]:
    """Run the escalation on the running clocks at ``now``; the keys of the alerts it posted."""
    with Session(engine) as session:
        clocks = open_clocks(session, book, now)
    escalate(engine, book, clocks, Webhook(), now)
    with Session(engine) as session:
        return list(session.exec(select(EscalationAlert.key).order_by(col(EscalationAlert.id))).all())


def _closed_then_back(engine: Engine, answered: bool, again: bool = False) -> int:
    """``again``: after the answer and its resolution, the customer writes at 15:00, answered at 15:10."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, make_charter(), "alice")
        conv = s.conversation("x-acme", "ann")
        s.customer(conv, at(9), text="merci, c'est réglé")
        s.resolve(conv, "alice", at(9, 5))
        s.customer(conv, at(14), text="en fait non, toujours en panne")
        if answered:
            s.reply(conv, "alice", at(14, 25), at(14, 30))
            s.resolve(conv, "alice", at(14, 35))
        if again:
            s.customer(conv, at(15), text="et maintenant ?")
            s.reply(conv, "alice", at(15, 5), at(15, 10))
    return conv


def test_the_new_message_starts_its_own_first_response_clock(engine: Engine) -> None:
    conv_id = _closed_then_back(engine, answered=False)
    book = CharterBook(make_charter())
    with Session(engine) as session:
        conv = session.get(Conversation, conv_id)
        assert conv is not None and conv.status == "open"
        assert conv.sla_due_at == at(15)
        assert conv.first_response_due_at == at(15)
        queue = [(c.conversation_id, c.state) for c in open_clocks(session, book, at(14, 1))]
        live = live_report(session, make_charter(), at(14, 1))
    assert queue == [(conv_id, "on_track")]
    assert [(c.conversation.id, c.state) for c in live.clocks] == [(conv_id, "on_track")]


def test_the_alert_is_at_risk_on_the_new_clock_not_breached_on_the_old(engine: Engine) -> None:
    conv_id = _closed_then_back(engine, answered=False)
    book, now = CharterBook(make_charter()), at(14, 50)
    with Session(engine) as session:
        clocks = open_clocks(session, book, now)
    assert [(c.conversation_id, c.state) for c in clocks] == [(conv_id, "at_risk")]
    assert alert_keys(engine, book, now) == ["at_risk"]


def test_the_report_judges_the_first_response_from_the_new_message(engine: Engine) -> None:
    _closed_then_back(engine, answered=True)
    with Session(engine) as session:
        found = period_report(session, make_charter(), DAY, at(15) + timedelta(minutes=30))
    targets = {t.metric: (t.met, t.missed, t.waiting) for t in found.targets}
    assert targets.get("first_response") == (1, 0, 0)
    assert found.attainment.met == 1 and found.attainment.missed == 0


def test_the_wait_and_the_goals_count_from_the_new_message(engine: Engine) -> None:
    """Answered at 14:30: a 30-minute first response (not 5 h 30 from the closed "merci" at 09:00), in the
    database's median and 90th percentile, the wall and business waits and the 60-minute social goal."""
    _closed_then_back(engine, answered=True)
    with Session(engine) as session:
        found = period_report(session, make_charter(), DAY, at(15) + timedelta(minutes=30))
    everyone = found.times[ALL]
    assert (everyone.answered, everyone.median_minutes, everyone.p90_minutes) == (1, 30.0, 30.0)
    row = next(c for c in found.contacts if (c.channel, c.kind) == ("all", "all"))
    assert row.wall_waits == [30.0] and row.business_waits == [30.0]
    social = next(g for g in found.goals if (g.name, g.channel) == ("social", "all"))
    assert (social.within, social.late) == (1, 0)


def test_the_answer_to_the_new_message_is_the_first_response_not_also_a_next_one(engine: Engine) -> None:
    """The customer writes again after the answer and its resolution: one next response (15:00 → 15:10), not
    two (the 14:00 → 14:30 answer was counted as a next response too when the report read the messages)."""
    _closed_then_back(engine, answered=True, again=True)
    with Session(engine) as session:
        found = period_report(session, make_charter(), DAY, at(16))
    targets = {t.metric: (t.met, t.missed, t.waiting) for t in found.targets}
    assert targets.get("first_response") == (1, 0, 0)
    assert targets.get("next_response") == (1, 0, 0)
