"""A person's private reply to a public conversation answers it, though the outbox stores the message in the
DM thread's conversation: it counts as one of that conversation's replies for first-contact resolution and
stops its response clocks in the next-response figures (docs/kpis.md, "Moved to private").

Wednesday 4 March 2026, times UTC, the report seed's charter (x-acme public and private 60 min 24/7):

    conv  what happened                                                 FCR              next response
    A     mention 10:00; DM answer 10:10; public "still?" 10:30; public  two replies: no  10:30 -> 10:40 met
          answer 10:40; resolved 11:00
    B     mention 10:00; DM answer 10:10; resolved 10:20                 one reply: yes   -
FCR 1 of 2 = 50 % (without the DMs: A one reply, resolved at first contact, and B left out: 1 of 1).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.model import load_charter
from inbox.reports import kpis, queries
from inbox.reports.first_responses import first_contact_resolution
from inbox.reports.period import Period
from inbox.reports.report import period_report
from inbox.reports.targets_kpis import by_metric
from inbox.store.tables import Message
from tests.support.reports_seed import Story, write_config

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
DAY = Period("2026-03-04", NOW.date(), NOW.date(), ZoneInfo("Europe/Paris"))


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 4, hour, minute, tzinfo=UTC)


def test_a_private_answer_to_a_mention_counts_for_fcr_and_next_responses(
    engine: Engine, tmp_path: Path
) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter, "alice")
        a, b = s.conversation("x-acme", "ann"), s.conversation("x-acme", "ben")
        s.customer(a, at(10))
        s.customer(b, at(10))
        s.private_reply(a, "alice", at(10, 5), at(10, 10), thread_key="dm-ann")
        s.private_reply(b, "alice", at(10, 5), at(10, 10), thread_key="dm-ben")
        s.customer(a, at(10, 30))
        s.reply(a, "alice", at(10, 35), at(10, 40))
        s.resolve(a, "alice", at(11))
        s.resolve(b, "alice", at(10, 20))
    with Session(engine) as session:
        dms = session.exec(select(Message.conversation_id).where(Message.visibility == "private")).all()
        in_sql = first_contact_resolution(session, DAY, None)
        in_python = kpis.first_contact_resolution(queries.cohort(session, DAY, None))
        report = period_report(session, charter, DAY, NOW)
    assert not {a, b} & set(dms)  # the DMs are stored in their own conversations
    assert (in_sql.resolved_answered, in_sql.first_contact) == (2, 1)
    assert in_python == in_sql == report.fcr
    nxt = by_metric(report.targets)["next_response"]
    assert (nxt.met, nxt.missed) == (1, 0)
