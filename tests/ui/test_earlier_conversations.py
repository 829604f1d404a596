"""The customer's earlier conversations beside one: the most recent EARLIER_SHOWN, and a line saying so when
the customer has more (a customer who posts again and again)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from inbox.desk.actions import EARLIER_SHOWN
from inbox.store.engine import open_engine
from inbox.store.tables import Contact, Conversation
from tests.support.seed_desk import Seeded, add_conversation
from tests.support.ui import app_as, open_conv


def _more_of_the_same_customer(db_url: str, conv_id: int, count: int) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None and conv.contact_id is not None
        contact = s.get(Contact, conv.contact_id)
        for n in range(count):
            at = datetime.now(UTC) - timedelta(days=2, minutes=n)
            add_conversation(
                s, conv.channel_id, handle="bob", text=f"post {n}", received=at, due=None, contact=contact
            )
    engine.dispose()


def _said(at: object) -> list[str]:
    return [str(c.value) for c in at.caption]  # type: ignore[attr-defined]


def test_a_customer_with_many_conversations_sees_the_most_recent_and_is_told(
    seeded: Seeded, db_url: str
) -> None:
    conv_id = seeded.conversations["late"]
    _more_of_the_same_customer(db_url, conv_id, EARLIER_SHOWN + 5)
    at = open_conv(app_as(seeded, "alice"), conv_id)
    opened = [b for b in at.button if str(b.key).startswith("earlier-")]
    assert len(opened) == EARLIER_SHOWN
    assert any(f"The {EARLIER_SHOWN} most recent" in c for c in _said(at))


def test_a_customer_with_few_conversations_gets_no_such_line(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["late"]
    _more_of_the_same_customer(db_url, conv_id, 3)
    at = open_conv(app_as(seeded, "alice"), conv_id)
    assert len([b for b in at.button if str(b.key).startswith("earlier-")]) == 3
    assert not any("most recent" in c for c in _said(at))
