"""A customer message written before a resolution but stored after it reopens the conversation with its own
clock (docs/kpis.md, "Resolving stops the clock"): the report judges that clock as the queue runs it.

Charter of ``test_reports_charter_figures``: next response 30 minutes (24/7), resolution 120. Through the
ingestion of pages: Ana writes at 09:00 (read at 09:01), the brand answers from the platform's app at 09:10
(read at 09:11); Alice resolves at 09:25. Her "merci" of 09:20 is read only at 09:40: the resolution did not
see it, so it waits from 09:20, due 09:50. At 12:30 nobody has answered: the queue shows it breached, and
the report counts that next response missed (it counted none), the resolution missed (open past 11:00).
With an answer at 09:45 the next response is met (25 of 30 minutes).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Batch, InboundItem
from inbox.charter.deadlines import CharterDue
from inbox.desk import actions
from inbox.ingest.page import ingest_batch
from inbox.reports.report import live_report, period_report
from inbox.store import records as store
from inbox.store.tables import Conversation, User
from tests.flows.test_reports_charter_figures import DAY, NOW, at, make_charter
from tests.flows.test_sla_out_of_order import item as dm
from tests.support.seed_desk import add_user

CHARTER = make_charter()


CARD = "my card was charged twice"


def item(external_id: str, direction: str, written: datetime, text: str = CARD) -> InboundItem:
    """``test_sla_out_of_order``'s DM of Ana's, or the brand's answer, written at ``written``."""
    mine = dm(external_id, direction, 0)
    return replace(mine, created_at=written, text=text if direction == "in" else mine.text)


def read(engine: Engine, read_at: datetime, *items: InboundItem) -> None:
    """One page read at ``read_at``, committed."""
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        batch = Batch(list(items), next_cursor=None)
        ingest_batch(s, channel, "dms", batch, due=CharterDue(CHARTER), now=read_at)


def story(engine: Engine, answered_at: datetime | None) -> int:
    with Session(engine) as s, s.begin():
        alice = add_user(s, "alice")
    read(engine, at(9, 1), item("1", "in", at(9)))
    read(engine, at(9, 11), item("2", "out", at(9, 10)))
    with Session(engine) as s, s.begin():
        conv_id = s.exec(select(Conversation.id)).one()
        actions.set_status(s, conv_id, "resolved", s.get_one(User, alice), at(9, 25))
    read(engine, at(9, 40), item("3", "in", at(9, 20), text="merci"))
    if answered_at is not None:
        read(engine, answered_at, item("4", "out", answered_at))
    return conv_id


def outcomes(engine: Engine) -> dict[str, tuple[int, int, int]]:
    with Session(engine) as s:
        report = period_report(s, CHARTER, DAY, NOW)
    return {t.metric: (t.met, t.missed, t.waiting) for t in report.targets}


def test_a_thanks_stored_after_the_resolution_is_a_next_response_missed_as_the_queue_shows(
    engine: Engine,
) -> None:
    conv_id = story(engine, answered_at=None)
    with Session(engine) as s:
        conv = s.get_one(Conversation, conv_id)
        assert (conv.clock_started_at, conv.sla_due_at) == (at(9, 20), at(9, 50))
        assert [c.state for c in live_report(s, CHARTER, NOW).clocks] == ["breached"]
    assert outcomes(engine) == {
        "first_response": (1, 0, 0),
        "next_response": (0, 1, 0),
        "resolution": (0, 1, 0),
    }


def test_its_answer_is_judged_from_the_thanks(engine: Engine) -> None:
    story(engine, answered_at=at(9, 45))
    assert outcomes(engine)["next_response"] == (1, 0, 0)


def test_a_message_the_resolution_saw_is_still_not_judged(engine: Engine) -> None:
    """The same "merci" read at 09:21, before the resolution: left unanswered then, not judged."""
    with Session(engine) as s, s.begin():
        alice = add_user(s, "alice")
    read(engine, at(9, 1), item("1", "in", at(9)))
    read(engine, at(9, 21), item("2", "out", at(9, 10)), item("3", "in", at(9, 20), text="merci"))
    with Session(engine) as s, s.begin():
        conv_id = s.exec(select(Conversation.id)).one()
        actions.set_status(s, conv_id, "resolved", s.get_one(User, alice), at(9, 25))
    assert "next_response" not in outcomes(engine)
