"""The customer deletes the only message waiting for an answer while the conversation is snoozed: it is
closed as an open one is (docs/kpis.md: "closed because the customer deleted the only message waiting").

Charter of ``test_reports_charter_figures``: first response 60 minutes (24/7). Ann's mention at 09:00 is
snoozed at 09:10 until 15:00 and deleted at 09:20. By hand: nothing waits, the conversation is resolved at
09:20 and closed unanswered (not judged). The inbox left it snoozed with its clock, back in the queue late
at 15:00, and counted its first response missed.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.desk.snooze import snooze
from inbox.ingest.deletions import honour_deletions
from inbox.reports.report import live_report, period_report
from inbox.store.tables import Conversation, Message
from tests.flows.test_reports_charter_figures import DAY, NOW, at, make_charter
from tests.support.reports_seed import Story

CHARTER = make_charter()


def test_a_snoozed_conversation_whose_only_message_is_deleted_is_closed_unanswered(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        s.channel("x-acme", "x")
        s.user("alice")
        conv_id = s.conversation("x-acme", "ann")
        s.customer(conv_id, at(9))
        snooze(session, conv_id, s.users["alice"], at(15), at(9, 10))
        message = session.exec(select(Message).where(Message.conversation_id == conv_id)).one()
        assert message.platform_id is not None
        assert honour_deletions(session, message.channel_id, [message.platform_id], at(9, 20)) == 1
    with Session(engine) as session:
        conv = session.get_one(Conversation, conv_id)
        assert (conv.status, conv.snoozed_until, conv.sla_due_at) == ("resolved", None, None)
        report = period_report(session, CHARTER, DAY, NOW)
        assert (report.attainment.met, report.attainment.missed, report.attainment.closed_unanswered) == (
            0,
            0,
            1,
        )
        assert live_report(session, CHARTER, at(15, 1)).clocks == []
