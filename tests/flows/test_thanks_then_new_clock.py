"""A "thanks" left unanswered at resolution keeps no clock: the customer's next message starts its own
(audit r20, finding 9).

Charter of ``test_reports_charter_figures``: next response 30 minutes (24/7). A question at 09:00 is
answered at 09:10; "merci !" at 09:20 is left unanswered and the conversation is resolved at 09:25. At 14:00
the customer writes again: its clock is due 14:30 (not 09:50, the thanks' due time), on track at 14:01.
Answered at 14:10: next response met (10 of 30 minutes), and the thanks is not judged.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import CharterDue
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.desk.corrections import correct
from inbox.desk.queue import clock_started
from inbox.reports.report import live_report, period_report
from inbox.store import records as store
from inbox.store.tables import Conversation, User
from tests.flows.test_closed_unanswered_then_back import alert_keys
from tests.flows.test_reports_charter_figures import DAY, at, make_charter
from tests.support.reports_seed import Story


def _thanks_then_back(engine: Engine, answered: bool) -> int:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, make_charter())
        s.channel("x-acme", "x")
        s.user("alice")
        conv = s.conversation("x-acme", "ann")
        s.customer(conv, at(9))
        s.reply(conv, "alice", at(9, 5), at(9, 10))
        s.customer(conv, at(9, 20), text="merci !")
        s.resolve(conv, "alice", at(9, 25))
        s.customer(conv, at(14), text="en fait ça ne marche toujours pas")
        if answered:
            s.reply(conv, "alice", at(14, 5), at(14, 10))
            s.resolve(conv, "alice", at(14, 15))
    return conv


def test_the_message_after_a_resolved_thanks_starts_its_own_clock(engine: Engine) -> None:
    """The stored due time, which the queue's order, the peak plan and the escalation alerts read."""
    conv_id = _thanks_then_back(engine, answered=False)
    with Session(engine) as session:
        conv = session.get(Conversation, conv_id)
        assert conv is not None and conv.status == "open"
        assert conv.sla_due_at is not None
        assert conv.sla_due_at.astimezone(UTC) == at(14) + timedelta(minutes=30)
        clocks = open_clocks(session, CharterBook(make_charter()), at(14, 1))
    assert [(c.conversation_id, c.state) for c in clocks] == [(conv_id, "on_track")]


def test_the_dashboard_shows_the_new_clock_on_track(engine: Engine) -> None:
    conv_id = _thanks_then_back(engine, answered=False)
    with Session(engine) as session:
        live = live_report(session, make_charter(), at(14, 1))
    assert [(c.conversation.id, c.state) for c in live.clocks] == [(conv_id, "on_track")]
    assert live.clocks[0].conversation.clock_start == at(14)


def test_the_conversation_page_starts_the_clock_at_the_new_message(engine: Engine) -> None:
    """The queue's and the conversation page's colour read the same start (``clock_started``)."""
    conv_id = _thanks_then_back(engine, answered=False)
    with Session(engine) as session:
        conv = session.get(Conversation, conv_id)
        assert conv is not None
        assert clock_started(conv, store.thread(session, conv_id)) == at(14)


def test_the_answer_after_a_resolved_thanks_is_judged_from_the_new_message(engine: Engine) -> None:
    _thanks_then_back(engine, answered=True)
    with Session(engine) as session:
        found = period_report(session, make_charter(), DAY, at(15))
    targets = {t.metric: (t.met, t.missed, t.waiting) for t in found.targets}
    assert targets.get("next_response") == (1, 0, 0)


def test_the_alert_judges_the_new_message_not_the_thanks(engine: Engine) -> None:
    """At 14:25, 25 of the new message's 30 minutes: at risk; the thanks' clock (due 09:50) is no breach."""
    _thanks_then_back(engine, answered=False)
    assert alert_keys(engine, CharterBook(make_charter()), at(14, 25)) == ["at_risk#2"]


def test_a_correction_after_the_thanks_keeps_the_new_message_s_clock(engine: Engine) -> None:
    """A correction recomputes the clocks from the messages: the resolution at 09:25 is seen there too, so
    the new message marked critical is due at 14:15 (critical: 15 minutes), not at the thanks' 09:50."""
    conv_id = _thanks_then_back(engine, answered=False)
    charter = make_charter()
    with Session(engine) as session, session.begin():
        newest = store.thread(session, conv_id)[-1]
        manager = session.exec(select(User).where(User.name == "alice")).one()
        correct(session, newest.id or 0, "urgency", "critical", manager, at(14, 2), CharterDue(charter))
    with Session(engine) as session:
        conv = session.get(Conversation, conv_id)
        assert conv is not None and conv.sla_due_at is not None and conv.clock_started_at is not None
        assert conv.sla_due_at.astimezone(UTC) == at(14, 15)
        assert conv.clock_started_at.astimezone(UTC) == at(14)
