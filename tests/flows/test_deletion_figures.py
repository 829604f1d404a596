"""A conversation the customer's deletion closed is resolved in the figures too (audit r20, finding 6).

Charter of ``test_reports_charter_figures``: next response 30, resolution 120 minutes (24/7). A mention at
09:00 is answered at 09:10; the customer writes again at 09:30 and deletes that message at 09:35, which
resolves the conversation (nothing else waits for an answer). By hand: resolution met (09:35, due 11:00);
the deleted message was left unanswered when the conversation was resolved, so no next response is judged;
DMC 35 minutes.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.ingest.deletions import honour_deletions
from inbox.reports.report import period_report
from inbox.store.tables import AuditEvent, Message
from tests.flows.test_reports_charter_figures import DAY, NOW, at, make_charter, row
from tests.support.reports_seed import Story


def test_a_conversation_closed_by_a_deletion_counts_as_resolved_then(engine: Engine) -> None:
    charter = make_charter()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        s.user("alice")
        conv = s.conversation("x-acme", "ann")
        s.customer(conv, at(9))
        s.reply(conv, "alice", at(9, 5), at(9, 10))
        s.customer(conv, at(9, 30))
        last = session.exec(
            select(Message)
            .where(Message.conversation_id == conv, Message.direction == "in")
            .order_by(col(Message.created_at).desc())
        ).first()
        assert last is not None and last.platform_id is not None
        assert honour_deletions(session, last.channel_id, [last.platform_id], at(9, 35)) == 1
    with Session(engine) as session:
        found = period_report(session, charter, DAY, NOW)
        audits = session.exec(select(AuditEvent).where(AuditEvent.action == "conversation.status")).all()
    targets = {t.metric: (t.met, t.missed, t.waiting) for t in found.targets}
    assert targets.get("resolution") == (1, 0, 0)
    assert targets.get("next_response", (0, 0, 0)) == (0, 0, 0)
    assert row(found, "all", "all").dmc == 35
    assert [(a.at, a.detail["to"]) for a in audits] == [(at(9, 35), "resolved")]
