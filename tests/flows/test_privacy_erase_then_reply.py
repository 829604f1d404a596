"""A reply written on a conversation page opened before the customer's erasure, sent after it: refused, said
why, nothing queued with the agent's words about them (and no automatic message either).

Before, the reply was queued and kept "Jane, order 4411 leaves today" addressed to the erased account. Real
parts: the X sandbox through tweepy, the listener's page, the real erasure, the desk's send; SQLite and
PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.desk import replying
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.outbox.answerable import CustomerErased
from inbox.privacy.erase import erase
from inbox.store.tables import Conversation, OutboundReply, User
from tests.support.seed_desk import add_user
from tests.support.x_channel import poll


def test_a_reply_sent_after_the_customers_erasure_is_refused(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("@AcmeCare my order 4411 is late", author="jane")
    poll(engine, rt)
    opened = datetime.now(UTC)  # Sam opens the conversation and starts writing
    with Session(engine) as s, s.begin():
        sam_id = add_user(s, "sam")
        conv_id = s.exec(select(Conversation.id)).one()
    erase(engine, "x-acme:jane", actor="dpo", reason="DSAR 17", now=datetime.now(UTC))
    with Session(engine) as s, s.begin():
        sam = s.get(User, sam_id)
        assert sam is not None
        result = replying.send_reply(
            s,
            conv_id or 0,
            sam,
            visibility="public",
            text="@jane Jane, your order 4411 leaves today",
            composer_opened_at=opened,
            now=datetime.now(UTC),
        )
    assert result.reply is None and result.verdict is not None
    assert any("erased" in p for p in result.verdict.problems), result.verdict.problems
    with Session(engine) as s:
        assert s.exec(select(OutboundReply)).all() == []
        conv = s.exec(select(Conversation)).one()
        with pytest.raises(CustomerErased):  # an automatic job's enqueue is refused too
            outbox.enqueue(s, conv, visibility="public", text="Merci !", actor="automation", now=opened)
