"""Opening a closed conversation of a customer asks why (#15.7, seed 001), in English and French: nothing of
it shows until a reason is given, which the audit log keeps with the view; one's own conversation, one closed
by moderation, or one seen while open, asks nothing."""

from __future__ import annotations

from sqlmodel import Session

from inbox import i18n
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_events, french_conversation, open_conv

THREAD = "thanks, all good"


def _shown(at: object) -> bool:
    return any(THREAD in getattr(t, "value", "") for t in at.text)  # type: ignore[attr-defined]


def _assign(db_url: str, conv_id: int, user_id: int) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        conv.assignee_id = user_id
    engine.dispose()


def test_a_closed_conversation_asks_why_before_it_shows(seeded: Seeded, db_url: str) -> None:
    done = seeded.conversations["done"]
    at = open_conv(app_as(seeded, "alice"), done)
    assert not at.exception and not _shown(at)
    assert not [s for s in at.get("segmented_control") if s.key == f"status-{done}"]
    at.button(key=f"access-go-{done}").click().run()
    assert "A reason is needed to open a closed conversation." in [e.value for e in at.error]
    assert not _shown(at) and not audit_events(db_url, "conversation.viewed")
    at.text_input(key=f"access-reason-{done}").input("the customer called about this order").run()
    at.button(key=f"access-go-{done}").click().run()
    assert _shown(at)
    (viewed,) = audit_events(db_url, "conversation.viewed")
    assert viewed.actor == "alice" and viewed.detail == {"reason": "the customer called about this order"}
    at.run()
    assert _shown(at) and len(audit_events(db_url, "conversation.viewed")) == 1  # asked once


def test_ones_own_or_an_open_conversation_asks_nothing(seeded: Seeded, db_url: str) -> None:
    done, late = seeded.conversations["done"], seeded.conversations["late"]
    _assign(db_url, done, seeded.users["alice"])
    assert _shown(open_conv(app_as(seeded, "alice"), done))
    at = open_conv(app_as(seeded, "bruno"), late)
    at.segmented_control(key=f"status-{late}").set_value("resolved").run()  # closed under his eyes
    assert not [t for t in at.text_input if t.key == f"access-reason-{late}"]


def test_the_reason_is_asked_in_french(seeded: Seeded, db_url: str) -> None:
    done = seeded.conversations["done"]
    at = french_conversation(seeded, db_url, "alice", done)
    with i18n.use_language("fr"):
        assert at.text_input(key=f"access-reason-{done}").label == "Motif de consultation"
        assert at.button(key=f"access-go-{done}").label == "Ouvrir la conversation"
