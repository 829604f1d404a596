"""X gives a post's time to the second (``…T10:15:42.000Z``); an erasure's time has microseconds. A message
stamped in the very second of the customer's erasure may have been written up to a second before it: it is
counted as before it (dropped, audited), so no words from before the erasure come back; one stamped the next
second is a new contact's. Decided on purpose (docs/privacy.md): losing a message written in the fraction of
a second after an erasure is the lesser harm than keeping one written before it. Real X sandbox through
tweepy, real backfill; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.privacy.erase import erase
from inbox.store.tables import AuditEvent, Contact, Message
from tests.support.privacy_flows import every_value, inbox

SAME_SECOND = "@AcmeCare zebracorn same second: call 0611223344"
NEXT_SECOND = "@AcmeCare hello again, new account here"


def test_a_message_in_the_erasures_second_is_dropped_and_the_next_seconds_stored(
    filled: int, engine: Engine, sandbox: XSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    erased_at = datetime.now(UTC).replace(microsecond=700_000) - timedelta(seconds=30)
    erase(engine, "x-acme:janedoe77", actor="dpo", reason="DSAR", now=erased_at)
    second = erased_at.replace(microsecond=0)  # X's time for a post written at any point of that second
    sandbox.add_mention(SAME_SECOND, author="janedoe77", created_at=second)
    sandbox.add_mention(NEXT_SECOND, author="janedoe77", created_at=second + timedelta(seconds=1))
    code, out, err = inbox(capsys, "backfill", "--channel", "x-acme", "--since", "7d")
    assert code == 0, err + out
    assert "0611223344" not in every_value(engine)
    with Session(engine) as s:
        dropped = s.exec(select(AuditEvent.detail).where(AuditEvent.action == "privacy.late_message_dropped"))
        assert list(dropped) == [{"messages": 1, "channel": "x-acme"}]
        [new] = s.exec(select(Message).where(Message.text == NEXT_SECOND)).all()
        author = s.get(Contact, new.contact_id)
    assert author is not None and author.handle == "janedoe77" and author.id != filled  # a new contact
