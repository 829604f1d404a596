"""Re-opening a closed conversation from its page asks for a reason first (#15.7), in English and French;
the reason lands in the audit log, nothing changes without one. The closed conversation is alice's own, so
opening it asks nothing (tests/ui/test_closed_access.py)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from inbox import i18n
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_events, french_conversation, open_conv


@pytest.fixture(autouse=True)
def _alices(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, seeded.conversations["done"])
        assert conv is not None
        conv.assignee_id = seeded.users["alice"]
    engine.dispose()


def _status(db_url: str, conv_id: int) -> str:
    engine = open_engine(db_url)
    with Session(engine) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        status = conv.status
    engine.dispose()
    return status


def test_reopening_asks_why_and_audits_the_reason(seeded: Seeded, db_url: str) -> None:
    done = seeded.conversations["done"]
    at = open_conv(app_as(seeded, "alice"), done)
    at.segmented_control(key=f"status-{done}").set_value("open").run()
    assert not at.exception
    assert _status(db_url, done) == "resolved"  # not yet: the reason is asked
    assert at.text_input(key=f"reopen-reason-{done}")
    at.button(key=f"reopen-go-{done}").click().run()
    assert "A reason is needed to reopen a closed conversation." in [e.value for e in at.error]
    assert _status(db_url, done) == "resolved"
    at.text_input(key=f"reopen-reason-{done}").input("the customer called back").run()
    at.button(key=f"reopen-go-{done}").click().run()
    assert not at.exception
    assert _status(db_url, done) == "open"
    event = audit_events(db_url, "conversation.status")[-1]
    assert event.actor == "alice" and event.detail["reason"] == "the customer called back"
    assert not [t for t in at.text_input if t.key == f"reopen-reason-{done}"]  # the form is gone


def test_cancel_leaves_it_closed(seeded: Seeded, db_url: str) -> None:
    done = seeded.conversations["done"]
    at = open_conv(app_as(seeded, "alice"), done)
    at.segmented_control(key=f"status-{done}").set_value("pending").run()
    at.button(key=f"reopen-cancel-{done}").click().run()
    assert not [t for t in at.text_input if t.key == f"reopen-reason-{done}"]
    assert _status(db_url, done) == "resolved" and not audit_events(db_url, "conversation.status")


def test_the_reason_is_asked_in_french(seeded: Seeded, db_url: str) -> None:
    done = seeded.conversations["done"]
    at = french_conversation(seeded, db_url, "alice", done)
    with i18n.use_language("fr"):
        at.segmented_control(key=f"status-{done}").set_value("open").run()
        reason = at.text_input(key=f"reopen-reason-{done}")
        assert reason.label == "Motif pour rouvrir en «\u00a0Ouverte\u00a0»"
        assert at.button(key=f"reopen-go-{done}").label == "Rouvrir"
        at.button(key=f"reopen-go-{done}").click().run()
    assert "Un motif est nécessaire pour rouvrir une conversation clôturée." in [e.value for e in at.error]
